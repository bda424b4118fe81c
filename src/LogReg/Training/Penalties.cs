using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// The penalty part of the objective: λ2‖w‖² + λ1‖w‖₁ (the bias only when PenalizeBias). The smooth part (and the L1
/// subgradient in <see cref="L1Mode.Subgradient"/>) goes into the gradient; the proximal L1 step is a soft-threshold
/// applied after the update.
/// </summary>
internal static class Penalties
{
    public static double Value(TrainingOptions options, LinearParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        var l2 = options.L2Strength;
        var l1 = options.L1Strength;
        if (l2 == 0 && l1 == 0)
        {
            return 0;
        }

        double squares = 0, absolutes = 0;
        Accumulate(parameters.Weights, ref squares, ref absolutes);
        if (options.PenalizeBias)
        {
            Accumulate(parameters.Bias, ref squares, ref absolutes);
        }

        return l2 * squares + l1 * absolutes;
    }

    /// <summary>
    /// Adds 2λ2·w (and λ1·sign(w) in subgradient mode) to the gradient. (SGD steps add it slice by slice, divided by the
    /// mean's 1/rows that they fold into the step size: <see cref="GradientTerms"/>.) <paramref name="count"/> is how
    /// many times the batch counts the penalty (<see cref="TrainingOptions.PenaltyCount"/>).
    /// </summary>
    public static void AddGradient(TrainingOptions options, LinearParameters parameters, LinearParameters gradient, double count = 1)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        var (twoL2, l1) = GradientTerms(options, count);
        if (twoL2 == 0 && l1 == 0)
        {
            return;
        }

        Add(parameters.Weights, gradient.Weights, twoL2, l1);
        if (options.PenalizeBias)
        {
            Add(parameters.Bias, gradient.Bias, twoL2, l1);
        }
    }

    /// <summary>
    /// The proximal step of the L1 part after a gradient step of size <paramref name="learningRate"/>:
    /// w ← sign(w)·max(|w| − η·λ1, 0). Weights that cross zero become exactly zero.
    /// </summary>
    public static void ApplyProximal(TrainingOptions options, LinearParameters parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        if (ProximalThreshold(options, learningRate) is not { } threshold)
        {
            return;
        }

        SoftThreshold(parameters.Weights, threshold);
        if (options.PenalizeBias)
        {
            SoftThreshold(parameters.Bias, threshold);
        }
    }

    internal static void SoftThreshold(Span<float> values, float threshold)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            values[i] = v > threshold ? v - threshold : v < -threshold ? v + threshold : 0f;
        }
    }

    private static void Accumulate(ReadOnlySpan<float> values, ref double squares, ref double absolutes)
    {
        foreach (var v in values)
        {
            squares += (double)v * v;
            absolutes += Math.Abs(v);
        }
    }

    /// <summary>The factors of the penalty gradient, 2λ2·scale and (subgradient mode) λ1·scale.</summary>
    internal static (float TwoL2, float L1) GradientTerms(TrainingOptions options, double scale) =>
        ((float)(2 * options.L2Strength * scale), options.L1Mode == L1Mode.Subgradient ? (float)(options.L1Strength * scale) : 0f);

    /// <summary>The proximal L1 threshold η·λ1 after a step of size η, or null when there is no proximal step.</summary>
    internal static float? ProximalThreshold(TrainingOptions options, double learningRate) =>
        options.L1Mode != L1Mode.Proximal || options.L1Strength == 0 ? null : (float)(learningRate * options.L1Strength);

    internal static void Add(ReadOnlySpan<float> values, Span<float> gradient, float twoL2, float l1)
    {
        for (var i = 0; i < values.Length; i++)
        {
            gradient[i] += twoL2 * values[i] + l1 * Math.Sign(values[i]);
        }
    }
}
