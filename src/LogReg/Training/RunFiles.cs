using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Models;

namespace LogReg.Training;

/// <summary>
/// The files of a training run: model.json, history.csv, history.json, metrics.json and, with a test split,
/// confusion.csv, each written atomically so a crash never leaves a half-written one.
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

    /// <summary>Every file a run writes, for checking the output folder before training.</summary>
    public static IReadOnlyList<string> All { get; } = [Model, HistoryCsv, HistoryJson, Metrics, TestConfusion];

    /// <summary>
    /// Writes the run's files; metrics.json last, so its presence means the run finished. <paramref name="testConfusion"/>,
    /// when given, is the final model's confusion matrix on the test split.
    /// </summary>
    public static void Write(string directory, TrainingOutcome outcome, Evaluation.ConfusionMatrix? testConfusion = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        Directory.CreateDirectory(directory);
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
    /// val_loss, test_loss (null where a split is absent), the kept weights' L2 and L1 norms (weight_norm, weight_l1_norm; bias excluded), with
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
            Number(json, "train_accuracy", m.TrainAccuracy);
            Number(json, "val_accuracy", m.ValidationAccuracy);
            Number(json, "test_accuracy", m.TestAccuracy);
            Number(json, "train_loss", m.TrainLoss);
            Number(json, "val_loss", m.ValidationLoss);
            Number(json, "test_loss", m.TestLoss);
            Number(json, "weight_norm", outcome.Result.Parameters.L2Norm());
            Number(json, "weight_l1_norm", outcome.Result.Parameters.L1Norm());
            json.WriteNumber("epochs_run", m.EpochsRun);
            json.WriteNumber("best_epoch", m.BestEpoch);
            json.WriteString("stop_reason", Models.FinalMetrics.StopReasonName(m.StopReason));
            Number(json, "train_seconds", outcome.Result.Seconds);
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

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
