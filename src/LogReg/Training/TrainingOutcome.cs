using LogReg.Models;

namespace LogReg.Training;

/// <summary>A trained model with the full record of how it was trained.</summary>
public sealed record TrainingOutcome(TrainedModel Model, TrainingResult Result)
{
    /// <summary>The final metrics of the trained model.</summary>
    public FinalMetrics Metrics => Model.Metrics;
}
