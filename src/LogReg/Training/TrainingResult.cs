using LogReg.Core;

namespace LogReg.Training;

/// <summary>What a training run produced: the final parameters, the history, why it stopped, and any warning.</summary>
public sealed record TrainingResult(
    LinearParameters Parameters,
    TrainingHistory History,
    StopReason StopReason,
    int BestEpoch,
    string? Warning,
    double Seconds)
{
    /// <summary>Epochs (or L-BFGS iterations) actually run.</summary>
    public int EpochsRun => History.Epochs.Count;
}
