namespace LogReg.Core;

/// <summary>How a one-vs-rest model picks its class.</summary>
public enum Decision
{
    /// <summary>The unit with the highest score (first on ties). The default, and the rule of every other model kind.</summary>
    Scores,

    /// <summary>
    /// The unit with the highest sigmoid in double precision, first on ties: saturated units tie at 1.0. The rule of code
    /// that takes argmax over sigmoid outputs, as seed 003's notebook does; for reproducing it.
    /// </summary>
    Probabilities,
}

/// <summary>
/// The decision rules: how scores become a class. Every kernel's accuracy count, every fitted model's prediction and the
/// ONNX export follow these, so they live in one place below all of them (a fitted model never needs a kernel to decide).
/// </summary>
internal static class DecisionRules
{
    /// <summary>The predicted class: logistic by threshold on the logit, otherwise the first highest score.</summary>
    public static int PredictFromLogits(ModelKind kind, ReadOnlySpan<float> logits, float logitThreshold) =>
        PredictFromLogits<float>(kind, logits, logitThreshold);

    /// <summary>A logistic model's prediction: positive when the logit is at least the threshold (NaN: negative).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int PredictLogistic<T>(T logit, float logitThreshold)
        where T : System.Numerics.IFloatingPointIeee754<T> =>
        logit >= T.CreateChecked(logitThreshold) ? 1 : 0;

    internal static int PredictFromLogits<T>(ModelKind kind, ReadOnlySpan<T> logits, float logitThreshold)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        if (kind == ModelKind.Logistic)
        {
            return PredictLogistic(logits[0], logitThreshold);
        }

        var best = 0;
        for (var k = 1; k < logits.Length; k++)
        {
            if (logits[k] > logits[best])
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>
    /// The unit with the highest sigmoid in double precision, the first on ties: where scores pass about 37 their
    /// sigmoids round to exactly 1.0 and tie, so this can differ from the highest score. It is the decision of code that
    /// takes argmax over sigmoid outputs (seed 003's notebook), kept to reproduce its figures, never a default.
    /// </summary>
    public static int FirstHighestSigmoid(ReadOnlySpan<float> scores)
    {
        var best = 0;
        var highest = double.NegativeInfinity;
        for (var k = 0; k < scores.Length; k++)
        {
            var p = 1 / (1 + Math.Exp(-(double)scores[k]));
            if (p > highest)
            {
                (best, highest) = (k, p);
            }
        }

        return best;
    }
}
