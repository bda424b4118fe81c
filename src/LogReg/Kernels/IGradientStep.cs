namespace LogReg.Kernels;

/// <summary>
/// An optimizer step that works weight by weight from the finished batch gradient (plain or momentum SGD, penalty
/// gradients, the L1 soft-threshold), so a kernel can take it in slices on the workers that summed the gradient,
/// instead of handing the whole gradient back to one thread first. Any split into slices gives the same result.
/// </summary>
internal interface IGradientStep
{
    /// <summary>Steps the weights [<paramref name="start"/>, <paramref name="end"/>) from the same slice of the gradient.</summary>
    void StepWeights(int start, int end);

    /// <summary>Steps the biases from the bias gradient.</summary>
    void StepBias();
}
