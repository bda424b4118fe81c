using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// The full-batch optimizers' view of the parameters: one vector in double (weights, then biases), so that their
/// updates and curvature pairs keep more precision than the float model, and the few operations they need on it.
/// </summary>
internal static class FlatVector
{
    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>The largest component's magnitude (the ∞-norm).</summary>
    public static double Norm(double[] a)
    {
        double max = 0;
        foreach (var v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    public static void Flatten(LinearParameters parameters, double[] x)
    {
        var w = parameters.Weights;
        for (var i = 0; i < w.Length; i++)
        {
            x[i] = w[i];
        }

        for (var i = 0; i < parameters.Bias.Length; i++)
        {
            x[w.Length + i] = parameters.Bias[i];
        }
    }

    public static void Unflatten(double[] x, LinearParameters parameters)
    {
        var w = parameters.Weights;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = (float)x[i];
        }

        for (var i = 0; i < parameters.Bias.Length; i++)
        {
            parameters.Bias[i] = (float)x[w.Length + i];
        }
    }
}
