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

/// <summary>
/// A progress sink that also wants the weights after each epoch (logreg train --serve draws them while training goes
/// on). Called on the training thread just before the epoch's record is reported; the spans are the live parameters,
/// so a sink copies what it keeps.
/// </summary>
public interface IEpochWeightsProgress : IProgress<EpochRecord>
{
    /// <summary>The live parameters after <paramref name="epoch"/>; copy what you keep.</summary>
    void ReportWeights(int epoch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias);
}
