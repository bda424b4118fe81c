using LogReg.Models;
using LogReg.Training;

namespace LogReg.Runs;

/// <summary>A trained model with the full record of how it was trained.</summary>
public sealed record TrainingOutcome(TrainedModel Model, TrainingResult Result)
{
    public FinalMetrics Metrics => Model.Metrics;
}
