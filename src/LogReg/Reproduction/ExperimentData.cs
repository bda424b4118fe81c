using System.Globalization;
using LogReg.Experiments;
using LogReg.Training;

namespace LogReg.Reproduction;

/// <summary>
/// What the checks and tables of a reproduction see of one preset's experiment: every grid point's parameters, its
/// mean final metrics and the history of its first run, and of the selected model its per-class test accuracy and its
/// weight images beside the class averages. Built from the runner's results in memory (and the run files the runner
/// just wrote), or constructed directly in tests.
/// </summary>
public sealed record ExperimentData(string Preset, string Dataset, IReadOnlyList<PointData> Points, PointData? Best)
{
    /// <summary>Test accuracy (recall) of each class of the selected model, in class order; empty when unknown.</summary>
    public IReadOnlyList<ClassScore> PerClass { get; init; } = [];

    /// <summary>The selected model's weights per output, with the class averages; empty when unknown.</summary>
    public IReadOnlyList<ClassWeights> Weights { get; init; } = [];

    /// <summary>How many training images the experiment's dataset offered (before its own subsets); null when unknown.</summary>
    public int? TrainImages { get; init; }

    /// <summary>The point <paramref name="point"/> names, or null when there is no such point (or it has no finished run).</summary>
    public PointData? Find(PointRef point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Where.Count == 0)
        {
            return Best;
        }

        return Points.FirstOrDefault(p => point.Where.All(w => p.Parameters.TryGetValue(w.Key, out var v) && SameValue(v, w.Value)));
    }

    /// <summary>Values equal as numbers (0.1 and 1e-1) where both are numbers, as text otherwise.</summary>
    public static bool SameValue(string a, string b) =>
        double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            ? x == y || Math.Abs(x - y) <= 1e-12 * Math.Max(Math.Abs(x), Math.Abs(y))
            : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One grid point: its parameters, the mean of each final metric over its runs, and its first run's history.</summary>
public sealed record PointData(IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<EpochRecord> History, int Runs)
{
    /// <summary>
    /// A metric by name: a final one (test_accuracy, val_accuracy, train_accuracy, test_loss, weight_norm, ...), or
    /// one epoch of the history as "NAME@EPOCH" (train_accuracy@10: after the 10th epoch or iteration). Null when missing.
    /// </summary>
    public double? Metric(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return Metrics.TryGetValue(name, out var v) && double.IsFinite(v) ? v : null;
        }

        var epoch = int.Parse(name.AsSpan(at + 1), CultureInfo.InvariantCulture);
        var record = History.FirstOrDefault(e => e.Epoch == epoch);
        return record is null ? null : HistoryValue(record, name[..at]);
    }

    /// <summary>A value of one epoch's record by its history column name.</summary>
    public static double? HistoryValue(EpochRecord e, string column)
    {
        ArgumentNullException.ThrowIfNull(e);
        double? value = column switch
        {
            "train_loss" => e.TrainLoss,
            "train_accuracy" => e.TrainAccuracy,
            "val_loss" => e.ValidationLoss,
            "val_accuracy" => e.ValidationAccuracy,
            "test_loss" => e.TestLoss,
            "test_accuracy" => e.TestAccuracy,
            "l1_norm" => e.L1Norm,
            "l2_norm" => e.L2Norm,
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, "unknown history column"),
        };
        return value is { } v && double.IsFinite(v) ? v : null;
    }

    /// <summary>The point's value of a numeric grid axis, or null.</summary>
    public double? Axis(string axis) =>
        Parameters.TryGetValue(axis, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The point as "axis=value, ..." for messages and tables.</summary>
    public string Describe() => Parameters.Count == 0 ? "(no grid)" : string.Join(", ", Parameters.Select(p => $"{p.Key} {p.Value}"));
}

/// <summary>A class's test accuracy: the share of its test images predicted as it.</summary>
public sealed record ClassScore(string Class, double Accuracy, long Support);

/// <summary>
/// One output's weights (bias excluded) and the average training image of its class (pixels 0..255), with their
/// Pearson correlation; <paramref name="Average"/> and <paramref name="Correlation"/> are null for a binary model.
/// </summary>
public sealed record ClassWeights(string Class, float[] Weights, double[]? Average, double? Correlation);
