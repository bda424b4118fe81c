using LogReg.Evaluation;
using LogReg.Models;
using LogReg.Training;

namespace LogReg.Runs;

/// <summary>
/// A trained model with the full record of how it was trained and, with a test split, the one evaluation of it
/// (accuracy and loss, also in the model's metrics; confusion matrix; most confident mistakes).
/// </summary>
public sealed record TrainingOutcome(TrainedModel Model, TrainingResult Result, EvaluationReport? TestEvaluation = null)
{
    /// <summary>The trained model's final metrics (train, validation and test).</summary>
    public FinalMetrics Metrics => Model.Metrics;
}
