using System.Text.Json;
using LogReg.Data;
using LogReg.Runs;

namespace LogReg.Experiments;

/// <summary>A finished run's final metrics, as its metrics.json records them.</summary>
public sealed record RunSummary(
    RunKey Key,
    double TrainAccuracy,
    double TrainLoss,
    double? ValidationAccuracy,
    double? ValidationLoss,
    double? TestAccuracy,
    double? TestLoss,
    int EpochsRun,
    int BestEpoch,
    Training.StopReason StopReason,
    double FitSeconds,
    double? WeightNorm = null,
    double? WeightL1Norm = null)
{
    /// <summary>The value of a metric by its results name (val_accuracy, train_loss, test_accuracy, ...).</summary>
    public double? Metric(string name) => name switch
    {
        "train_accuracy" => TrainAccuracy,
        "train_loss" => TrainLoss,
        "val_accuracy" => ValidationAccuracy,
        "val_loss" => ValidationLoss,
        "test_accuracy" => TestAccuracy,
        "test_loss" => TestLoss,
        "weight_norm" => WeightNorm,
        "weight_l1_norm" => WeightL1Norm,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown metric"),
    };

    /// <summary>
    /// The summary of a run trained in this process, from memory: the same values its metrics.json records (a number
    /// that is not finite reads back as missing), so a fresh run and a resumed one aggregate alike.
    /// </summary>
    public static RunSummary From(RunKey key, TrainingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
        var m = outcome.Metrics;
        return new RunSummary(
            key,
            Finite(m.TrainAccuracy) ?? double.NaN,
            Finite(m.TrainLoss) ?? double.NaN,
            Finite(m.ValidationAccuracy),
            Finite(m.ValidationLoss),
            Finite(m.TestAccuracy),
            Finite(m.TestLoss),
            m.EpochsRun,
            m.BestEpoch,
            m.StopReason,
            Finite(outcome.Result.Seconds) ?? 0,
            Finite(outcome.Result.Parameters.L2Norm()),
            Finite(outcome.Result.Parameters.L1Norm()));
    }

    /// <summary>Reads a run's metrics.json, or null when the run has not finished (the file is written last).</summary>
    public static RunSummary? TryRead(RunKey key, string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.Metrics);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LogRegDataException(path, "a run's metrics file must hold a JSON object; delete the run's folder to run it again");
            }

            var m = Models.FinalMetrics.Read(root);
            return new RunSummary(
                key,
                m.TrainAccuracy,
                m.TrainLoss,
                m.ValidationAccuracy,
                m.ValidationLoss,
                m.TestAccuracy,
                m.TestLoss,
                m.EpochsRun,
                m.BestEpoch,
                m.StopReason,
                Models.FinalMetrics.ReadNumber(root, "train_seconds") ?? 0,
                Models.FinalMetrics.ReadNumber(root, "weight_norm"),
                Models.FinalMetrics.ReadNumber(root, "weight_l1_norm"));
        }
        catch (JsonException e)
        {
            throw new LogRegDataException(path, $"a run's metrics file is not valid JSON ({e.Message.Split('.')[0]}); delete the run's folder to run it again", e);
        }
    }
}
