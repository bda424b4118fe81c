using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Tests.Kernels;

/// <summary>The fused SIMD kernel against the scalar reference: every width, both row layouts, several thread counts.</summary>
public sealed class FusedLinearKernelTests
{
    public static TheoryData<SimdWidth, RowLayout, int> Configurations()
    {
        var data = new TheoryData<SimdWidth, RowLayout, int>();
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128, SimdWidth.Scalar })
        {
            foreach (var layout in new[] { RowLayout.Floats, RowLayout.Bytes })
            {
                data.Add(width, layout, 1);
                data.Add(width, layout, 3);
            }
        }

        return data;
    }

    /// <summary>A problem whose features come from bytes with a per-feature affine scaling, so both layouts hold the same values.</summary>
    /// <para>
    /// With <paramref name="oneScale"/>, every feature is pixel / 255 (no offset, one scale, as the default preparation
    /// does), which the kernel handles without folding the scaling into the weights.
    /// </para>
    /// <para>
    /// With <paramref name="zeroFraction"/>, that share of the pixels is zero (digit images are mostly background), so
    /// whole stretches of a row are zero, and with <paramref name="blankRows"/> every seventh row is all zero.
    /// </para>
    internal static LinearProblem Problem(ModelKind kind, int rows, int features, int classes, int seed, float scaleUp = 1, bool oneScale = false, double zeroFraction = 0, bool blankRows = false)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[rows * features];
        for (var i = 0; i < pixels.Length; i++)
        {
            var blank = (zeroFraction > 0 && random.NextDouble() < zeroFraction) || (blankRows && features > 0 && i / features % 7 == 3);
            pixels[i] = blank ? (byte)0 : (byte)random.NextInt(256);
        }

        var offset = new float[features];
        var scale = new float[features];
        for (var j = 0; j < features; j++)
        {
            offset[j] = oneScale ? 0 : (float)(random.NextDouble() * 128);
            scale[j] = oneScale ? scaleUp / 255f : scaleUp * (float)(random.NextDouble() / 64);
        }

        var x = new FeatureMatrix(rows, features);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < features; j++)
            {
                x.Row(i)[j] = (pixels[i * features + j] - offset[j]) * scale[j];
            }
        }

        var labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(classes)).ToArray();
        return new LinearProblem(kind, x, labels, classes, features == 0 ? null : new ScaledPixels(pixels, offset, scale));
    }

    internal static (float[] W, float[] B) Parameters(int outputs, int features, int seed, float magnitude = 0.1f)
    {
        var random = new SeededRandom(seed);
        var w = Enumerable.Range(0, outputs * features).Select(_ => (float)(magnitude * random.NextGaussian())).ToArray();
        var b = Enumerable.Range(0, outputs).Select(_ => (float)(magnitude * random.NextGaussian())).ToArray();
        return (w, b);
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = 1e-6;
        foreach (var v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static void CompareGradient(FusedLinearKernel kernel, LinearProblem problem, int[] rows, int seed, float magnitude = 0.1f)
    {
        var (w, b) = Parameters(problem.Outputs, problem.FeatureCount, seed, magnitude);
        var expectedW = new float[w.Length];
        var expectedB = new float[b.Length];
        var actualW = Enumerable.Repeat(float.NaN, w.Length).ToArray(); // the kernel must overwrite, not add
        var actualB = Enumerable.Repeat(float.NaN, b.Length).ToArray();

        var expectedSums = ScalarReferenceKernel.Instance.LossAndGradient(problem, rows, w, b, expectedW, expectedB);
        var actualSums = kernel.LossAndGradient(problem, rows, w, b, actualW, actualB);
        var (expectedLoss, actualLoss) = (expectedSums.LossSum, actualSums.LossSum);
        Assert.InRange(actualSums.Correct, expectedSums.Correct - 1, expectedSums.Correct + 1);
        Assert.Equal(rows.Length, actualSums.Count);

        var what = $"{kernel.Name} d={problem.FeatureCount} k={problem.Outputs} n={rows.Length}";
        Assert.True(Math.Abs(expectedLoss - actualLoss) <= 1e-4 * Math.Max(1, Math.Abs(expectedLoss)), $"{what} loss {expectedLoss} vs {actualLoss}");
        AssertClose(expectedW, actualW, 1e-4, what + " grad W");
        AssertClose(expectedB, actualB, 1e-4, what + " grad b");
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Gradient_matches_the_reference_for_every_feature_length_0_to_256_and_784(SimdWidth width, RowLayout layout, int threads)
    {
        using var kernel = new FusedLinearKernel(threads, width, layout);
        foreach (var d in Enumerable.Range(0, 257).Append(784))
        {
            var problem = Problem(ModelKind.Softmax, rows: 37, features: d, classes: 3, seed: d);
            CompareGradient(kernel, problem, Enumerable.Range(0, 37).Reverse().ToArray(), seed: d);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Gradient_matches_the_reference_for_batch_sizes_1_to_300(SimdWidth width, RowLayout layout, int threads)
    {
        using var kernel = new FusedLinearKernel(threads, width, layout);
        var problem = Problem(ModelKind.Softmax, rows: 300, features: 50, classes: 10, seed: 1);
        var random = new SeededRandom(2);
        for (var n = 1; n <= 300; n += n < 70 ? 1 : 23)
        {
            var rows = Enumerable.Range(0, n).Select(_ => random.NextInt(300)).ToArray();
            CompareGradient(kernel, problem, rows, seed: n);
        }
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.Softmax, 2)]
    [InlineData(ModelKind.Softmax, 3)]
    [InlineData(ModelKind.Softmax, 10)]
    [InlineData(ModelKind.Softmax, 47)]
    [InlineData(ModelKind.OneVsRest, 3)]
    [InlineData(ModelKind.OneVsRest, 10)]
    [InlineData(ModelKind.OneVsRest, 47)]
    public void Gradient_matches_the_reference_for_1_2_3_10_and_47_outputs(ModelKind kind, int classes)
    {
        foreach (var width in new[] { SimdWidth.Vector512, SimdWidth.Vector256, SimdWidth.Vector128, SimdWidth.Scalar })
        {
            using var kernel = new FusedLinearKernel(2, width, RowLayout.Bytes);
            var problem = Problem(kind, rows: 130, features: 784, classes, seed: classes);
            CompareGradient(kernel, problem, Enumerable.Range(0, 130).ToArray(), seed: 5);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Gradient_and_evaluation_match_the_reference_when_every_feature_has_one_scale(SimdWidth width, RowLayout layout, int threads)
    {
        using var kernel = new FusedLinearKernel(threads, width, layout);
        foreach (var d in Enumerable.Range(0, 41).Append(97).Append(784))
        {
            var problem = Problem(ModelKind.Softmax, rows: 37, features: d, classes: 10, seed: d, oneScale: true);
            Assert.Equal(d == 0 ? null : 1 / 255f, problem.Pixels?.UniformScale);
            CompareGradient(kernel, problem, Enumerable.Range(0, 37).Reverse().ToArray(), seed: d);
        }

        foreach (var (kind, classes) in new[] { (ModelKind.Logistic, 2), (ModelKind.Softmax, 3), (ModelKind.OneVsRest, 47) })
        {
            var problem = Problem(kind, rows: 300, features: 784, classes, seed: classes, oneScale: true);
            var random = new SeededRandom(classes);
            foreach (var n in new[] { 1, 2, 63, 64, 65, 128, 130, 300 })
            {
                CompareGradient(kernel, problem, Enumerable.Range(0, n).Select(_ => random.NextInt(300)).ToArray(), seed: n);
            }

            var (w, b) = Parameters(problem.Outputs, 784, seed: 8);
            var expected = ScalarReferenceKernel.Instance.Evaluate(problem, w, b, 0);
            var actual = kernel.Evaluate(problem, w, b, 0);
            Assert.True(Math.Abs(expected.LossSum - actual.LossSum) <= 1e-4 * expected.LossSum, $"{kind}: {expected.LossSum} vs {actual.LossSum}");
            Assert.InRange(actual.Correct, expected.Correct - 1, expected.Correct + 1);
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Rows_with_zero_stretches_give_the_reference_gradient_and_evaluation(SimdWidth width, RowLayout layout, int threads)
    {
        // Stretches are skipped where zero (bytes, vector widths, four or more outputs): features over several mask
        // words (1100 / 8 = 137 stretches), ragged tails, blank rows, one row of a pair blank, both scalings.
        using var kernel = new FusedLinearKernel(threads, width, layout);
        foreach (var d in new[] { 7, 8, 9, 15, 16, 17, 40, 63, 97, 784, 1100 })
        {
            foreach (var (kind, classes) in new[] { (ModelKind.Softmax, 10), (ModelKind.Softmax, 4), (ModelKind.OneVsRest, 5), (ModelKind.Softmax, 47), (ModelKind.Logistic, 2) })
            {
                foreach (var oneScale in new[] { true, false })
                {
                    var problem = Problem(kind, rows: 150, features: d, classes, seed: d + classes, oneScale: oneScale, zeroFraction: 0.97, blankRows: true);
                    var random = new SeededRandom(d);
                    foreach (var n in new[] { 1, 2, 3, 64, 65, 150 })
                    {
                        CompareGradient(kernel, problem, Enumerable.Range(0, n).Select(_ => random.NextInt(150)).ToArray(), seed: n);
                    }

                    var (w, b) = Parameters(problem.Outputs, d, seed: 8);
                    var expected = ScalarReferenceKernel.Instance.Evaluate(problem, w, b, 0);
                    var actual = kernel.Evaluate(problem, w, b, 0);
                    Assert.True(Math.Abs(expected.LossSum - actual.LossSum) <= 1e-4 * expected.LossSum, $"{kind} d={d}: {expected.LossSum} vs {actual.LossSum}");
                    Assert.InRange(actual.Correct, expected.Correct - 1, expected.Correct + 1);
                }
            }
        }
    }

    [Theory]
    [InlineData(SimdWidth.Vector128)]
    [InlineData(SimdWidth.Vector256)]
    [InlineData(SimdWidth.Vector512)]
    public void Skipping_zero_stretches_leaves_softmax_results_bitwise_unchanged(SimdWidth width)
    {
        // A skipped stretch would only have added exact zeros, in the same accumulators and the same order.
        var problem = Problem(ModelKind.Softmax, rows: 700, features: 784, classes: 10, seed: 12, oneScale: true, zeroFraction: 0.8, blankRows: true);
        var (w, b) = Parameters(10, 784, 5);
        var rows = new SeededRandom(6).Permutation(700);
        using var skip = new FusedLinearKernel(2, width, RowLayout.Bytes, ZeroStretches.Skip);
        using var read = new FusedLinearKernel(2, width, RowLayout.Bytes, ZeroStretches.Read);
        foreach (var batch in new[] { 1, 64, 128, 700 })
        {
            var (skipW, skipB, readW, readB) = (new float[7840], new float[10], new float[7840], new float[10]);
            var skipped = skip.LossAndGradient(problem, rows.AsSpan(0, batch), w, b, skipW, skipB);
            var full = read.LossAndGradient(problem, rows.AsSpan(0, batch), w, b, readW, readB);

            Assert.Equal(readW, skipW);
            Assert.Equal(readB, skipB);
            Assert.Equal(full, skipped);
        }

        Assert.Equal(read.Evaluate(problem, w, b, 0), skip.Evaluate(problem, w, b, 0));
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.Softmax, 3)]
    [InlineData(ModelKind.OneVsRest, 10)]
    public void Skipping_zero_stretches_on_any_data_matches_the_reference(ModelKind kind, int classes)
    {
        // Forced on for dense rows and for fewer than four outputs, which the automatic choice leaves alone.
        using var kernel = new FusedLinearKernel(2, SimdWidth.Vector256, RowLayout.Bytes, ZeroStretches.Skip);
        foreach (var zeroFraction in new[] { 0.0, 0.5, 0.97 })
        {
            var problem = Problem(kind, rows: 200, features: 100, classes, seed: classes, zeroFraction: zeroFraction, blankRows: true);
            CompareGradient(kernel, problem, new SeededRandom(3).Permutation(200), seed: 2);
        }
    }

    [Fact]
    public void Stretch_masks_mark_exactly_the_stretches_that_are_not_all_zero()
    {
        var problem = Problem(ModelKind.Softmax, rows: 40, features: 1100, classes: 3, seed: 2, zeroFraction: 0.95, blankRows: true);
        var pixels = problem.Pixels!;
        foreach (var width in new[] { 1, 4, 8, 16 })
        {
            var (masks, words, density) = pixels.ChunkMasks(width);
            Assert.Equal((1100 / width + 63) / 64, words);
            var blank = 0;
            for (var i = 0; i < 40; i++)
            {
                for (var t = 0; t < 1100 / width; t++)
                {
                    var nonZero = pixels.Pixels.AsSpan(i * 1100 + t * width, width).ContainsAnyExcept((byte)0);
                    var bit = (masks[i * words + t / 64] >> (t % 64) & 1) == 1;
                    Assert.Equal(nonZero, bit);
                    blank += nonZero ? 0 : 1;
                }
            }

            Assert.InRange(blank, 1, 40 * (1100 / width) - 1); // both kinds present, so the test can tell them apart
            Assert.Equal(1 - ((double)blank / (40 * (1100 / width))), density, 12);
            Assert.Same(masks, pixels.ChunkMasks(width).Masks); // computed once per width
        }
    }

    [Fact]
    public void A_scaling_with_an_offset_or_per_feature_scales_is_not_taken_for_one_scale()
    {
        Assert.Null(Problem(ModelKind.Softmax, rows: 3, features: 20, classes: 3, seed: 1).Pixels!.UniformScale);
        var pixels = new byte[6];
        Assert.Null(new ScaledPixels(pixels, [1, 0, 0], [0.5f, 0.5f, 0.5f]).UniformScale);
        Assert.Null(new ScaledPixels(pixels, [0, 0, 0], [0.5f, 0.5f, 0.25f]).UniformScale);
        Assert.Equal(0.5f, new ScaledPixels(pixels, [0, 0, 0], [0.5f, 0.5f, 0.5f]).UniformScale);
    }

    [Theory]
    [InlineData(RowLayout.Bytes, false)]
    [InlineData(RowLayout.Bytes, true)]
    [InlineData(RowLayout.Floats, true)]
    public void Prefetching_the_next_batch_changes_no_result(RowLayout layout, bool oneScale)
    {
        var problem = Problem(ModelKind.Softmax, rows: 6000, features: 784, classes: 10, seed: 4, oneScale: oneScale);
        var (w, b) = Parameters(10, 784, 3);
        var order = new SeededRandom(5).Permutation(6000);
        using var kernel = new FusedLinearKernel(2, SimdWidth.Auto, layout);
        foreach (var (batch, next) in new[] { (128, 128), (128, 17), (128, 0), (17, 128), (300, 300), (5000, 1000), (64, 5000) })
        {
            var rows = order.AsSpan(0, batch);
            var (plainW, plainB, hintedW, hintedB) = (new float[7840], new float[10], new float[7840], new float[10]);
            var plain = kernel.LossAndGradient(problem, rows, w, b, plainW, plainB);
            kernel.PrefetchRows(problem, order.AsSpan(batch, next));
            var hinted = kernel.LossAndGradient(problem, rows, w, b, hintedW, hintedB);

            Assert.Equal(plainW, hintedW);
            Assert.Equal(plainB, hintedB);
            Assert.Equal(plain, hinted);
        }
    }

    [Theory]
    [InlineData(ModelKind.Softmax, 10)]
    [InlineData(ModelKind.OneVsRest, 10)]
    [InlineData(ModelKind.Logistic, 2)]
    public void Tied_scores_are_counted_as_the_reference_predicts_them(ModelKind kind, int classes)
    {
        // Zero weights and equal biases: every score ties, so the first class wins (logistic: score 0 ≥ threshold 0).
        var problem = Problem(kind, rows: 300, features: 784, classes, seed: 3, oneScale: true, zeroFraction: 0.8);
        var outputs = problem.Outputs;
        var (w, b) = (new float[outputs * 784], Enumerable.Repeat(0.5f * (kind == ModelKind.Logistic ? 0 : 1), outputs).ToArray());
        var rows = Enumerable.Range(0, 300).ToArray();
        var expected = ScalarReferenceKernel.Instance.Evaluate(problem, w, b, 0).Correct;
        Assert.InRange(expected, 1, 299);
        using var kernel = new FusedLinearKernel(2, SimdWidth.Auto, RowLayout.Bytes);

        Assert.Equal(expected, kernel.Evaluate(problem, w, b, 0).Correct);
        Assert.Equal(expected, kernel.LossAndGradient(problem, rows, w, b, new float[w.Length], new float[outputs]).Correct);
    }

    [Fact]
    public void Huge_logits_stay_finite_and_match_the_reference()
    {
        // Features up to ~±500 and weights ~±30 give scores in the thousands.
        var problem = Problem(ModelKind.Softmax, rows: 40, features: 64, classes: 10, seed: 3, scaleUp: 250);
        using var kernel = new FusedLinearKernel(2, SimdWidth.Vector256, RowLayout.Floats);
        var (w, b) = Parameters(10, 64, 4, magnitude: 30);
        var scores = new float[40 * 10];
        kernel.Scores(problem.Features, 10, w, b, scores);
        Assert.Contains(scores, s => Math.Abs(s) > 1000);

        CompareGradient(kernel, problem, Enumerable.Range(0, 40).ToArray(), seed: 4, magnitude: 30);
        var sums = kernel.Evaluate(problem, w, b, 0);
        Assert.True(double.IsFinite(sums.LossSum));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Evaluate_and_scores_match_the_reference(SimdWidth width, RowLayout layout, int threads)
    {
        using var kernel = new FusedLinearKernel(threads, width, layout);
        foreach (var (kind, classes) in new[] { (ModelKind.Logistic, 2), (ModelKind.Softmax, 10), (ModelKind.OneVsRest, 47) })
        {
            var problem = Problem(kind, rows: 600, features: 97, classes, seed: classes);
            var (w, b) = Parameters(problem.Outputs, 97, seed: 8);
            var expected = ScalarReferenceKernel.Instance.Evaluate(problem, w, b, 0.3f);
            var actual = kernel.Evaluate(problem, w, b, 0.3f);
            Assert.Equal(expected.Count, actual.Count);
            Assert.True(Math.Abs(expected.LossSum - actual.LossSum) <= 1e-4 * expected.LossSum, $"{kind}: {expected.LossSum} vs {actual.LossSum}");
            Assert.InRange(actual.Correct, expected.Correct - 1, expected.Correct + 1); // a tie broken by rounding at most

            var expectedScores = new float[600 * problem.Outputs];
            var actualScores = new float[600 * problem.Outputs];
            ScalarReferenceKernel.Instance.Scores(problem.Features, problem.Outputs, w, b, expectedScores);
            kernel.Scores(problem.Features, problem.Outputs, w, b, actualScores);
            AssertClose(expectedScores, actualScores, 1e-5, $"{kind} scores");
        }
    }

    [Fact]
    public void Results_are_bitwise_identical_for_1_2_and_4_threads()
    {
        var problem = Problem(ModelKind.Softmax, rows: 5000, features: 784, classes: 10, seed: 9);
        var (w, b) = Parameters(10, 784, 1);
        var rows = new SeededRandom(3).Permutation(5000);
        float[]? reference = null;
        double referenceLoss = 0;
        foreach (var threads in new[] { 1, 2, 4 })
        {
            using var kernel = new FusedLinearKernel(threads);
            foreach (var batch in new[] { 128, 5000 })
            {
                var gw = new float[7840];
                var gb = new float[10];
                var loss = kernel.LossAndGradient(problem, rows.AsSpan(0, batch), w, b, gw, gb).LossSum;
                if (batch != 5000)
                {
                    continue;
                }

                if (reference is null)
                {
                    (reference, referenceLoss) = (gw, loss);
                }
                else
                {
                    Assert.Equal(reference, gw);
                    Assert.Equal(referenceLoss, loss);
                }
            }
        }
    }

    [Fact]
    public void Byte_and_float_layouts_agree_to_rounding()
    {
        var problem = Problem(ModelKind.Softmax, rows: 200, features: 784, classes: 10, seed: 2);
        var (w, b) = Parameters(10, 784, 2);
        var rows = Enumerable.Range(0, 200).ToArray();
        using var floats = new FusedLinearKernel(2, SimdWidth.Vector256, RowLayout.Floats);
        using var bytes = new FusedLinearKernel(2, SimdWidth.Vector256, RowLayout.Bytes);
        var (gf, gb1, gBytes, gb2) = (new float[7840], new float[10], new float[7840], new float[10]);

        var lossFloats = floats.LossAndGradient(problem, rows, w, b, gf, gb1);
        var lossBytes = bytes.LossAndGradient(problem, rows, w, b, gBytes, gb2);

        AssertClose(gf, gBytes, 1e-5, "bytes vs floats gradient");
        AssertClose(gb1, gb2, 1e-5, "bytes vs floats bias gradient");
        Assert.Equal(lossFloats.LossSum, lossBytes.LossSum, 3);
    }

    [Fact]
    public void Per_sample_loss_and_delta_match_the_reference()
    {
        var problem = Problem(ModelKind.OneVsRest, rows: 5, features: 100, classes: 4, seed: 6);
        var (w, b) = Parameters(4, 100, 6);
        using var kernel = new FusedLinearKernel(1);
        var delta = new float[4];
        var expectedW = new float[400];
        var expectedB = new float[4];

        var loss = kernel.SampleLossAndDelta(problem, 3, w, b, delta);
        var expectedLoss = ScalarReferenceKernel.Instance.LossAndGradient(problem, [3], w, b, expectedW, expectedB).LossSum;

        Assert.Equal(expectedLoss, loss, 4);
        AssertClose(expectedB, delta, 1e-5, "delta");
    }
}
