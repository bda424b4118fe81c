#:project ../src/LogReg/LogReg.csproj

// Softmax regression on MNIST images read from IDX files, through ImageClassifier (pixels ÷ 255, then the estimator).
// Run with: dotnet run examples/ImagesFromIdx.cs [MNIST folder]   (default: $LOGREG_DATA_DIR/mnist, else ../shared/datasets/mnist)
using System.Diagnostics;
using System.Globalization;
using LogReg.Data;
using LogReg.Estimators;
using LogReg.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var folder = args.Length > 0 ? args[0] : Path.Combine(Environment.GetEnvironmentVariable("LOGREG_DATA_DIR") ?? Path.Combine("..", "shared", "datasets"), "mnist");
var train = IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
var trainLabels = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels;
var test = IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
var testLabels = IdxReader.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")).Labels;

// Both are solved by L-BFGS by default (at most 20 M values: rows × pixels); 25,000 images or more would get SGD.
foreach (var (n, lambda) in new[] { (2000, 1e-3), (10000, 1e-4) })
{
    var clock = Stopwatch.StartNew();
    var model = new ImageClassifier<int>(new SoftmaxRegression { Penalty = Penalty.L2, Lambda = lambda })
        .Fit(train.Pixels.AsSpan(0, n * 784), 784, trainLabels[..n]);
    var seconds = clock.Elapsed.TotalSeconds;
    var estimator = model.Estimator;
    Console.WriteLine($"{n} training images, L2 λ {lambda}: {estimator.FittedOptimizer} {estimator.StopReason} after {estimator.NIter} in {seconds:0.0} s; test accuracy {model.Score(test.Pixels, 784, testLabels):0.0000} on {testLabels.Length} images");
}
