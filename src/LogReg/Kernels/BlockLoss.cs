using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// Losses and score derivatives for a block of samples at once, with the exponentials and logarithms vectorised over
/// the whole block (TensorPrimitives.Exp / LogP1) — per sample, ten scalar double-precision exponentials cost more than
/// the scores themselves. Same stable forms as <see cref="Activations"/>: softmax subtracts each row's maximum;
/// sigmoid and softplus are computed from e^−|z|.
/// </summary>
internal static class BlockLoss
{
    /// <summary>
    /// For rows i &lt; m of <paramref name="logits"/> (row-major, k per row) with true classes <paramref name="labels"/>:
    /// writes dLoss/dscore into <paramref name="delta"/> and returns the summed loss; <paramref name="correct"/> counts
    /// the rows predicted right, as <see cref="DecisionRules.PredictFromLogits"/> predicts (the highest score,
    /// the first on a tie; logistic: positive when the score is at least <paramref name="logitThreshold"/>).
    /// <paramref name="scratch"/> needs m·max(k, 2) floats. With <paramref name="rowWeights"/> (m values; empty: every
    /// row weighs 1) each row's loss and derivatives are multiplied by its weight: such blocks take the element-by-element
    /// forms, so unweighted blocks run exactly the code they ran before weights existed.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ModelKind kind, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, float logitThreshold, out long correct, ReadOnlySpan<float> rowWeights = default)
    {
        var count = m * k;
        var z = logits[..count];
        var d = delta[..count];
        if (!rowWeights.IsEmpty)
        {
            return kind == ModelKind.Softmax
                ? Softmax(z, labels, m, k, d, scratch, out correct, rowWeights)
                : Binary(kind, z, labels, m, k, d, scratch, logitThreshold, out correct, rowWeights);
        }

        if (kind == ModelKind.Softmax)
        {
            return Avx.IsSupported && m <= 64 && k >= Vector256<float>.Count && k <= 2 * Vector256<float>.Count
                ? SoftmaxTwoVectors(z, labels, m, k, d, scratch, out correct)
                : Softmax(z, labels, m, k, d, scratch, out correct);
        }

        return Vector256.IsHardwareAccelerated
            ? BinaryVectors(kind, z, labels, m, k, d, scratch, logitThreshold, out correct)
            : Binary(kind, z, labels, m, k, d, scratch, logitThreshold, out correct);
    }

    /// <summary>
    /// Binary cross-entropy per output (logistic, one-vs-rest) over the block as one flat run of m·k scores: e = e^−|z|
    /// and log1p(e) a pass each, then the loss terms max(z, 0) + log1p(e) and the derivatives σ(z) eight at a time; the
    /// targets (one per row) come out afterwards, −z from the loss and 1 from the derivative. The same formulas as
    /// <see cref="Binary"/>, which went element by element with the target worked out for each.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static unsafe double BinaryVectors(ModelKind kind, ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, float logitThreshold, out long correct)
    {
        var count = m * k;
        correct = CountCorrect(kind, z, labels, m, k, logitThreshold);
        var e = scratch[..count];
        var width = Vector256<float>.Count;
        var end = count - count % width;
        double loss = 0;
        fixed (float* zp = z, ep = e, dp = delta)
        {
            // −|z|: the sign bit set.
            var sign = Vector256.Create(-0f);
            for (var j = 0; j < end; j += width)
            {
                (Vector256.Load(zp + j) | sign).Store(ep + j);
            }

            for (var j = end; j < count; j++)
            {
                ep[j] = -MathF.Abs(zp[j]);
            }

            TensorPrimitives.Exp(e, e);
            TensorPrimitives.LogP1(e, delta[..count]); // log1p(e), overwritten by the derivatives below
            var one = Vector256.Create(1f);
            var sums = Vector256<double>.Zero;
            for (var j = 0; j < end; j += width)
            {
                var zv = Vector256.Load(zp + j);
                var ev = Vector256.Load(ep + j);
                var terms = Vector256.MaxNative(zv, Vector256<float>.Zero) + Vector256.Load(dp + j);
                sums += Vector256.WidenLower(terms) + Vector256.WidenUpper(terms);

                // σ(z) = 1 / (1 + e) for z ≥ 0, e / (1 + e) below: stable both ways.
                (Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(zv, Vector256<float>.Zero), one, ev) / (one + ev)).Store(dp + j);
            }

            loss = Vector256.Sum(sums);
            for (var j = end; j < count; j++)
            {
                var (zj, ej) = (zp[j], ep[j]);
                loss += Math.Max(zj, 0f) + dp[j];
                dp[j] = zj >= 0 ? 1 / (1 + ej) : ej / (1 + ej);
            }

            for (var i = 0; i < m; i++)
            {
                var label = labels[i];
                if (kind == ModelKind.Logistic)
                {
                    loss -= label == 1 ? zp[i] : 0f;
                    dp[i] -= label;
                }
                else if ((uint)label < (uint)k)
                {
                    // (A label with no output of its own has no target among them, as in Binary.)
                    loss -= zp[i * k + label];
                    dp[i * k + label] -= 1;
                }
            }
        }

