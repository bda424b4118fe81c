using System.Numerics.Tensors;
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// One sample at a time, like the reference, but each dot product and gradient update is a vectorised
/// <see cref="TensorPrimitives"/> call. Single-threaded; a simple, fast-enough baseline.
/// </summary>
internal sealed class TensorPrimitivesKernel : ILinearKernel
{
    public static readonly TensorPrimitivesKernel Instance = new();

    public string Name => "tensor-primitives";

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, gradWeights, gradBias);
        var outputs = problem.Outputs;
        var d = problem.FeatureCount;
        gradWeights.Clear();
        gradBias.Clear();
        Span<float> logits = stackalloc float[outputs];
        Span<float> delta = stackalloc float[outputs];
        double loss = 0;
        long correct = 0;
        foreach (var row in rows)
        {
            ReadOnlySpan<float> x = problem.Features.Row(row);
            Logits(x, weights, bias, logits);
            var label = problem.Labels[row];
            loss += Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, label, delta), delta);
            if (DecisionRules.PredictFromLogits(problem.Kind, logits, logitThreshold) == label)
            {
                correct++;
            }

            for (var k = 0; k < outputs; k++)
            {
                var g = gradWeights.Slice(k * d, d);
                TensorPrimitives.MultiplyAdd(x, delta[k], g, g);
                gradBias[k] += delta[k];
            }
        }

        return new EvaluationSums(loss, correct, rows.Length);
    }

    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Span<float> logits = stackalloc float[problem.Outputs];
        Logits(problem.Features.Row(row), weights, bias, logits);
        return Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, problem.Labels[row], delta), delta);
    }

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var outputs = problem.Outputs;
        Span<float> logits = stackalloc float[outputs];
        Span<float> delta = stackalloc float[outputs];
        double loss = 0;
        long correct = 0;
        for (var row = 0; row < problem.Rows; row++)
        {
            Logits(problem.Features.Row(row), weights, bias, logits);
            var label = problem.Labels[row];
            loss += Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, label, delta), delta);
            if (DecisionRules.PredictFromLogits(problem.Kind, logits, logitThreshold) == label)
            {
                correct++;
            }
        }

        return new EvaluationSums(loss, correct, problem.Rows);
    }

    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        for (var row = 0; row < features.Rows; row++)
        {
            Logits(features.Row(row), weights, bias, scores.Slice(row * outputs, outputs));
        }
    }

    /// <summary>A sample's loss and score derivatives times its weight (<see cref="LinearProblem.SampleWeights"/>), when weighted.</summary>
    internal static double Weighted(LinearProblem problem, int row, double loss, Span<float> delta)
    {
        if (problem.SampleWeights is not { } weights)
        {
            return loss;
        }

        TensorPrimitives.Multiply(delta, weights[row], delta);
        return loss * weights[row];
    }

    private static void Logits(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> logits)
    {
        var d = x.Length;
        for (var k = 0; k < logits.Length; k++)
        {
            logits[k] = TensorPrimitives.Dot(weights.Slice(k * d, d), x) + bias[k];
        }
    }
}
