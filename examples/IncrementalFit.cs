#:project ../src/LogReg/LogReg.csproj

// Incremental fitting: PartialFit on batches as they arrive (here 500 MNIST images at a time), scoring as it goes.
// Run with: dotnet run examples/IncrementalFit.cs [MNIST folder]   (default: $LOGREG_DATA_DIR/mnist, else ../shared/datasets/mnist)
using System.Globalization;
using LogReg.Data;
using LogReg.Estimators;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var folder = args.Length > 0 ? args[0] : Path.Combine(Environment.GetEnvironmentVariable("LOGREG_DATA_DIR") ?? Path.Combine("..", "shared", "datasets"), "mnist");
var train = IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
var trainLabels = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels;
var test = IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
var testLabels = IdxReader.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")).Labels;
var pixels = train.Shape.PixelCount;
const int Batch = 500, Batches = 8, TestImages = 2000;

// The first call declares every class (a batch need not hold them all); the pixel scaling (÷255) is fixed on it too.
int[] classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
var model = new ImageClassifier<int>(new SoftmaxRegression { LearningRate = 0.1, BatchSize = 50, Seed = 1 });
for (var b = 0; b < Batches; b++)
{
    var batch = train.Pixels.AsSpan(b * Batch * pixels, Batch * pixels);
    model.PartialFit(batch, pixels, trainLabels[(b * Batch)..((b + 1) * Batch)], b == 0 ? classes : null);
    var record = model.Estimator.History.Epochs[^1];
    Console.WriteLine($"after {(b + 1) * Batch} images: batch loss {record.TrainLoss:0.000}, test accuracy {model.Score(test.Pixels.AsSpan(0, TestImages * pixels), pixels, testLabels[..TestImages]):0.000}");
}

Console.WriteLine($"{model.Estimator.History.Epochs.Count} PartialFit calls, {model.Estimator.Classes.Length} classes");
