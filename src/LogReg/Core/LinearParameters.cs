using System.Numerics.Tensors;

namespace LogReg.Core;

/// <summary>Weights (outputs × features, row-major) and bias (outputs) of a linear model, mutable during training.</summary>
public sealed class LinearParameters
{
    public LinearParameters(int outputs, int features)
        : this(new float[checked(outputs * features)], new float[outputs], features)
    {
    }

    public LinearParameters(float[] weights, float[] bias, int features)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        if (weights.Length != bias.Length * features)
        {
            throw new ArgumentException($"{weights.Length} weights do not make {bias.Length} rows of {features}", nameof(weights));
        }

        Weights = weights;
        Bias = bias;
        Features = features;
    }

    public float[] Weights { get; }

    public float[] Bias { get; }

    public int Features { get; }

    public int Outputs => Bias.Length;

    public Span<float> Row(int output) => Weights.AsSpan(output * Features, Features);

    public LinearParameters Clone() => new((float[])Weights.Clone(), (float[])Bias.Clone(), Features);

    public void CopyTo(LinearParameters destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Weights.CopyTo(destination.Weights, 0);
        Bias.CopyTo(destination.Bias, 0);
    }

    public void Clear()
    {
        Array.Clear(Weights);
        Array.Clear(Bias);
    }

    /// <summary>‖w‖₁ over the weights (not the bias).</summary>
    public double L1Norm() => TensorPrimitives.SumOfMagnitudes<float>(Weights);

    /// <summary>How many weights (not biases) are exactly zero: the sparsity an L1 penalty brings.</summary>
    public int ZeroWeights()
    {
        var zeros = 0;
        foreach (var w in Weights)
        {
            zeros += w == 0 ? 1 : 0;
        }

        return zeros;
    }

    /// <summary>‖w‖₂ over the weights (not the bias).</summary>
    public double L2Norm() => TensorPrimitives.Norm<float>(Weights);

    public bool IsFinite()
    {
        foreach (var w in Weights)
        {
            if (!float.IsFinite(w))
            {
                return false;
            }
        }

        foreach (var b in Bias)
        {
            if (!float.IsFinite(b))
            {
                return false;
            }
        }

        return true;
    }
}
