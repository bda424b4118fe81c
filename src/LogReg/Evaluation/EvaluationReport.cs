namespace LogReg.Evaluation;

/// <summary>One misclassified sample, for "most confident mistakes" views.</summary>
public sealed record Mistake(int Index, int Actual, int Predicted, double Probability);

/// <summary>How a model does on a set of samples.</summary>
public sealed record EvaluationReport(
    IReadOnlyList<string> ClassNames,
    int Count,
    double Accuracy,
    double MeanLoss,
    int TopK,
    double TopKAccuracy,
    ConfusionMatrix Confusion,
    IReadOnlyList<Mistake> ConfidentMistakes)
{
    /// <summary>The unweighted mean of the per-class F1 scores.</summary>
    public double MacroF1 => Enumerable.Range(0, Confusion.ClassCount).Average(Confusion.F1);
}
