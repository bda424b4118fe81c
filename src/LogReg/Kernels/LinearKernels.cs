using System.Collections.Concurrent;

namespace LogReg.Kernels;

/// <summary>The kernels LogReg ships, and the one training uses unless told otherwise.</summary>
internal static class LinearKernels
{
    private static readonly ConcurrentDictionary<int, FusedLinearKernel> Shared = new();

    /// <summary>
    /// The fast kernel with one thread per core, shared by everything in the process that does not ask for its own.
    /// It serialises concurrent callers; code that trains several models at once should <see cref="Create"/> one each.
    /// </summary>
    public static ILinearKernel Default => ForThreads(0);

    /// <summary>The plain-loops reference every kernel is tested against.</summary>
    public static ILinearKernel Reference => ScalarReferenceKernel.Instance;

    /// <summary>A shared fast kernel with <paramref name="threads"/> threads (0: one per core).</summary>
    public static ILinearKernel ForThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        return Shared.GetOrAdd(threads == 0 ? Environment.ProcessorCount : threads, t => new FusedLinearKernel(t));
    }

    /// <summary>A new fast kernel of the caller's own (dispose it to stop its threads).</summary>
    public static FusedLinearKernel Create(int threads = 0, SimdWidth width = SimdWidth.Auto, RowLayout layout = RowLayout.Auto, ZeroStretches zeroStretches = ZeroStretches.Auto) =>
        new(threads, width, layout, zeroStretches);
}
