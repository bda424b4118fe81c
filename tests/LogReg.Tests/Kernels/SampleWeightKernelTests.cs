using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Models;

namespace LogReg.Tests.Kernels;

/// <summary>
/// Per-sample weights in every kernel: the fused kernel at every width, layout and thread count against the scalar
/// reference, and the reference itself against the unweighted per-sample losses and gradients times the weights.
/// </summary>
public sealed class SampleWeightKernelTests
{
    public static TheoryData<SimdWidth, RowLayout, int> Configurations() => FusedLinearKernelTests.Configurations();

    /// <summary>Weights between 0 and 3, with a zero every fifth sample.</summary>
    private static float[] Weights(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        return Enumerable.Range(0, rows).Select(i => i % 5 == 2 ? 0f : (float)(3 * random.NextDouble())).ToArray();
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Weighted_loss_gradient_and_evaluation_match_the_reference_at_every_width(SimdWidth width, RowLayout layout, int threads)
    {
        using var kernel = new FusedLinearKernel(threads, width, layout);
        foreach (var (kind, classes) in new[] { (ModelKind.Logistic, 2), (ModelKind.Softmax, 3), (ModelKind.Softmax, 10), (ModelKind.OneVsRest, 5) })
        {
            foreach (var (d, oneScale) in new[] { (13, false), (97, false), (784, true) })
            {
                var problem = FusedLinearKernelTests.Problem(kind, rows: 150, features: d, classes, seed: d + classes, oneScale: oneScale, zeroFraction: oneScale ? 0.6 : 0)
                    .WithSampleWeights(Weights(150, seed: d));
                var random = new SeededRandom(d);
                foreach (var n in new[] { 1, 65, 150 })
                {
                    var rows = Enumerable.Range(0, n).Select(_ => random.NextInt(150)).ToArray();
                    var (w, b) = FusedLinearKernelTests.Parameters(problem.Outputs, d, seed: n);
                    var (expected, expectedW, expectedB) = Gradient(ScalarReferenceKernel.Instance, problem, rows, w, b);
                    var (actual, actualW, actualB) = Gradient(kernel, problem, rows, w, b);
                    var what = $"{kernel.Name} {kind} k={classes} d={d} n={n}";
                    AssertClose(expected.LossSum, actual.LossSum, 1e-4, what + " loss");
                    Assert.InRange(actual.Correct, expected.Correct - 1, expected.Correct + 1);
                    AssertAllClose(expectedW, actualW, what + " grad W");
                    AssertAllClose(expectedB, actualB, what + " grad b");
                }

                var (pw, pb) = FusedLinearKernelTests.Parameters(problem.Outputs, d, seed: 4);
                AssertClose(ScalarReferenceKernel.Instance.Evaluate(problem, pw, pb, 0).LossSum, kernel.Evaluate(problem, pw, pb, 0).LossSum, 1e-4, $"{kernel.Name} {kind} d={d} evaluation");
            }
        }
    }

    [Fact]
    public void The_reference_weighs_each_sample_loss_and_gradient_by_its_weight_rescaled_to_average_one()
    {
        var plain = FusedLinearKernelTests.Problem(ModelKind.Softmax, rows: 20, features: 6, classes: 4, seed: 3);
        var raw = Weights(20, seed: 9);
        var weighted = plain.WithSampleWeights(raw);
        var mean = raw.Average();
        Assert.Equal(raw.Select(v => v / mean), weighted.SampleWeights!, (a, b) => Math.Abs(a - b) < 1e-6);

        var (w, b) = FusedLinearKernelTests.Parameters(4, 6, seed: 1, magnitude: 0.5f);
        var rows = Enumerable.Range(0, 20).ToArray();
        var (sums, gw, gb) = Gradient(ScalarReferenceKernel.Instance, weighted, rows, w, b);
        double loss = 0;
        var expectedW = new double[gw.Length];
        var expectedB = new double[gb.Length];
        foreach (var row in rows)
        {
            var (one, ow, ob) = Gradient(ScalarReferenceKernel.Instance, plain, [row], w, b);
            var weight = weighted.SampleWeights![row];
            loss += weight * one.LossSum;
            for (var i = 0; i < ow.Length; i++)
            {
                expectedW[i] += weight * ow[i];
            }

            for (var i = 0; i < ob.Length; i++)
            {
                expectedB[i] += weight * ob[i];
            }
        }

        AssertClose(loss, sums.LossSum, 1e-6, "loss");
        AssertAllClose(expectedW.Select(v => (float)v).ToArray(), gw, "grad W");
        AssertAllClose(expectedB.Select(v => (float)v).ToArray(), gb, "grad b");
    }

    [Fact]
    public void Per_sample_losses_and_derivatives_are_weighted_in_every_kernel()
    {
        var problem = FusedLinearKernelTests.Problem(ModelKind.OneVsRest, rows: 10, features: 33, classes: 3, seed: 5).WithSampleWeights(Weights(10, seed: 2));
        var plain = FusedLinearKernelTests.Problem(ModelKind.OneVsRest, rows: 10, features: 33, classes: 3, seed: 5);
        var (w, b) = FusedLinearKernelTests.Parameters(3, 33, seed: 6);
        using var fused = new FusedLinearKernel(1);
        foreach (var kernel in new ILinearKernel[] { ScalarReferenceKernel.Instance, TensorPrimitivesKernel.Instance, fused })
        {
            for (var row = 0; row < 10; row++)
            {
                var (delta, plainDelta) = (new float[3], new float[3]);
                var loss = kernel.SampleLossAndDelta(problem, row, w, b, delta);
                var plainLoss = kernel.SampleLossAndDelta(plain, row, w, b, plainDelta);
                var weight = problem.SampleWeights![row];
                AssertClose(weight * plainLoss, loss, 1e-6, $"{kernel.Name} row {row} loss");
                AssertAllClose(plainDelta.Select(v => v * weight).ToArray(), delta, $"{kernel.Name} row {row} delta");
            }
        }
    }

    [Theory]
    [InlineData(ModelKind.Softmax, 10)]
    [InlineData(ModelKind.Softmax, 4)]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.OneVsRest, 3)]
    public void Block_losses_with_weights_are_each_row_times_its_weight(ModelKind kind, int classes)
    {
        const int m = 37;
        var k = LinearProblem.OutputsFor(kind, classes);
        var random = new SeededRandom(classes);
        var z = Enumerable.Range(0, m * k).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        var labels = Enumerable.Range(0, m).Select(_ => random.NextInt(classes)).ToArray();
        var weights = Weights(m, seed: 1);
        var scratch = new float[m * Math.Max(k, 2)];
        var weightedDelta = new float[m * k];
        var weightedLoss = BlockLoss.Compute(kind, z, labels, m, k, weightedDelta, scratch, 0, out var weightedCorrect, weights);
        double expectedLoss = 0;
        long expectedCorrect = 0;
        for (var i = 0; i < m; i++)
        {
            var delta = new float[k];
            expectedLoss += weights[i] * BlockLoss.Compute(kind, z.AsSpan(i * k, k), labels.AsSpan(i, 1), 1, k, delta, scratch, 0, out var correct);
            expectedCorrect += correct;
            AssertAllClose(delta.Select(v => v * weights[i]).ToArray(), weightedDelta.AsSpan(i * k, k).ToArray(), $"row {i}");
        }

        AssertClose(expectedLoss, weightedLoss, 1e-5, "loss");
        Assert.Equal(expectedCorrect, weightedCorrect);
    }

    [Fact]
    public void Bad_sample_weights_are_refused_naming_the_sample_and_the_rule()
    {
        var problem = FusedLinearKernelTests.Problem(ModelKind.Softmax, rows: 4, features: 3, classes: 3, seed: 1);
        Assert.Contains("3 sample weights for 4 samples", Assert.Throws<ArgumentException>(() => problem.WithSampleWeights([1, 1, 1])).Message);
        Assert.Contains("sample weight 2 is -1; weights must be finite and at least 0", Assert.Throws<ArgumentException>(() => problem.WithSampleWeights([1, 1, -1, 1])).Message);
        Assert.Contains("sample weight 1 is NaN", Assert.Throws<ArgumentException>(() => problem.WithSampleWeights([1, float.NaN, 1, 1])).Message);
        Assert.Contains("sample weight 0 is Infinity", Assert.Throws<ArgumentException>(() => problem.WithSampleWeights([float.PositiveInfinity, 1, 1, 1])).Message);
        Assert.Contains("every sample weight is 0", Assert.Throws<ArgumentException>(() => problem.WithSampleWeights([0, 0, 0, 0])).Message);
    }

    private static (EvaluationSums Sums, float[] W, float[] B) Gradient(ILinearKernel kernel, LinearProblem problem, int[] rows, float[] w, float[] b)
    {
        var gw = Enumerable.Repeat(float.NaN, w.Length).ToArray();
        var gb = Enumerable.Repeat(float.NaN, b.Length).ToArray();
        var sums = kernel.LossAndGradient(problem, rows, w, b, gw, gb);
        return (sums, gw, gb);
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");

    private static void AssertAllClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1e-6, expected.Max(v => Math.Abs(v)));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
