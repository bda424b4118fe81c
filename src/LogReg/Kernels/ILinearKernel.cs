namespace LogReg.Kernels;

/// <summary>
/// The one place that computes scores, loss and gradient for a batch. Training loops call only this, so faster kernels
/// (SIMD, multi-core) are swapped in without touching them. Implementations must give the same results as
/// <see cref="ScalarReferenceKernel"/> within float rounding.
/// </summary>
public interface ILinearKernel
{
    /// <summary>A short name for logs and benchmarks.</summary>
    string Name { get; }

    /// <summary>
    /// For the samples <paramref name="rows"/> of <paramref name="problem"/>: returns the sum of their losses and adds
    /// the gradient of that sum into <paramref name="gradWeights"/> and <paramref name="gradBias"/> (which the caller
    /// zeroes first). No reduction, no penalty: the caller applies both.
    /// </summary>
    double LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias);

    /// <summary>
    /// Loss sum and correct predictions over every sample. A logistic sample is predicted positive when its score is at
    /// least <paramref name="logitThreshold"/> (0 for the usual probability threshold 0.5); otherwise the highest score wins.
    /// </summary>
    EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold);

    /// <summary>Scores of every row, written row-major into <paramref name="scores"/> (rows × outputs).</summary>
    void Scores(Preprocessing.FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores);
}
