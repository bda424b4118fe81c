using LogReg.Data;
using LogReg.Experiments;
using LogReg.Models;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Reproduction;

/// <summary>
/// Turns an experiment's results (in memory, as the runner returned them) into what a reproduction checks: the
/// grid's mean metrics, each point's first-run history and the selected model's weights and per-class accuracy, all
/// from what the results keep of the runs (<see cref="ExperimentResults.Runs"/>): nothing the runner wrote is read back.
/// </summary>
public static class ExperimentDataReader
{
    /// <param name="preset">The preset file name the document refers to the experiment by.</param>
    /// <param name="results">The runner's results, with the runs' histories and kept models.</param>
    /// <param name="trainImages">The experiment's training dataset (before its subsets), for class averages; null: no averages.</param>
    public static ExperimentData Read(string preset, ExperimentResults results, Dataset? trainImages)
    {
        ArgumentNullException.ThrowIfNull(results);
        var points = new List<PointData>();
        PointData? best = null;
        foreach (var point in results.Points.Where(p => p.Runs.Count > 0))
        {
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var name in MetricNames)
            {
                if (point.Mean(name) is { } v)
                {
                    metrics[name] = v;
                }
            }

            var parameters = point.Point.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var data = new PointData(parameters, metrics, results.Runs.History(point.Runs[0].Key)?.Epochs ?? [], point.Runs.Count);
            points.Add(data);
            if (ReferenceEquals(point, results.Best))
            {
                best = data;
            }
        }

        return new ExperimentData(preset, results.Spec.Dataset, points, best)
        {
            PerClass = PerClass(results),
            Weights = results.BestRun is { } run && results.Runs.Model(run.Key) is { } model ? Weights(model, results.Spec, trainImages) : [],
            TrainImages = trainImages?.Count,
        };
    }

    private static readonly string[] MetricNames = ["train_accuracy", "train_loss", "val_accuracy", "val_loss", "test_accuracy", "test_loss", "weight_norm", "weight_l1_norm"];

    private static IReadOnlyList<ClassScore> PerClass(ExperimentResults results)
    {
        if (results.TestConfusion is not { } table)
        {
            return [];
        }

        var m = table.Matrix;
        return [.. Enumerable.Range(0, m.ClassCount).Where(k => m.Support(k) > 0).Select(k => new ClassScore(table.ClassNames[k], m.Recall(k), m.Support(k)))];
    }

    /// <summary>The model's weights per output; with one output per class, each beside its class's average training image and their correlation.</summary>
    private static List<ClassWeights> Weights(TrainedModel trained, ExperimentSpec spec, Dataset? train)
    {
        var model = trained.Model;
        var averages = model.Outputs == model.ClassCount && model.ClassCount > 2 && train is not null && train.FeatureCount == model.FeatureCount
            ? ClassAverages(train, spec.Preparation.TrainFirst ?? train.Count, model.ClassCount)
            : null;
        var list = new List<ClassWeights>();
        for (var k = 0; k < model.Outputs; k++)
        {
            var w = model.WeightsOf(k).ToArray();
            var average = averages?[k];
            var name = model.Outputs == 1 ? $"{model.ClassNames[1]} vs {model.ClassNames[0]}" : model.ClassNames[k];
            list.Add(new ClassWeights(name, w, average, average is null ? null : Correlation(w, average)));
        }

        return list;
    }

    /// <summary>The mean image (pixels 0..255) of each class over the first <paramref name="first"/> images.</summary>
    public static double[][] ClassAverages(Dataset train, int first, int classes)
    {
        ArgumentNullException.ThrowIfNull(train);
        var n = Math.Min(first, train.Count);
        var sums = Enumerable.Range(0, classes).Select(_ => new double[train.FeatureCount]).ToArray();
        var counts = new int[classes];
        for (var i = 0; i < n; i++)
        {
            var label = train.Label(i);
            if (label < 0 || label >= classes)
            {
                continue;
            }

            counts[label]++;
            var image = train.Image(i);
            var sum = sums[label];
            for (var j = 0; j < image.Length; j++)
            {
                sum[j] += image[j];
            }
        }

        for (var k = 0; k < classes; k++)
        {
            for (var j = 0; j < sums[k].Length; j++)
            {
                sums[k][j] /= Math.Max(1, counts[k]);
            }
        }

        return sums;
    }

    /// <summary>Pearson correlation of two equally long vectors; 0 when either is constant.</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"the vectors differ in length ({a.Length} and {b.Length})", nameof(b));
        }

        double ma = 0, mb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var (x, y) = (a[i] - ma, b[i] - mb);
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }

        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }
}
