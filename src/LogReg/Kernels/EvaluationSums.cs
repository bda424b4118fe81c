namespace LogReg.Kernels;

/// <summary>Sums over a set of samples: total loss, correct predictions, and how many samples.</summary>
public readonly record struct EvaluationSums(double LossSum, long Correct, int Count)
{
    public double MeanLoss => Count == 0 ? double.NaN : LossSum / Count;

    public double Accuracy => Count == 0 ? double.NaN : (double)Correct / Count;
}
