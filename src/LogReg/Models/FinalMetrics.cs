using System.Text.Json;
using LogReg.Training;

namespace LogReg.Models;

/// <summary>
/// Accuracy and mean cross-entropy of the final model on each split (null where the split does not exist), and how
/// training went. Named train/val/test as in metrics.json.
/// </summary>
public sealed record FinalMetrics(
    double TrainAccuracy,
    double TrainLoss,
    double? ValidationAccuracy,
    double? ValidationLoss,
    double? TestAccuracy,
    double? TestLoss,
    int EpochsRun,
    int BestEpoch,
    StopReason StopReason)
{
    /// <summary>
    /// The metrics fields of a metrics.json object (or a model file's "metrics"): missing or non-numeric numbers read
    /// as NaN / null / 0, a missing or unknown stop reason as <see cref="StopReason.Unknown"/>. Shared by model files and
    /// experiment results.
    /// </summary>
    internal static FinalMetrics Read(JsonElement e)
    {
        double? Optional(string name) => ReadNumber(e, name);
        return new FinalMetrics(
            Optional("train_accuracy") ?? double.NaN,
            Optional("train_loss") ?? double.NaN,
            Optional("val_accuracy"),
            Optional("val_loss"),
            Optional("test_accuracy"),
            Optional("test_loss"),
            (int)(Optional("epochs_run") ?? 0),
            (int)(Optional("best_epoch") ?? 0),
            ParseStopReason(e.TryGetProperty("stop_reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null));
    }

    /// <summary>The name files record (the enum member's, e.g. EarlyStopped).</summary>
    public static string StopReasonName(StopReason reason) => reason.ToString();

    /// <summary>A recorded stop reason; anything else is <see cref="StopReason.Unknown"/>.</summary>
    public static StopReason ParseStopReason(string? name) =>
        Enum.TryParse<StopReason>(name, ignoreCase: false, out var reason) && Enum.IsDefined(reason) && name!.All(char.IsAsciiLetter) ? reason : StopReason.Unknown;

    /// <summary>A number of the same object that is not one of the metrics above (train_seconds, weight norms).</summary>
    internal static double? ReadNumber(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
