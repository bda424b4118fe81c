namespace LogReg.Core;

/// <summary>
/// Numerically stable sigmoid, softplus and softmax forms. Every function is finite for logits up to ±1e4 (and beyond):
/// exponentials only ever see non-positive arguments.
/// </summary>
internal static class Activations
{
    /// <summary>σ(z) = 1 / (1 + e^−z), computed from e^−|z| so it never overflows.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }

        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|).</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    /// <summary>log σ(z) = −softplus(−z).</summary>
    public static double LogSigmoid(double z) => -Softplus(-z);

    /// <summary>
    /// Binary cross-entropy of a logit against a 0/1 target, −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, and
    /// its derivative σ(z) − y.
    /// </summary>
    public static double BinaryCrossEntropy(double z, int target, out double gradient)
    {
        gradient = Sigmoid(z) - target;
        return Softplus(z) - (target == 1 ? z : 0);
    }

    /// <summary>
    /// log-softmax of a row in place of nothing: returns log Σ exp(z) with the maximum subtracted first, so logits like
    /// [1000, 1001, 2] give finite results.
    /// </summary>
    public static double LogSumExp(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            return double.NegativeInfinity;
        }

        double max = logits[0];
        for (var k = 1; k < logits.Length; k++)
        {
            max = Math.Max(max, logits[k]);
        }

        if (double.IsInfinity(max) || double.IsNaN(max))
        {
            return max;
        }

        double sum = 0;
        foreach (var z in logits)
        {
            sum += Math.Exp(z - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>Softmax of a row with the maximum subtracted (never TensorPrimitives.SoftMax, which does not).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length != logits.Length)
        {
            throw new ArgumentException("probabilities must have one entry per logit", nameof(probabilities));
        }

        var logSum = LogSumExp(logits);
        for (var k = 0; k < logits.Length; k++)
        {
            probabilities[k] = (float)Math.Exp(logits[k] - logSum);
        }
    }

    /// <summary>log-softmax of a row: z − logsumexp(z).</summary>
    public static void LogSoftmax(ReadOnlySpan<float> logits, Span<float> result)
    {
        if (result.Length != logits.Length)
        {
            throw new ArgumentException("result must have one entry per logit", nameof(result));
        }

        var logSum = LogSumExp(logits);
        for (var k = 0; k < logits.Length; k++)
        {
            result[k] = (float)(logits[k] - logSum);
        }
    }

    /// <summary>The same loss and derivative in double precision throughout, for the reference kernel.</summary>
    public static double LossAndDelta(ModelKind kind, ReadOnlySpan<double> logits, int label, Span<double> delta)
    {
        switch (kind)
        {
            case ModelKind.Logistic:
                return BinaryCrossEntropy(logits[0], label, out delta[0]);
            case ModelKind.Softmax:
            {
                var max = double.NegativeInfinity;
                foreach (var z in logits)
                {
                    max = Math.Max(max, z);
                }

                double sum = 0;
                foreach (var z in logits)
                {
                    sum += Math.Exp(z - max);
                }

                var logSum = max + Math.Log(sum);
                for (var k = 0; k < logits.Length; k++)
                {
                    delta[k] = Math.Exp(logits[k] - logSum);
                }

                delta[label] -= 1;
                return logSum - logits[label];
            }

            default:
            {
                double loss = 0;
                for (var k = 0; k < logits.Length; k++)
                {
                    loss += BinaryCrossEntropy(logits[k], k == label ? 1 : 0, out delta[k]);
                }

                return loss;
            }
        }
    }

    /// <summary>
    /// The per-sample loss of <paramref name="kind"/> for the scores <paramref name="logits"/> and true class
    /// <paramref name="label"/>, and its derivative with respect to each score, written over <paramref name="delta"/>.
    /// Logistic: one logit, label 0/1. Softmax: cross-entropy of the softmax. One-vs-rest: the sum of K binary
    /// cross-entropies with target 1 for the true class.
    /// </summary>
    public static double LossAndDelta(ModelKind kind, ReadOnlySpan<float> logits, int label, Span<float> delta)
    {
        switch (kind)
        {
            case ModelKind.Logistic:
            {
                var loss = BinaryCrossEntropy(logits[0], label, out var g);
                delta[0] = (float)g;
                return loss;
            }

            case ModelKind.Softmax:
            {
                var logSum = LogSumExp(logits);
                for (var k = 0; k < logits.Length; k++)
                {
                    delta[k] = (float)Math.Exp(logits[k] - logSum);
                }

                delta[label] -= 1;
                return logSum - logits[label];
            }

            default:
            {
                double loss = 0;
                for (var k = 0; k < logits.Length; k++)
                {
                    loss += BinaryCrossEntropy(logits[k], k == label ? 1 : 0, out var g);
                    delta[k] = (float)g;
                }

                return loss;
            }
        }
    }
}
