#:project ../src/LogReg/LogReg.csproj

// Reading a fitted model's weights: each class's 784 weights drawn as a 28×28 picture, all ten side by side in one
// grey-scale PGM image (mid-grey 0, white positive, black negative, on one scale for all classes).
// Run with: dotnet run examples/WeightImages.cs [MNIST folder] [output.pgm]   (defaults: $LOGREG_DATA_DIR/mnist, weights.pgm)
using System.Globalization;
using System.Text;
using LogReg.Data;
using LogReg.Estimators;
using LogReg.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var folder = args.Length > 0 ? args[0] : Path.Combine(Environment.GetEnvironmentVariable("LOGREG_DATA_DIR") ?? Path.Combine("..", "shared", "datasets"), "mnist");
var output = args.Length > 1 ? args[1] : "weights.pgm";
var train = IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
var labels = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels;
var (height, width) = (train.Shape.Height, train.Shape.Width);
const int N = 2000;

var model = new ImageClassifier<int>(new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 1e-2, MaxIterations = 100 })
    .Fit(train.Pixels.AsSpan(0, N * height * width), height * width, labels[..N]);
var coef = model.Estimator.Coef; // [class, pixel]
var classes = model.Estimator.Classes;
var scale = 0f;
foreach (var w in coef)
{
    scale = Math.Max(scale, Math.Abs(w));
}

// One row of the picture holds row y of every class's image.
var picture = new byte[height * width * classes.Length];
for (var k = 0; k < classes.Length; k++)
{
    for (var y = 0; y < height; y++)
    {
        for (var x = 0; x < width; x++)
        {
            var value = coef[k, y * width + x] / scale; // −1..1
            picture[y * width * classes.Length + k * width + x] = (byte)Math.Round(127.5 + 127.5 * value);
        }
    }
}

using (var file = File.Create(output))
{
    file.Write(Encoding.ASCII.GetBytes($"P5\n{width * classes.Length} {height}\n255\n"));
    file.Write(picture);
}

Console.WriteLine($"wrote {output}: {width * classes.Length}x{height} pixels, classes {string.Join(" ", classes)}, largest |weight| {scale:0.000}");
// Where the class-0 weights are most positive and most negative: the ring of a zero against its hole.
var zero = Enumerable.Range(0, height * width).Select(p => coef[0, p]).ToArray();
var (top, bottom) = (Array.IndexOf(zero, zero.Max()), Array.IndexOf(zero, zero.Min()));
Console.WriteLine($"class 0: most positive weight at row {top / width}, column {top % width}; most negative at row {bottom / width}, column {bottom % width}");
