
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// Another kernel whose accuracy counts one-vs-rest predictions by <see cref="DecisionRules.FirstHighestSigmoid"/> (the
/// unit with the highest sigmoid in double precision, saturated units tied) instead of the highest score; losses,
/// gradients and steps are the inner kernel's. For reproducing code that decides by argmax over sigmoid outputs: it
/// scores the counted rows once more (only those rows: a mini-batch is not paid for with a pass over the whole problem),
/// into buffers kept from one call to the next.
/// </summary>
internal sealed class SigmoidArgMaxKernel(ILinearKernel inner) : ILinearKernel
{
    public string Name => inner.Name + "-sigmoid-argmax";

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0) =>
        Recount(problem, rows, weights, bias, inner.LossAndGradient(problem, rows, weights, bias, gradWeights, gradBias, logitThreshold));

    public EvaluationSums LossGradientAndStep(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, IGradientStep step, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);

        // The count is of the weights before the step, as the inner kernel's own count is.
        var before = problem.Kind == ModelKind.OneVsRest ? Correct(problem, rows, weights, bias) : -1;
        var sums = inner.LossGradientAndStep(problem, rows, weights, bias, gradWeights, gradBias, step, logitThreshold);
        return before < 0 ? sums : sums with { Correct = before };
    }

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta) =>
        inner.SampleLossAndDelta(problem, row, weights, bias, delta);

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var sums = inner.Evaluate(problem, weights, bias, logitThreshold);
        return problem.Kind == ModelKind.OneVsRest ? sums with { Correct = Correct(problem, [], weights, bias, everyRow: true) } : sums;
    }

    public void PrefetchRows(LinearProblem problem, ReadOnlySpan<int> rows) => inner.PrefetchRows(problem, rows);

    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores) =>
        inner.Scores(features, outputs, weights, bias, scores);

    private EvaluationSums Recount(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, EvaluationSums sums) =>
        problem.Kind == ModelKind.OneVsRest ? sums with { Correct = Correct(problem, rows, weights, bias) } : sums;

    private float[] _scores = [];
    private FeatureMatrix? _batch;

    /// <summary>
    /// How many of <paramref name="rows"/> (every row with <paramref name="everyRow"/>) the sigmoid argmax gets right.
    /// Every row is scored straight from the problem's features; a subset is copied into a batch matrix first.
    /// </summary>
    private long Correct(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, bool everyRow = false)
    {
        var k = problem.Outputs;
        var count = everyRow ? problem.Rows : rows.Length;
        if (_scores.Length < (long)count * k)
        {
            _scores = new float[(long)count * k];
        }

        if (everyRow)
        {
            inner.Scores(problem.Features, k, weights, bias, _scores.AsSpan(0, count * k));
        }
        else
        {
            var d = problem.FeatureCount;
            if (_batch is null || _batch.Rows != count)
            {
                _batch = new FeatureMatrix(count, d);
            }

            for (var i = 0; i < count; i++)
            {
                problem.Features.Row(rows[i]).CopyTo(_batch.Row(i));
            }

            inner.Scores(_batch, k, weights, bias, _scores.AsSpan(0, count * k));
        }

        long correct = 0;
        for (var i = 0; i < count; i++)
        {
            if (DecisionRules.FirstHighestSigmoid(_scores.AsSpan(i * k, k)) == problem.Labels[everyRow ? i : rows[i]])
            {
                correct++;
            }
        }

        return correct;
    }
}
