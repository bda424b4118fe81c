using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// Another kernel with its own way of taking optimizer steps hidden: every step is taken in one piece on the calling
/// thread after the gradient (the <see cref="ILinearKernel"/> default). Tests check a kernel's fused steps against it,
/// and the epoch benchmarks measure what fusing them saves.
/// </summary>
internal sealed class StepAfterGradient(ILinearKernel inner) : ILinearKernel
{
    public string Name => inner.Name + "-step-after";

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0) =>
        inner.LossAndGradient(problem, rows, weights, bias, gradWeights, gradBias, logitThreshold);

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta) =>
        inner.SampleLossAndDelta(problem, row, weights, bias, delta);

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold) =>
        inner.Evaluate(problem, weights, bias, logitThreshold);

    public void PrefetchRows(LinearProblem problem, ReadOnlySpan<int> rows) => inner.PrefetchRows(problem, rows);

    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores) =>
        inner.Scores(features, outputs, weights, bias, scores);
}
