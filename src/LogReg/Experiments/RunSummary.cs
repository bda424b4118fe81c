using System.Text.Json;
using LogReg.Data;
using LogReg.Runs;

namespace LogReg.Experiments;

/// <summary>
/// A finished run's final metrics (<see cref="Models.FinalMetrics"/>, the model's own), its training time and the kept
/// weights' norms, as its metrics.json records them.
/// </summary>
public sealed record RunSummary(RunKey Key, Models.FinalMetrics Metrics, double FitSeconds, double? WeightNorm = null, double? WeightL1Norm = null)
{
    /// <summary>Accuracy on the training split.</summary>
    public double TrainAccuracy => Metrics.TrainAccuracy;

    /// <summary>Mean loss on the training split.</summary>
    public double TrainLoss => Metrics.TrainLoss;

    /// <summary>Accuracy on the validation split, if there is one.</summary>
    public double? ValidationAccuracy => Metrics.ValidationAccuracy;

    /// <summary>Mean loss on the validation split, if there is one.</summary>
    public double? ValidationLoss => Metrics.ValidationLoss;

    /// <summary>Accuracy on the test split, if the run was tested.</summary>
    public double? TestAccuracy => Metrics.TestAccuracy;

    /// <summary>Mean loss on the test split, if the run was tested.</summary>
    public double? TestLoss => Metrics.TestLoss;

    /// <summary>Epochs (or iterations) run.</summary>
    public int EpochsRun => Metrics.EpochsRun;

    /// <summary>The epoch whose weights were kept.</summary>
    public int BestEpoch => Metrics.BestEpoch;

    /// <summary>Why training stopped.</summary>
    public Training.StopReason StopReason => Metrics.StopReason;

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
        var metrics = m with
        {
            TrainAccuracy = Finite(m.TrainAccuracy) ?? double.NaN,
            TrainLoss = Finite(m.TrainLoss) ?? double.NaN,
            ValidationAccuracy = Finite(m.ValidationAccuracy),
            ValidationLoss = Finite(m.ValidationLoss),
            TestAccuracy = Finite(m.TestAccuracy),
            TestLoss = Finite(m.TestLoss),
        };
        return new RunSummary(
            key,
            metrics,
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

            return new RunSummary(
                key,
                Models.FinalMetrics.Read(root),
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
