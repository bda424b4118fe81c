namespace LogReg.Kernels;

/// <summary>The kernels LogReg ships, and the one training uses unless told otherwise.</summary>
public static class LinearKernels
{
    /// <summary>The fastest kernel for this machine.</summary>
    public static ILinearKernel Default => TensorPrimitivesKernel.Instance;

    public static ILinearKernel Reference => ScalarReferenceKernel.Instance;
}
