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
    string StopReason);
