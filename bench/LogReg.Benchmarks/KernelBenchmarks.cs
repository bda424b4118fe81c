using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Benchmarks;

/// <summary>
/// Each kernel on MNIST-shaped data (784 features, 10 classes, pixels scaled /255): the gradient of one 128-row
/// mini-batch, of the full 10,000-row set, and scoring (evaluation) of 10,000 rows. Scalar reference vs
/// TensorPrimitives vs the fused kernel per SIMD width, on one and two threads.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private const int Rows = 10_000;
    private const int Features = 784;
    private const int Classes = 10;

    private LinearProblem _problem = null!;
    private ILinearKernel _kernel = null!;
    private int[] _batch = null!;
    private int[] _all = null!;
    private readonly float[] _w = new float[Classes * Features];
    private readonly float[] _b = new float[Classes];
    private readonly float[] _gw = new float[Classes * Features];
    private readonly float[] _gb = new float[Classes];

    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "";

    public static IEnumerable<string> Kernels()
    {
        yield return "scalar-reference";
        yield return "tensor-primitives";
        yield return "fused-scalar-1t";
        yield return "fused-vector128-1t";
        yield return "fused-vector256-1t";
        yield return "fused-vector256-2t";
        if (Vector512.IsHardwareAccelerated)
        {
            yield return "fused-vector512-1t";
            yield return "fused-vector512-2t";
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(1);
        var pixels = new byte[Rows * Features];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(random.NextInt(4) == 0 ? random.NextInt(256) : 0);
        }

        var scale = Enumerable.Repeat(1f / 255, Features).ToArray();
        var labels = Enumerable.Range(0, Rows).Select(_ => random.NextInt(Classes)).ToArray();
        _problem = new LinearProblem(ModelKind.Softmax, new ScaledPixels(pixels, new float[Features], scale), labels, Classes);
        _ = _problem.Features; // the reference kernels read floats
        for (var i = 0; i < _w.Length; i++)
        {
            _w[i] = (float)(0.01 * random.NextGaussian());
        }

        _batch = random.Permutation(Rows)[..128];
        _all = Enumerable.Range(0, Rows).ToArray();
        _kernel = Kernel switch
        {
            "scalar-reference" => LinearKernels.Reference,
            "tensor-primitives" => TensorPrimitivesKernel.Instance,
            "fused-scalar-1t" => new FusedLinearKernel(1, SimdWidth.Scalar),
            "fused-vector128-1t" => new FusedLinearKernel(1, SimdWidth.Vector128),
            "fused-vector256-1t" => new FusedLinearKernel(1, SimdWidth.Vector256),
            "fused-vector256-2t" => new FusedLinearKernel(2, SimdWidth.Vector256),
            "fused-vector512-1t" => new FusedLinearKernel(1, SimdWidth.Vector512),
            "fused-vector512-2t" => new FusedLinearKernel(2, SimdWidth.Vector512),
            _ => throw new ArgumentOutOfRangeException(nameof(Kernel), Kernel, "unknown kernel"),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => (_kernel as IDisposable)?.Dispose();

    [Benchmark(Description = "gradient, batch of 128")]
    public double GradientBatch128() => _kernel.LossAndGradient(_problem, _batch, _w, _b, _gw, _gb).LossSum;

    [Benchmark(Description = "gradient, 10000 rows")]
    public double GradientFull() => _kernel.LossAndGradient(_problem, _all, _w, _b, _gw, _gb).LossSum;

    [Benchmark(Description = "evaluate, 10000 rows")]
    public double Evaluate() => _kernel.Evaluate(_problem, _w, _b, 0).LossSum;
}
