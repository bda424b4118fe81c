
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// The reference: plain loops, one sample at a time, scores, losses and derivatives in double. Slow and obviously
/// right; every faster kernel is tested against it, and its precision lets L-BFGS tests reach tight tolerances.
/// </summary>
internal sealed class ScalarReferenceKernel : ILinearKernel
{
    public static readonly ScalarReferenceKernel Instance = new();

    public string Name => "scalar-reference";

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, gradWeights, gradBias);
        var outputs = problem.Outputs;
        var d = problem.FeatureCount;
        gradWeights.Clear();
        gradBias.Clear();
        Span<double> logits = stackalloc double[outputs];
        Span<double> delta = stackalloc double[outputs];
        double loss = 0;
        long correct = 0;
        foreach (var row in rows)
        {
            var x = problem.Features.Row(row);
            Logits(x, weights, bias, logits);
            var label = problem.Labels[row];
            loss += Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, label, delta), delta);
            if (DecisionRules.PredictFromLogits<double>(problem.Kind, logits, logitThreshold) == label)
            {
                correct++;
            }

            for (var k = 0; k < outputs; k++)
            {
                var g = gradWeights.Slice(k * d, d);
                var dk = delta[k];
                for (var j = 0; j < d; j++)
                {
                    g[j] = (float)(g[j] + dk * x[j]);
                }

                gradBias[k] = (float)(gradBias[k] + dk);
            }
        }

        return new EvaluationSums(loss, correct, rows.Length);
    }

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Span<double> logits = stackalloc double[problem.Outputs];
        Span<double> exact = stackalloc double[problem.Outputs];
        Logits(problem.Features.Row(row), weights, bias, logits);
        var loss = Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, problem.Labels[row], exact), exact);
        for (var k = 0; k < exact.Length; k++)
        {
            delta[k] = (float)exact[k];
        }

        return loss;
    }

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var outputs = problem.Outputs;
        Span<double> logits = stackalloc double[outputs];
        Span<double> delta = stackalloc double[outputs];
        double loss = 0;
        long correct = 0;
        for (var row = 0; row < problem.Rows; row++)
        {
            Logits(problem.Features.Row(row), weights, bias, logits);
            var label = problem.Labels[row];
            loss += Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, label, delta), delta);
            if (DecisionRules.PredictFromLogits<double>(problem.Kind, logits, logitThreshold) == label)
            {
                correct++;
            }
        }

        return new EvaluationSums(loss, correct, problem.Rows);
    }

    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        Span<double> logits = stackalloc double[outputs];
        for (var row = 0; row < features.Rows; row++)
        {
            Logits(features.Row(row), weights, bias, logits);
            for (var k = 0; k < outputs; k++)
            {
                scores[row * outputs + k] = (float)logits[k];
            }
        }
    }

    /// <summary>A sample's loss and score derivatives times its weight (<see cref="LinearProblem.SampleWeights"/>), when weighted.</summary>
    private static double Weighted(LinearProblem problem, int row, double loss, Span<double> delta)
    {
        if (problem.SampleWeights is not { } weights)
        {
            return loss;
        }

        double weight = weights[row];
        for (var k = 0; k < delta.Length; k++)
        {
            delta[k] *= weight;
        }

        return loss * weight;
    }

    /// <summary>z_k = Σ_j w_kj x_j + b_k, summed in double.</summary>
    internal static void Logits(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<double> logits)
    {
        var d = x.Length;
        for (var k = 0; k < logits.Length; k++)
        {
            var w = weights.Slice(k * d, d);
            double z = bias[k];
            for (var j = 0; j < d; j++)
            {
                z += (double)w[j] * x[j];
            }

            logits[k] = z;
        }
    }
}
