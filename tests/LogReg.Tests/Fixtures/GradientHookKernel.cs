using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// A kernel that calls <paramref name="beforeGradient"/> before every loss-and-gradient pass and hands every call to
/// <paramref name="inner"/>: for tests that count passes, or cancel training after a number of them.
/// </summary>
internal sealed class GradientHookKernel(ILinearKernel inner, Action beforeGradient) : ILinearKernel
{
    public string Name => inner.Name;

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0)
    {
        beforeGradient();
        return inner.LossAndGradient(problem, rows, weights, bias, gradWeights, gradBias, logitThreshold);
    }

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta) =>
        inner.SampleLossAndDelta(problem, row, weights, bias, delta);

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold) =>
        inner.Evaluate(problem, weights, bias, logitThreshold);

    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores) =>
        inner.Scores(features, outputs, weights, bias, scores);
}
