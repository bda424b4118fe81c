using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Tests.Kernels;

/// <summary>
/// What the width tuning changed: every width's zero-skipping decision taken on the same 8-pixel measure, and the
/// backward pass's last single vector (784 = 49 × 16 at 512 bits) done five classes at a time, including in groups of
/// more than one block (batches over 2,048 rows), which add each block into the group's gradient.
/// </summary>
public sealed class WidthTuningTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128, SimdWidth.Scalar];

    /// <summary>Rows in which every 16-pixel stretch has exactly one non-zero 8-pixel half (alternating which).</summary>
    private static LinearProblem HalfStretches(int rows, int features, int classes)
    {
        var random = new SeededRandom(4);
        var pixels = new byte[rows * features];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < features; j++)
            {
                var half = j / 8 % 2;
                pixels[i * features + j] = half == (i + j / 16) % 2 ? (byte)(1 + random.NextInt(255)) : (byte)0;
            }
        }

        var scaled = new ScaledPixels(pixels, new float[features], Enumerable.Repeat(1 / 255f, features).ToArray());
        var labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(classes)).ToArray();
        return new LinearProblem(ModelKind.Softmax, scaled.ToFeatures(), labels, classes, scaled);
    }

    [Fact]
    public void Every_width_skips_zero_stretches_when_the_data_is_half_zero_at_8_pixels_though_not_at_16()
    {
        var problem = HalfStretches(rows: 40, features: 784, classes: 10);
        Assert.Equal(0.5, problem.Pixels!.ChunkMasks(8).Density, 3);
        Assert.Equal(1.0, problem.Pixels.ChunkMasks(16).Density, 3);
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128 })
        {
            using var auto = new FusedLinearKernel(1, width);
            using var read = new FusedLinearKernel(1, width, RowLayout.Auto, ZeroStretches.Read);
            Assert.True(auto.SkipsZeroStretches(problem), $"{width} auto");
            Assert.False(read.SkipsZeroStretches(problem), $"{width} read");
        }

        using var scalar = new FusedLinearKernel(1, SimdWidth.Scalar);
        Assert.False(scalar.SkipsZeroStretches(problem));
    }

    [Fact]
    public void No_width_skips_by_default_on_dense_rows_or_with_fewer_than_four_outputs()
    {
        var dense = FusedLinearKernelTests.Problem(ModelKind.Softmax, rows: 30, features: 784, classes: 10, seed: 1, oneScale: true, zeroFraction: 0.3);
        var logistic = FusedLinearKernelTests.Problem(ModelKind.Logistic, rows: 30, features: 784, classes: 2, seed: 1, oneScale: true, zeroFraction: 0.97);
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128 })
        {
            using var auto = new FusedLinearKernel(1, width);
            using var skip = new FusedLinearKernel(1, width, RowLayout.Auto, ZeroStretches.Skip);
            Assert.False(auto.SkipsZeroStretches(dense), $"{width} dense");
            Assert.False(auto.SkipsZeroStretches(logistic), $"{width} logistic");
            Assert.True(skip.SkipsZeroStretches(dense), $"{width} told to skip");
        }
    }

    [Theory]
    [InlineData(10, false)]
    [InlineData(10, true)]
    [InlineData(7, true)]
    public void Batches_of_several_blocks_per_group_match_the_reference_at_every_width(int classes, bool sampleWeights)
    {
        // 2,600 rows make 32 groups of 82 rows: each group adds a second block into its gradient. 48 and 784 features
        // leave one 16-float vector after the two-vector strips; 7 classes leave two after a five-class tile.
        foreach (var d in new[] { 48, 784 })
        {
            var problem = FusedLinearKernelTests.Problem(ModelKind.Softmax, rows: 2600, features: d, classes, seed: d, oneScale: true, zeroFraction: 0.8, blankRows: true);
            if (sampleWeights)
            {
                var random = new SeededRandom(5);
                problem = problem.WithSampleWeights(Enumerable.Range(0, 2600).Select(i => i % 7 == 1 ? 0f : (float)(2 * random.NextDouble())).ToArray());
            }

            var rows = new SeededRandom(9).Permutation(2600);
            var (w, b) = FusedLinearKernelTests.Parameters(classes, d, seed: 3);
            var (expectedW, expectedB) = (new float[w.Length], new float[classes]);
            var expected = ScalarReferenceKernel.Instance.LossAndGradient(problem, rows, w, b, expectedW, expectedB);
            foreach (var width in Widths)
            {
                foreach (var zeros in new[] { ZeroStretches.Auto, ZeroStretches.Read })
                {
                    using var kernel = new FusedLinearKernel(2, width, RowLayout.Bytes, zeros);
                    var (actualW, actualB) = (Enumerable.Repeat(float.NaN, w.Length).ToArray(), new float[classes]);
                    var actual = kernel.LossAndGradient(problem, rows, w, b, actualW, actualB);
                    var what = $"{kernel.Name} {zeros} d={d} k={classes}";
                    Assert.True(Math.Abs(expected.LossSum - actual.LossSum) <= 1e-4 * expected.LossSum, $"{what}: loss {expected.LossSum} vs {actual.LossSum}");
                    Assert.InRange(actual.Correct, expected.Correct - 1, expected.Correct + 1);
                    AssertClose(expectedW, actualW, what + " grad W");
                    AssertClose(expectedB, actualB, what + " grad b");
                }
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        var scale = Math.Max(1e-6, expected.Max(Math.Abs));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }
}
