using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Models;

namespace LogReg.Runs;

/// <summary>
/// The files of a training run: model.json, history.csv, history.json, metrics.json and, with a test split,
/// confusion.csv, each written atomically so a crash never leaves a half-written one; for a class pair, the one-vs-rest
/// difference (<see cref="Runs.OneVsRestDifference"/>) when it is trained, after the run.
/// </summary>
public static class RunFiles
{
    /// <summary>The model file's name.</summary>
    public const string Model = "model.json";
    /// <summary>The per-epoch history's CSV file name.</summary>
    public const string HistoryCsv = "history.csv";
    /// <summary>The per-epoch history's JSON file name.</summary>
    public const string HistoryJson = "history.json";
    /// <summary>The final metrics' file name.</summary>
    public const string Metrics = "metrics.json";
    /// <summary>The test confusion matrix's file name.</summary>
    public const string TestConfusion = "confusion.csv";
    /// <summary>The file holding a class-pair model's one-vs-rest weight difference (ovr-difference.json).</summary>
    public const string OneVsRestDifference = Runs.OneVsRestDifference.FileName;

    /// <summary>Every file a run writes, for checking the output folder before training.</summary>
    public static IReadOnlyList<string> All { get; } = [Model, HistoryCsv, HistoryJson, Metrics, TestConfusion, OneVsRestDifference];

    /// <summary>
    /// Writes the run's files; metrics.json last, so its presence means the run finished. <paramref name="testConfusion"/>,
    /// when given, is the final model's confusion matrix on the test split.
    /// </summary>
    public static void Write(string directory, TrainingOutcome outcome, Evaluation.ConfusionMatrix? testConfusion = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Directory.CreateDirectory(directory);
        // A difference left by an earlier run in this folder belongs to another model.
        File.Delete(Path.Combine(directory, OneVsRestDifference));
        ModelFile.Save(outcome.Model, Path.Combine(directory, Model));
        if (testConfusion is not null)
        {
            AtomicFile.WriteAllText(Path.Combine(directory, TestConfusion), testConfusion.ToCsv(outcome.Model.ClassNames));
        }

        AtomicFile.WriteAllText(Path.Combine(directory, HistoryCsv), outcome.Result.History.ToCsv());
        AtomicFile.WriteAllText(Path.Combine(directory, HistoryJson), outcome.Result.History.ToJson());
        AtomicFile.WriteAllText(Path.Combine(directory, Metrics), MetricsJson(outcome));
    }

    /// <summary>
    /// Final accuracy and loss per split under the names train_accuracy, val_accuracy, test_accuracy, train_loss,
    /// val_loss, test_loss (null where a split is absent), the kept weights' L2 and L1 norms (weight_norm, weight_l1_norm; bias excluded) and how many of them are exactly
    /// zero (zero_weights), with
    /// how training went.
    /// </summary>
    public static string MetricsJson(TrainingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var m = outcome.Metrics;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            JsonNumbers.WriteFiniteOrNull(json, "train_accuracy", m.TrainAccuracy);
            JsonNumbers.WriteFiniteOrNull(json, "val_accuracy", m.ValidationAccuracy);
            JsonNumbers.WriteFiniteOrNull(json, "test_accuracy", m.TestAccuracy);
            JsonNumbers.WriteFiniteOrNull(json, "train_loss", m.TrainLoss);
            JsonNumbers.WriteFiniteOrNull(json, "val_loss", m.ValidationLoss);
            JsonNumbers.WriteFiniteOrNull(json, "test_loss", m.TestLoss);
            JsonNumbers.WriteFiniteOrNull(json, "weight_norm", outcome.Result.Parameters.L2Norm());
            JsonNumbers.WriteFiniteOrNull(json, "weight_l1_norm", outcome.Result.Parameters.L1Norm());
            json.WriteNumber("zero_weights", outcome.Result.Parameters.ZeroWeights());
            json.WriteNumber("epochs_run", m.EpochsRun);
            json.WriteNumber("best_epoch", m.BestEpoch);
            json.WriteString("stop_reason", Models.FinalMetrics.StopReasonName(m.StopReason));
            JsonNumbers.WriteFiniteOrNull(json, "train_seconds", outcome.Result.Seconds);
            if (outcome.Result.Warning is { } warning)
            {
                json.WriteString("warning", warning);
            }
            else
            {
                json.WriteNull("warning");
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
