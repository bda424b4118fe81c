using System.Globalization;
using System.Text;
using LogReg.Data;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// A real tabular dataset made from MNIST for the tests: per image, 62 hand-made features (the ink in each of the 28
/// rows and 28 columns, the total ink, the centre of mass, the spreads and the covariance of the ink) and the digit's
/// name as a text label ("zero" … "nine"), written as CSV files with a header row into a folder of the caller's. Nothing
/// of it is committed: it is computed from the real MNIST in <c>$LOGREG_DATA_DIR</c> (tests skip without it).
/// </summary>
public static class MnistFeatures
{
    public static readonly string[] DigitNames = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    public const string LabelColumn = "digit";

    /// <summary>The feature names, in the order <see cref="Features"/> computes them.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
    [
        .. Enumerable.Range(0, 28).Select(r => $"row{r:00}"),
        .. Enumerable.Range(0, 28).Select(c => $"col{c:00}"),
        "ink", "centre_x", "centre_y", "spread_x", "spread_y", "covariance_xy",
    ];

    /// <summary>
    /// Writes <c>mnist-features-train.csv</c> (the first <paramref name="trainCount"/> training images) and
    /// <c>mnist-features-test.csv</c> (the first <paramref name="testCount"/> test images, with the label column first
    /// and the features in reverse order, so that reading it must match columns by name) into <paramref name="folder"/>;
    /// returns the training file's path.
    /// </summary>
    public static string Write(string folder, int trainCount, int testCount)
    {
        var loader = new DatasetLoader(new DataLocator(null, RealData.Require(), Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null));
        var train = loader.Load("mnist", DatasetSplit.Train);
        var test = loader.Load("mnist", DatasetSplit.Test);
        Directory.CreateDirectory(folder);
        var trainPath = Path.Combine(folder, "mnist-features-train.csv");
        File.WriteAllText(trainPath, Csv(train, trainCount, reversed: false));
        File.WriteAllText(Path.Combine(folder, "mnist-features-test.csv"), Csv(test, testCount, reversed: true));
        return trainPath;
    }

    /// <summary>The 62 features of one 28×28 image, on the raw 0..255 ink scale.</summary>
    public static double[] Features(ReadOnlySpan<byte> image)
    {
        var features = new double[FeatureNames.Count];
        double ink = 0, sx = 0, sy = 0;
        for (var r = 0; r < 28; r++)
        {
            for (var c = 0; c < 28; c++)
            {
                double v = image[r * 28 + c];
                features[r] += v;
                features[28 + c] += v;
                ink += v;
                sx += v * c;
                sy += v * r;
            }
        }

        var cx = ink > 0 ? sx / ink : 13.5;
        var cy = ink > 0 ? sy / ink : 13.5;
        double vx = 0, vy = 0, cxy = 0;
        for (var r = 0; r < 28; r++)
        {
            for (var c = 0; c < 28; c++)
            {
                double v = image[r * 28 + c];
                vx += v * (c - cx) * (c - cx);
                vy += v * (r - cy) * (r - cy);
                cxy += v * (c - cx) * (r - cy);
            }
        }

        features[56] = ink;
        features[57] = cx;
        features[58] = cy;
        features[59] = ink > 0 ? Math.Sqrt(vx / ink) : 0;
        features[60] = ink > 0 ? Math.Sqrt(vy / ink) : 0;
        features[61] = ink > 0 ? cxy / ink : 0;
        return features;
    }

    private static string Csv(Dataset data, int count, bool reversed)
    {
        var order = Enumerable.Range(0, FeatureNames.Count).ToArray();
        if (reversed)
        {
            Array.Reverse(order);
        }

        var text = new StringBuilder();
        text.Append(reversed ? LabelColumn + "," + string.Join(',', order.Select(j => FeatureNames[j])) : string.Join(',', FeatureNames) + "," + LabelColumn).Append('\n');
        for (var i = 0; i < count; i++)
        {
            var features = Features(data.Image(i));
            var values = string.Join(',', order.Select(j => features[j].ToString("0.####", CultureInfo.InvariantCulture)));
            var label = DigitNames[data.Label(i)];
            text.Append(reversed ? label + "," + values : values + "," + label).Append('\n');
        }

        return text.ToString();
    }
}
