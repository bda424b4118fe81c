using System.Numerics.Tensors;
using LogReg.Models;

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
    /// the rows predicted right, as <see cref="ScalarReferenceKernel.PredictFromLogits"/> predicts (the highest score,
    /// the first on a tie; logistic: positive when the score is at least <paramref name="logitThreshold"/>).
    /// <paramref name="scratch"/> needs m·k floats (plus m for softmax).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double Compute(ModelKind kind, ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, float logitThreshold, out long correct)
    {
        var count = m * k;
        var z = logits[..count];
        var d = delta[..count];
        if (kind == ModelKind.Softmax)
        {
            return Softmax(z, labels, m, k, d, scratch, out correct);
        }

        correct = 0;
        for (var i = 0; i < m; i++)
        {
            correct += ScalarReferenceKernel.PredictFromLogits(kind, z.Slice(i * k, k), logitThreshold) == labels[i] ? 1 : 0;
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
            for (var c = 0; c < k; c++)
            {
                var index = i * k + c;
                var zc = z[index];
                var target = kind == ModelKind.Logistic ? label : (c == label ? 1 : 0);
                loss += Math.Max(zc, 0f) + logTerm[index] - (target == 1 ? zc : 0f);
                var ec = e[index];
                var sigmoid = zc >= 0 ? 1 / (1 + ec) : ec / (1 + ec);
                d[index] = sigmoid - target;
            }
        }

        return loss;
    }

    private static double Softmax(ReadOnlySpan<float> z, ReadOnlySpan<int> labels, int m, int k, Span<float> delta, Span<float> scratch, out long correct)
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
            // ScalarReferenceKernel.PredictFromLogits picks it.
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
            loss += MathF.Log(sums[i]) - (z[i * k + label] - maxima[i]);
            TensorPrimitives.Multiply(row, 1 / sums[i], row);
            row[label] -= 1;
        }

        return loss;
    }
}
