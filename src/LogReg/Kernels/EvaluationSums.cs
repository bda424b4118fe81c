namespace LogReg.Kernels;

/// <summary>Sums over a set of samples: total loss, correct predictions, and how many samples.</summary>
internal readonly record struct EvaluationSums(double LossSum, long Correct, int Count)
{
    /// <summary>The mean loss over the samples; NaN when there are none.</summary>
    public double MeanLoss => Count == 0 ? double.NaN : LossSum / Count;

    /// <summary>The share of samples predicted right; NaN when there are none.</summary>
    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;
}
