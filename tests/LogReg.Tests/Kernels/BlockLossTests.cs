using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Tests.Kernels;

/// <summary>The vectorised block losses against the row-by-row ones they replace (which remain for machines without vectors).</summary>
public sealed class BlockLossTests
{
    public static TheoryData<string> Kinds() => new() { "random", "huge", "ties", "zeros of both signs", "nan rows", "infinite" };

    private static float[] Logits(string kind, int m, int k, SeededRandom random)
    {
        var z = new float[m * k];
        for (var i = 0; i < z.Length; i++)
        {
            z[i] = kind switch
            {
                "huge" => (float)(3e4 * random.NextGaussian()),
                "ties" => random.NextInt(3),
                "zeros of both signs" => random.NextInt(2) == 0 ? 0f : -0f,
                "nan rows" => i / k % 3 == 1 && i % k == random.NextInt(k) ? float.NaN : (float)random.NextGaussian(),
                "infinite" => i / k % 4 == 2 && i % k == Math.Min(5, k - 1) ? (i % 8 == 0 ? float.NegativeInfinity : float.PositiveInfinity) : (float)random.NextGaussian(),
                _ => (float)(5 * random.NextGaussian()),
            };
        }

        return z;
    }

    private static void AssertSame(string what, double expected, double actual, long expectedCorrect, long actualCorrect, float[] expectedDelta, float[] actualDelta, bool bitwiseDelta = false)
    {
        Assert.True(expectedCorrect == actualCorrect, $"{what}: {actualCorrect} correct, expected {expectedCorrect}");
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: loss {actual}, expected NaN");
        }
        else
        {
            Assert.True(expected == actual || Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{what}: loss {actual}, expected {expected}");
        }

        for (var i = 0; i < expectedDelta.Length; i++)
        {
            var (e, a) = (expectedDelta[i], actualDelta[i]);
            var same = bitwiseDelta ? BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a) || (float.IsNaN(e) && float.IsNaN(a)) : float.IsNaN(e) ? float.IsNaN(a) : Math.Abs(e - a) <= 1e-6f;
            Assert.True(same, $"{what}: delta[{i}] {a}, expected {e}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public void Two_vector_softmax_matches_the_row_by_row_softmax_for_8_to_16_classes(string logits)
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Avx.IsSupported, "the two-vector softmax needs AVX");
        var random = new SeededRandom(7);
        foreach (var k in Enumerable.Range(8, 9))
        {
            foreach (var m in new[] { 1, 2, 7, 33, 64 })
            {
                var z = Logits(logits, m, k, random);
                var labels = Enumerable.Range(0, m).Select(_ => random.NextInt(k)).ToArray();
                var (expectedDelta, actualDelta) = (new float[m * k], new float[m * k]);
                var expected = BlockLoss.Softmax(z, labels, m, k, expectedDelta, new float[m * (k + 3)], out var expectedCorrect);
                var actual = BlockLoss.SoftmaxTwoVectors(z, labels, m, k, actualDelta, new float[m * (k + 3)], out var actualCorrect);
                AssertSame($"{logits}, k {k}, m {m}", expected, actual, expectedCorrect, actualCorrect, expectedDelta, actualDelta);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Kinds))]
    public void Vectorised_binary_losses_match_the_element_by_element_ones_with_bitwise_equal_derivatives(string logits)
    {
        Skip.IfNot(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, "the vectorised binary loss needs 256-bit vectors");
        var random = new SeededRandom(8);
        var shapes = new[] { (ModelKind.Logistic, 1) }.Concat(Enumerable.Range(1, 20).Select(k => (ModelKind.OneVsRest, k)));
        foreach (var (kind, k) in shapes)
        {
            foreach (var m in new[] { 1, 2, 7, 33, 64 })
            {
                var z = Logits(logits, m, k, random);
                var labels = Enumerable.Range(0, m).Select(_ => random.NextInt(Math.Max(k, 2))).ToArray();
                foreach (var threshold in kind == ModelKind.Logistic ? new[] { 0f, 0.75f, -1f } : new[] { 0f })
                {
                    var (expectedDelta, actualDelta) = (new float[m * k], new float[m * k]);
                    var expected = BlockLoss.Binary(kind, z, labels, m, k, expectedDelta, new float[m * (Math.Max(k, 2) + 3)], threshold, out var expectedCorrect);
                    var actual = BlockLoss.BinaryVectors(kind, z, labels, m, k, actualDelta, new float[m * (Math.Max(k, 2) + 3)], threshold, out var actualCorrect);
                    AssertSame($"{logits}, {kind}, k {k}, m {m}, threshold {threshold}", expected, actual, expectedCorrect, actualCorrect, expectedDelta, actualDelta, bitwiseDelta: true);
                }
            }
        }
    }
}