        return loss;
    }

    /// <summary>Rows predicted right, as <see cref="DecisionRules.PredictFromLogits"/> predicts them.</summary>
    private static unsafe long CountCorrect(ModelKind kind, ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, float logitThreshold)
    {
        long correct = 0;
        if (kind == ModelKind.Logistic)
        {
            for (var i = 0; i < m; i++)
            {
                correct += DecisionRules.PredictLogistic(z[i * k], logitThreshold) == labels[i] ? 1 : 0;
            }

            return correct;
        }

        if (!Avx.IsSupported || k < Vector256<float>.Count || k > 2 * Vector256<float>.Count)
        {
            for (var i = 0; i < m; i++)
            {
                correct += DecisionRules.PredictFromLogits(kind, z.Slice(i * k, k), logitThreshold) == labels[i] ? 1 : 0;
            }

            return correct;
        }

        var tail = k - Vector256<float>.Count;
        fixed (float* zp = z)
        {
            for (var i = 0; i < m; i++)
            {
                var row = zp + i * k;
                var (first, last) = (Vector256.Load(row), Vector256.Load(row + tail));
                var best = HasNaN(first, last)
                    ? DecisionRules.PredictFromLogits(kind, z.Slice(i * k, k), logitThreshold)
                    : FirstHighest(first, last, tail, HorizontalMax(Avx.Max(first, last)));
                correct += best == labels[i] ? 1 : 0;
            }
        }

        return correct;
    }

    /// <summary>Whether a row read as two vectors holds a NaN.</summary>
    private static bool HasNaN(Vector256<float> first, Vector256<float> last) =>
        (Avx.Compare(first, first, FloatComparisonMode.UnorderedNonSignaling) | Avx.Compare(last, last, FloatComparisonMode.UnorderedNonSignaling)).ExtractMostSignificantBits() != 0;

    /// <summary>
    /// The first highest score of a row read as two vectors (its first eight scores, its last eight), given their
    /// maximum: the first lane equal to it, as DecisionRules.PredictFromLogits picks it (no NaN in the row).
    /// </summary>
    private static int FirstHighest(Vector256<float> first, Vector256<float> last, int tail, float max)
    {
        var broadcastMax = Vector256.Create(max);
        var inFirst = Vector256.Equals(first, broadcastMax).ExtractMostSignificantBits();
        return inFirst != 0
            ? System.Numerics.BitOperations.TrailingZeroCount(inFirst)
            : tail + System.Numerics.BitOperations.TrailingZeroCount(Vector256.Equals(last, broadcastMax).ExtractMostSignificantBits());
    }

    /// <summary>Binary cross-entropy element by element: the reference for <see cref="BinaryVectors"/>, and the path without vectors.</summary>
    internal static double Binary(ModelKind kind, ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, Span<float> d, Span<float> scratch, float logitThreshold, out long correct, ReadOnlySpan<float> rowWeights = default)
    {
        var count = m * k;
        correct = 0;
        for (var i = 0; i < m; i++)
        {
            correct += DecisionRules.PredictFromLogits(kind, z.Slice(i * k, k), logitThreshold) == labels[i] ? 1 : 0;
        }

        // Binary cross-entropy per output: loss = max(z, 0) + log1p(e) − y·z and derivative σ(z) − y, with e = e^−|z|.
        var e = scratch[..count];
        TensorPrimitives.Abs(z, e);
        TensorPrimitives.Negate(e, e);
        TensorPrimitives.Exp(e, e);
        var logTerm = d; // borrow delta for log1p(e), overwritten below
        TensorPrimitives.LogP1(e, logTerm);
        double loss = 0;
        for (var i = 0; i < m; i++)
        {
            var label = labels[i];
            var weight = rowWeights.IsEmpty ? 1f : rowWeights[i];
            for (var c = 0; c < k; c++)
            {
                var index = i * k + c;
                var zc = z[index];
                var target = kind == ModelKind.Logistic ? label : (c == label ? 1 : 0);
                var term = Math.Max(zc, 0f) + logTerm[index] - (target == 1 ? zc : 0f);
                var ec = e[index];
                var sigmoid = zc >= 0 ? 1 / (1 + ec) : ec / (1 + ec);
                (loss, d[index]) = rowWeights.IsEmpty ? (loss + term, sigmoid - target) : (loss + weight * (double)term, weight * (sigmoid - target));
            }
        }

        return loss;
    }

    /// <summary>
    /// Softmax for 8 to 16 classes (MNIST's ten) on AVX: each row is read as two 8-lane vectors, its first eight scores
    /// and its last eight (overlapping when k &lt; 16), so a row's maximum, first highest class, sum and division are a
    /// few vector instructions rather than a call per step over ten numbers; the exponentials run over the whole block
    /// at once. The overlap is harmless for the maximum, masked out of the sum, and stored twice with equal values.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static unsafe double SoftmaxTwoVectors(ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, out long correct)
    {
        const int W = 8;
        var tail = k - W;

        // Lanes of the second vector that the first already holds (the overlap) are left out of the sum.
        var fresh = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(2 * W - k)).AsSingle();
        correct = 0;
        double loss = 0;
        fixed (float* zp = z, dp = delta, sums = scratch)
        fixed (int* lp = labels)
        {
            for (var i = 0; i < m; i++)
            {
                var row = zp + i * k;
                var first = Vector256.Load(row);
                var last = Vector256.Load(row + tail);
                var label = lp[i];

                // vmaxps, not Vector256.Max: its NaN and ±0 rules cost more than the rest of the row, and a row with a NaN
                // is handled apart (±0 compare equal, and subtracting either leaves a score unchanged).
                var max = HorizontalMax(Avx.Max(first, last));
                if (HasNaN(first, last))
                {
                    max = float.NaN;
                    correct += DecisionRules.PredictFromLogits(ModelKind.Softmax, z.Slice(i * k, k), 0) == label ? 1 : 0;
                }
                else
                {
                    correct += FirstHighest(first, last, tail, max) == label ? 1 : 0;
                }

                // − (z_label − max) of the loss log Σ exp(z − max) − (z_label − max); the logarithms are added below.
                loss -= row[label] - max;
                var shift = Vector256.Create(max);
                (last - shift).Store(dp + i * k + tail);
                (first - shift).Store(dp + i * k);
            }

            var count = m * k;
            TensorPrimitives.Exp(delta[..count], delta[..count]);

            // Each sum is between 1 (the maximum's own term) and 16, so the block's product stays far inside a double's
            // range (16^64 = 2^256) and one logarithm gives Σ log: m logarithms cost more than the rest of the softmax.
            double product = 1;
            for (var i = 0; i < m; i++)
            {
                var row = dp + i * k;
                var sum = HorizontalSum(Vector256.Load(row) + (Vector256.Load(row + tail) & fresh));
                sums[i] = sum;
                product *= sum;
            }

            loss += Math.Log(product);
            for (var i = 0; i < m; i++)
            {
                var scale = Vector256.Create(1 / sums[i]);
                var row = dp + i * k;
                var first = Vector256.Load(row);
                var last = Vector256.Load(row + tail);
                (last * scale).Store(row + tail);
                (first * scale).Store(row);
                row[lp[i]] -= 1;
            }
        }

        return loss;
    }

    private static float HorizontalMax(Vector256<float> v)
    {
        var x = Sse.Max(v.GetLower(), v.GetUpper());
        x = Sse.Max(x, Avx.Permute(x, 0b01_00_11_10));
        x = Sse.Max(x, Avx.Permute(x, 0b10_11_00_01));
        return x.ToScalar();
    }

    private static float HorizontalSum(Vector256<float> v)
    {
        var x = v.GetLower() + v.GetUpper();
        x += Avx.Permute(x, 0b01_00_11_10);
        x += Avx.Permute(x, 0b10_11_00_01);
        return x.ToScalar();
    }

    internal static double Softmax(ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, out long correct, ReadOnlySpan<float> rowWeights = default)
    {
        var sums = scratch[..m];
        var maxima = scratch.Slice(m, m);
        correct = 0;
        for (var i = 0; i < m; i++)
        {
            var row = z.Slice(i * k, k);
            var max = row[0];
            var best = 0;
            for (var c = 1; c < k; c++)
            {
                max = Math.Max(max, row[c]);
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            // The argmax rides along with the maximum the stable softmax needs anyway: the first highest score, as
            // DecisionRules.PredictFromLogits picks it.
            correct += best == labels[i] ? 1 : 0;
            maxima[i] = max;
            var shifted = delta.Slice(i * k, k);
            TensorPrimitives.Subtract(row, max, shifted);
        }

        TensorPrimitives.Exp(delta, delta);
        for (var i = 0; i < m; i++)
        {
            sums[i] = TensorPrimitives.Sum<float>(delta.Slice(i * k, k));
        }

        double loss = 0;
        for (var i = 0; i < m; i++)
        {
            var row = delta.Slice(i * k, k);
            var label = labels[i];
            // log Σ exp(z − max) − (z_label − max)
            if (rowWeights.IsEmpty)
            {
                loss += MathF.Log(sums[i]) - (z[i * k + label] - maxima[i]);
                TensorPrimitives.Multiply(row, 1 / sums[i], row);
                row[label] -= 1;
            }
            else
            {
                var weight = rowWeights[i];
                loss += weight * (double)(MathF.Log(sums[i]) - (z[i * k + label] - maxima[i]));
                TensorPrimitives.Multiply(row, weight / sums[i], row);
                row[label] -= weight;
            }
        }

        return loss;
    }
}
