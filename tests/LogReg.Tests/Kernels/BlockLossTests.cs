using LogReg.Common;
using LogReg.Kernels;
using LogReg.Models;

namespace LogReg.Tests.Kernels;

/// <summary>The two-vector softmax (8 to 16 classes, AVX) against the row-by-row one it replaces there.</summary>
public sealed class BlockLossTests
{
    public static TheoryData<string> Kinds() => new() { "random", "huge", "ties", "zeros of both signs", "nan rows", "infinite" };

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
                var z = new float[m * k];
                for (var i = 0; i < z.Length; i++)
                {
                    z[i] = logits switch
                    {
                        "huge" => (float)(3e4 * random.NextGaussian()),
                        "ties" => random.NextInt(3),
                        "zeros of both signs" => random.NextInt(2) == 0 ? 0f : -0f,
                        "nan rows" => i / k % 3 == 1 && i % k == random.NextInt(k) ? float.NaN : (float)random.NextGaussian(),
                        "infinite" => i / k % 4 == 2 && i % k == 5 ? float.PositiveInfinity : (float)random.NextGaussian(),
                        _ => (float)(5 * random.NextGaussian()),
                    };
                }

                var labels = Enumerable.Range(0, m).Select(_ => random.NextInt(k)).ToArray();
                var (expectedDelta, actualDelta) = (new float[m * k], new float[m * k]);
                var expected = BlockLoss.Softmax(z, labels, m, k, expectedDelta, new float[m * (k + 3)], out var expectedCorrect);
                var actual = BlockLoss.SoftmaxTwoVectors(z, labels, m, k, actualDelta, new float[m * (k + 3)], out var actualCorrect);

                var what = $"{logits}, k {k}, m {m}";
                Assert.True(expectedCorrect == actualCorrect, $"{what}: {actualCorrect} correct, expected {expectedCorrect}");
                if (double.IsNaN(expected))
                {
                    Assert.True(double.IsNaN(actual), $"{what}: loss {actual}, expected NaN");
                }
                else
                {
                    Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{what}: loss {actual}, expected {expected}");
                }

                for (var i = 0; i < z.Length; i++)
                {
                    var (e, a) = (expectedDelta[i], actualDelta[i]);
                    Assert.True(float.IsNaN(e) ? float.IsNaN(a) : Math.Abs(e - a) <= 1e-6f, $"{what}: delta[{i}] {a}, expected {e}");
                }
            }
        }
    }
}
