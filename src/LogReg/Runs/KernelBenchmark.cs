using LogReg.Core;
using LogReg.Kernels;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Runs;

/// <summary>
/// One kernel configuration to time (threads, SIMD width, row layout, zero stretches): the public way into
/// <c>logreg bench</c>'s measurements. The kernels themselves are internal plumbing, so a caller names the
/// configuration and this type owns the kernel. Dispose it to stop the kernel's worker threads.
/// </summary>
public sealed class KernelBenchmark : IDisposable
{
    private readonly FusedLinearKernel _kernel;

    /// <summary>A kernel of its own with <paramref name="threads"/> threads (0: one per core) and the given code paths (Auto: what training would pick).</summary>
    public KernelBenchmark(int threads = 0, SimdWidth width = SimdWidth.Auto, RowLayout layout = RowLayout.Auto, ZeroStretches zeroStretches = ZeroStretches.Auto) =>
        _kernel = LinearKernels.Create(threads, width, layout, zeroStretches);

    /// <summary>The kernel's name as the timings report it (width, layout, threads).</summary>
    public string Name => _kernel.Name;

    /// <summary>Times <paramref name="repeats"/> × <paramref name="epochsPerRepeat"/> training epochs of <paramref name="kind"/> on <paramref name="data"/>, and one evaluation.</summary>
    public EpochTiming Epochs(PreparedData data, ModelKind kind, TrainingOptions options, int repeats, int epochsPerRepeat, int threads) =>
        EpochBenchmark.Run(data, kind, options, _kernel, repeats, epochsPerRepeat, threads);

    /// <summary>Times <paramref name="repeats"/> runs of L-BFGS to the L2 optimum at <paramref name="lambda"/>.</summary>
    public OptimumTiming Lbfgs(PreparedData data, ModelKind kind, double lambda, int repeats) =>
        EpochBenchmark.Lbfgs(data, kind, lambda, _kernel, repeats);

    /// <inheritdoc/>
    public void Dispose() => _kernel.Dispose();
}
