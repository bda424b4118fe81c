#:project ../../src/LogReg/LogReg.csproj

// The estimators' defaults on image data of several sizes: `new SoftmaxRegression().Fit(X, y)` with no options, on the
// first N training images (pixels ÷ 255, optionally 2×2 or 4×4 average-pooled, or 3×3-pooled from the central 24×24 for
// 8×8), scored on the whole test set. Prints one JSON line per case; with a weights folder it also writes each fitted
// model's intercept and weights as CSV (one row per class: intercept, then the weights) for sklearn_defaults.py's
// objective check.
// Run with: dotnet run bench/defaults/Defaults.cs -- DATA_DIR [WEIGHTS_DIR] CASE...   (CASE = dataset:rows:pool, e.g. mnist:1000:1,
// or dataset:rows:pool:tol to set L-BFGS's Tol and nothing else, for the objective check; pool may be pool@crop, e.g. 3@24:
// the central 24×24 square, 3×3-pooled to 8×8)
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogReg.Data;
using LogReg.Estimators;
using LogReg.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var dataDir = args[0];
var weightsDir = args.Length > 1 && !args[1].Contains(':', StringComparison.Ordinal) ? args[1] : null;
foreach (var spec in args.Skip(weightsDir is null ? 1 : 2))
{
    var parts = spec.Split(':');
    var (dataset, rows) = (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture));
    var poolSpec = parts[2].Split('@');
    var pool = int.Parse(poolSpec[0], CultureInfo.InvariantCulture);
    var crop = poolSpec.Length > 1 ? int.Parse(poolSpec[1], CultureInfo.InvariantCulture) : (int?)null;
    var tol = parts.Length > 3 ? double.Parse(parts[3], CultureInfo.InvariantCulture) : (double?)null;
    var folder = Path.Combine(dataDir, dataset);
    var (x, side) = Features(IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz")), pool, rows, crop);
    var y = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels[..(x.Length / (side * side))];
    var (testX, _) = Features(IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz")), pool, int.MaxValue, crop);
    var testY = IdxReader.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")).Labels;
    var d = side * side;
    var clock = Stopwatch.StartNew();
    var model = (tol is { } t ? new SoftmaxRegression { Tol = t } : new SoftmaxRegression()).Fit(x, y.Length, d, y);
    var seconds = clock.Elapsed.TotalSeconds;
    var test = model.Score(testX, testY.Length, d, testY);
    var train = model.Score(x, y.Length, d, y);
    Console.WriteLine($$"""{"case": "{{spec}}", "rows": {{y.Length}}, "features": {{d}}, "optimizer": "{{model.FittedOptimizer}}", "stop": "{{model.StopReason}}", "iterations": {{model.NIter}}, "seconds": {{seconds:0.00}}, "train_accuracy": {{train:0.0000}}, "test_accuracy": {{test:0.0000}}}""");
    if (weightsDir is not null)
    {
        var csv = new StringBuilder();
        var coef = model.Coef;
        for (var k = 0; k < coef.GetLength(0); k++)
        {
            csv.Append(model.Intercept[k].ToString("R", CultureInfo.InvariantCulture));
            for (var j = 0; j < d; j++)
            {
                csv.Append(',').Append(coef[k, j].ToString("R", CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        File.WriteAllText(Path.Combine(weightsDir, string.Join('_', parts[..3]) + (tol is null ? "" : "_tol" + parts[3]) + ".csv"), csv.ToString());
    }
}

// The first `rows` images as floats ÷ 255, each pool × pool block averaged (pool 1: as they are); with a crop, only the
// central crop × crop square is used (28 → 24 drops 2 pixels on each side), so that pool divides it.
static (float[] X, int Side) Features(ImageArray images, int pool, int rows, int? crop)
{
    var count = Math.Min(rows, images.Count);
    var margin = crop is { } c0 ? (images.Shape.Height - c0) / 2 : 0;
    var side = (crop ?? images.Shape.Height) / pool;
    var x = new float[count * side * side];
    var pixels = images.Pixels;
    var width = images.Shape.Width;
    for (var i = 0; i < count; i++)
    {
        for (var r = 0; r < side; r++)
        {
            for (var c = 0; c < side; c++)
            {
                var sum = 0;
                for (var dr = 0; dr < pool; dr++)
                {
                    for (var dc = 0; dc < pool; dc++)
                    {
                        sum += pixels[(i * images.Shape.PixelCount) + ((margin + (r * pool) + dr) * width) + margin + (c * pool) + dc];
                    }
                }

                x[(i * side * side) + (r * side) + c] = sum / (255f * pool * pool);
            }
        }
    }

    return (x, side);
}
