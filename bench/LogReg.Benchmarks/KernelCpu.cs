using System.Globalization;
using System.Runtime.InteropServices;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Preprocessing;

namespace LogReg.Benchmarks;

/// <summary>
/// The kernel's own cost per width on real MNIST, in CPU time of the one thread that runs it (a single-thread kernel
/// runs every item on the calling thread): on a host shared with other builds, wall time counts the time slices other
/// processes take, CPU time does not (cache pollution from them still shows). Passes: a full-batch gradient over the
/// 60,000 rows in order, and an epoch of shuffled B = 128 gradients (no step). Configurations interleaved round after
/// round; min and median per configuration.
/// <code>dotnet run -c Release -- kernel-cpu [--rounds R] [--model softmax|logistic] [--widths vector512,vector256,...] [--zero-stretches auto|skip|read]</code>
/// </summary>
public static partial class KernelCpu
{
    public static int Run(string[] args)
    {
        var rounds = int.Parse(Option(args, "--rounds", "5"), CultureInfo.InvariantCulture);
        var kind = Option(args, "--model", "softmax") == "logistic" ? ModelKind.Logistic : ModelKind.Softmax;
        // Each entry WIDTH or WIDTH:ZEROS (auto, skip, read, pixels), so two settings of one width interleave.
        var zeros = Enum.Parse<ZeroStretches>(Option(args, "--zero-stretches", "auto"), ignoreCase: true);
        var widths = Option(args, "--widths", "vector512,vector256,vector128").Split(',')
            .Select(w => w.Split(':'))
            .Select(w => (Width: Enum.Parse<SimdWidth>(w[0], ignoreCase: true), Zeros: w.Length > 1 ? Enum.Parse<ZeroStretches>(w[1], ignoreCase: true) : zeros)).ToArray();
        var loader = new DatasetLoader(new DataLocator(BenchmarkData.Directory, null, Path.Combine(Path.GetTempPath(), "logreg-bench-cache"), []));
        var preparation = new DataPreparation { Classes = kind == ModelKind.Logistic ? ClassSubset.OneVsRest(0) : ClassSubset.All };
        var data = PreparedData.Prepare(loader.Load("mnist", DatasetSplit.Train), null, preparation);
        var problem = data.TrainProblem(kind);
        var n = problem.Rows;
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var random = new SeededRandom(3);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            parameters.Weights[i] = (float)(random.NextDouble() - 0.5) * 0.01f;
        }

        var gradient = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var inOrder = Enumerable.Range(0, n).ToArray();
        var shuffled = new SeededRandom(1).Permutation(n);
        var kernels = widths.Select(w => new FusedLinearKernel(1, w.Width, RowLayout.Auto, w.Zeros)).ToArray();
        var parts = new List<(string Name, Action Run)>();
        foreach (var kernel in kernels)
        {
            var label = $"{kernel.Name} {kernel.ZeroStretches.ToString().ToLowerInvariant()}";
            parts.Add(($"{label} full batch", () => kernel.LossAndGradient(problem, inOrder, parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias)));
            parts.Add(($"{label} B = 128 epoch", () =>
            {
                for (var start = 0; start < n; start += 128)
                {
                    if (start + 128 < n)
                    {
                        kernel.PrefetchRows(problem, shuffled.AsSpan(start + 128, Math.Min(128, n - start - 128)));
                    }

                    kernel.LossAndGradient(problem, shuffled.AsSpan(start, Math.Min(128, n - start)), parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias);
                }
            }));
        }

        var times = parts.Select(_ => new List<double>()).ToArray();
        for (var round = -1; round < rounds; round++)
        {
            for (var p = 0; p < parts.Count; p++)
            {
                var before = ThreadCpuSeconds();
                parts[p].Run();
                if (round >= 0)
                {
                    times[p].Add((ThreadCpuSeconds() - before) * 1000);
                }
            }
        }

        Console.WriteLine($"MNIST {kind.ToString().ToLowerInvariant()}, {n} rows, one thread; thread CPU time, {rounds} interleaved rounds");
        for (var p = 0; p < parts.Count; p++)
        {
            var sorted = times[p].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {parts[p].Name,-44} min {sorted[0],7:0.0} ms   median {sorted[sorted.Count / 2],7:0.0} ms"));
        }

        foreach (var kernel in kernels)
        {
            kernel.Dispose();
        }

        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static double ThreadCpuSeconds()
    {
        // CLOCK_THREAD_CPUTIME_ID: this thread's CPU time (Linux).
        if (ClockGetTime(3, out var spec) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return spec.Seconds + spec.Nanoseconds * 1e-9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);
}
