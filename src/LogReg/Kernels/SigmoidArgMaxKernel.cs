using LogReg.Models;

namespace LogReg.Kernels;

/// <summary>
/// Another kernel whose accuracy counts one-vs-rest predictions by <see cref="Activations.FirstHighestSigmoid"/> (the
/// unit with the highest sigmoid in double precision, saturated units tied) instead of the highest score; losses,
/// gradients and steps are the inner kernel's. For reproducing code that decides by argmax over sigmoid outputs: it
/// scores each evaluated set once more, which only matters on the small problems such reproductions run.
/// </summary>
public sealed class SigmoidArgMaxKernel(ILinearKernel inner) : ILinearKernel
{
    public string Name => inner.Name + "-sigmoid-argmax";

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0) =>
        Recount(problem, rows, weights, bias, inner.LossAndGradient(problem, rows, weights, bias, gradWeights, gradBias, logitThreshold));

    public EvaluationSums LossGradientAndStep(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, IGradientStep step, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);

        // The count is of the weights before the step, as the inner kernel's own count is.
        var before = problem.Kind == ModelKind.OneVsRest ? Correct(problem, rows.ToArray(), weights, bias) : -1;
        var sums = inner.LossGradientAndStep(problem, rows, weights, bias, gradWeights, gradBias, step, logitThreshold);
        return before < 0 ? sums : sums with { Correct = before };
    }

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta) =>
        inner.SampleLossAndDelta(problem, row, weights, bias, delta);

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var sums = inner.Evaluate(problem, weights, bias, logitThreshold);
        return problem.Kind == ModelKind.OneVsRest ? sums with { Correct = Correct(problem, null, weights, bias) } : sums;
    }

    public void PrefetchRows(LinearProblem problem, ReadOnlySpan<int> rows) => inner.PrefetchRows(problem, rows);

    public void Scores(Preprocessing.FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores) =>
        inner.Scores(features, outputs, weights, bias, scores);

    private EvaluationSums Recount(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, EvaluationSums sums) =>
        problem.Kind == ModelKind.OneVsRest ? sums with { Correct = Correct(problem, rows.ToArray(), weights, bias) } : sums;

    /// <summary>How many of <paramref name="rows"/> (every row when null) the sigmoid argmax gets right.</summary>
    private long Correct(LinearProblem problem, int[]? rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        var k = problem.Outputs;
        var scores = new float[(long)problem.Rows * k];
        inner.Scores(problem.Features, k, weights, bias, scores);
        long correct = 0;
        foreach (var row in rows ?? Enumerable.Range(0, problem.Rows))
        {
            if (Activations.FirstHighestSigmoid(scores.AsSpan(row * k, k)) == problem.Labels[row])
            {
                correct++;
            }
        }

        return correct;
    }
}
