using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// The one place that computes scores, loss and gradient for a batch. Training loops call only this, so faster kernels
/// (SIMD, multi-core) are swapped in without touching them. Implementations must give the same results as
/// <see cref="ScalarReferenceKernel"/> within float rounding.
/// </summary>
internal interface ILinearKernel
{
    /// <summary>A short name for logs and benchmarks.</summary>
    string Name { get; }

    /// <summary>
    /// For the samples <paramref name="rows"/> of <paramref name="problem"/>: returns the sum of their losses (with the
    /// number of correct predictions, at <paramref name="logitThreshold"/> for a logistic model) and writes the gradient
    /// of that sum over <paramref name="gradWeights"/> and <paramref name="gradBias"/> (their previous contents are
    /// ignored). No reduction, no penalty: the caller applies both.
    /// </summary>
    EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0);

    /// <summary>
    /// As <see cref="LossAndGradient"/>, then, when the loss is finite, <paramref name="step"/> over every weight and
    /// the biases (which it updates itself; <paramref name="weights"/> and <paramref name="bias"/> are what it updates). A
    /// multi-core kernel may take the step in slices on its workers; the default takes it in one piece afterwards.
    /// </summary>
    EvaluationSums LossGradientAndStep(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, IGradientStep step, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(step);
        var sums = LossAndGradient(problem, rows, weights, bias, gradWeights, gradBias, logitThreshold);
        if (double.IsFinite(sums.LossSum))
        {
            step.StepWeights(0, gradWeights.Length);
            step.StepBias();
        }

        return sums;
    }

    /// <summary>
    /// The loss of the single sample <paramref name="row"/> and its derivative with respect to each score, written over
    /// <paramref name="delta"/> (one entry per output). Per-sample SGD applies the gradient delta ⊗ x from these without
    /// building it.
    /// </summary>
    double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta);

    /// <summary>
    /// Loss sum and correct predictions over every sample. A logistic sample is predicted positive when its score is at
    /// least <paramref name="logitThreshold"/> (0 for the usual probability threshold 0.5); otherwise the highest score wins.
    /// </summary>
    EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold);

    /// <summary>
    /// A hint that <paramref name="rows"/> will be needed soon (the next mini-batch): a kernel may start fetching them into
    /// cache now. Returns at once; the default does nothing.
    /// </summary>
    void PrefetchRows(LinearProblem problem, ReadOnlySpan<int> rows)
    {
    }

    /// <summary>Scores of every row, written row-major into <paramref name="scores"/> (rows × outputs).</summary>
    void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores);
}
