#:project ../src/LogReg/LogReg.csproj

// Choosing the L2 strength by 3-fold cross-validation over a small grid, then scoring the chosen model on test images.
// Run with: dotnet run examples/CrossValidation.cs [MNIST folder]   (default: $LOGREG_DATA_DIR/mnist, else ../shared/datasets/mnist)
using System.Globalization;
using LogReg.Data;
using LogReg.Estimators;
using LogReg.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var folder = args.Length > 0 ? args[0] : Path.Combine(Environment.GetEnvironmentVariable("LOGREG_DATA_DIR") ?? Path.Combine("..", "shared", "datasets"), "mnist");
var images = IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
var labels = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels;
var test = IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
var testLabels = IdxReader.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")).Labels;
var pixels = images.Shape.PixelCount;

// The first 1,200 training images in 3 folds of 400: each fold is scored by a model fitted on the other two.
const int N = 1200, Folds = 3, FoldSize = N / Folds;
double[] grid = [1e-4, 1e-3, 1e-2];
var best = (Lambda: 0.0, Accuracy: -1.0);
foreach (var lambda in grid)
{
    var scores = new double[Folds];
    for (var fold = 0; fold < Folds; fold++)
    {
        var trainRows = Enumerable.Range(0, N).Where(i => i / FoldSize != fold).ToArray();
        var (x, y) = (Rows(images.Pixels, pixels, trainRows), trainRows.Select(i => labels[i]).ToArray());
        var model = new ImageClassifier<int>(new SoftmaxRegression { Penalty = Penalty.L2, Lambda = lambda, MaxIterations = 100 }).Fit(x, pixels, y);
        scores[fold] = model.Score(images.Pixels.AsSpan(fold * FoldSize * pixels, FoldSize * pixels), pixels, labels[(fold * FoldSize)..((fold + 1) * FoldSize)]);
    }

    Console.WriteLine($"lambda {lambda:0.0000}: fold accuracies {string.Join(" ", scores.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}, mean {scores.Average():0.000}");
    if (scores.Average() > best.Accuracy)
    {
        best = (lambda, scores.Average());
    }
}

// The chosen strength, refitted on all 1,200 images and scored once on the first 2,000 test images.
var chosen = new ImageClassifier<int>(new SoftmaxRegression { Penalty = Penalty.L2, Lambda = best.Lambda, MaxIterations = 100 })
    .Fit(images.Pixels.AsSpan(0, N * pixels), pixels, labels[..N]);
Console.WriteLine($"best lambda {best.Lambda:0.0000} (mean validation accuracy {best.Accuracy:0.000}); test accuracy {chosen.Score(test.Pixels.AsSpan(0, 2000 * pixels), pixels, testLabels[..2000]):0.000} on 2000 images");

static byte[] Rows(byte[] all, int width, int[] rows)
{
    var result = new byte[rows.Length * width];
    for (var r = 0; r < rows.Length; r++)
    {
        all.AsSpan(rows[r] * width, width).CopyTo(result.AsSpan(r * width));
    }

    return result;
}
