namespace LogReg.Training;

/// <summary>
/// One epoch (or L-BFGS iteration) of training: mean cross-entropy and accuracy on each split (null where there is no
/// such split), the learning rate used, the weight norms after the epoch, and the seconds since training began.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double? TestLoss,
    double? TestAccuracy,
    double LearningRate,
    double L1Norm,
    double L2Norm,
    double ElapsedSeconds);
