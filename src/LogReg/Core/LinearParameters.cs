using System.Numerics.Tensors;

namespace LogReg.Core;

/// <summary>Weights (outputs × features, row-major) and bias (outputs) of a linear model, mutable during training.</summary>
public sealed class LinearParameters
{
    /// <summary>Zeroed parameters for <paramref name="outputs"/> outputs of <paramref name="features"/> features.</summary>
    public LinearParameters(int outputs, int features)
        : this(new float[checked(outputs * features)], new float[outputs], features)
    {
    }

    /// <summary>Parameters over <paramref name="weights"/> (one row of <paramref name="features"/> per output) and <paramref name="bias"/>.</summary>
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

    /// <summary>The weights, one row of <see cref="Features"/> per output.</summary>
    public float[] Weights { get; }

    /// <summary>The bias of each output.</summary>
    public float[] Bias { get; }

    /// <summary>The number of features per output.</summary>
    public int Features { get; }

    /// <summary>The number of outputs.</summary>
    public int Outputs => Bias.Length;

    /// <summary>The weights of <paramref name="output"/>.</summary>
    public Span<float> Row(int output) => Weights.AsSpan(output * Features, Features);

    /// <summary>A deep copy.</summary>
    public LinearParameters Clone() => new((float[])Weights.Clone(), (float[])Bias.Clone(), Features);

    /// <summary>Copies these parameters into <paramref name="destination"/> (same shape).</summary>
    public void CopyTo(LinearParameters destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Weights.CopyTo(destination.Weights, 0);
        Bias.CopyTo(destination.Bias, 0);
    }

    /// <summary>Sets every weight and bias to zero.</summary>
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

    /// <summary>Whether every weight and bias is finite.</summary>
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
