namespace LogReg.Kernels;

/// <summary>Length checks done once, before any loop, so kernels can index freely.</summary>
internal static class KernelChecks
{
    public static void Parameters(int outputs, int features, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> gradWeights, ReadOnlySpan<float> gradBias)
    {
        var w = (long)outputs * features;
        if (weights.Length != w || gradWeights.Length != w)
        {
            throw new ArgumentException($"weights and their gradient need {outputs} x {features} = {w} values (got {weights.Length} and {gradWeights.Length})", nameof(weights));
        }

        if (bias.Length != outputs || gradBias.Length != outputs)
        {
            throw new ArgumentException($"bias and its gradient need {outputs} values (got {bias.Length} and {gradBias.Length})", nameof(bias));
        }
    }
}
