using System.Diagnostics;
using System.Globalization;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Benchmarks;

/// <summary>
/// Where a mini-batch epoch's time goes, on real MNIST: the whole epoch as training runs it, then the same gradients
/// taking the step after the gradient on one thread instead of on the workers, and with parts taken away — the SGD step, the hint that lets the kernel fetch the next batch early, the shuffled order
/// (rows in order instead), and memory altogether (one cached batch repeated). Parts run interleaved, round after
/// round, so the host's noise falls on all of them; min and median per part.
/// <code>dotnet run -c Release -- epoch-parts [--threads N] [--batch B] [--rounds R] [--zero-stretches auto|skip|read]</code>
/// </summary>
public static class EpochParts
{
    public static int Run(string[] args)
    {
        int threads, batch, rounds;
        ZeroStretches zeros;
        try
        {
            threads = Option(args, "--threads", 0);
            batch = Option(args, "--batch", 128);
            rounds = Option(args, "--rounds", 15);
            zeros = OptionText(args, "--zero-stretches", "auto") switch
            {
                "skip" => ZeroStretches.Skip,
                "read" => ZeroStretches.Read,
                "auto" => ZeroStretches.Auto,
                var other => throw new FormatException($"--zero-stretches: '{other}' is not auto, skip or read"),
            };
            if (threads < 0 || batch < 1 || rounds < 1)
            {
                throw new FormatException("--threads must be ≥ 0, --batch and --rounds ≥ 1");
            }
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        var loader = new DatasetLoader(new DataLocator(BenchmarkData.Directory, null, Path.Combine(Path.GetTempPath(), "logreg-bench-cache"), []));
        var data = PreparedData.Prepare(loader.Load("mnist", DatasetSplit.Train), null, new DataPreparation());
        var problem = data.TrainProblem(ModelKind.Softmax);
        using var kernel = new FusedLinearKernel(threads, SimdWidth.Auto, RowLayout.Auto, zeros);
        var options = new TrainingOptions { LearningRate = 0.1, BatchSize = batch, Momentum = 0, Schedule = LearningRateSchedule.Constant, Epochs = 1, Init = WeightInit.Zeros };
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var epochs = new SgdEpochs(new Objective(kernel, problem, options), parameters);
        var stepAfter = new SgdEpochs(new Objective(new StepAfterGradient(kernel), problem, options), parameters.Clone());
        var gradient = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var n = problem.Rows;
        var inOrder = Enumerable.Range(0, n).ToArray();
        var shuffled = new SeededRandom(1).Permutation(n);
        var shuffler = new SeededRandom(2);
        var shuffleTarget = Enumerable.Range(0, n).ToArray();

        void Gradients(int[] order, bool sameBatch, bool hint, bool step)
        {
            for (var start = 0; start < n; start += batch)
            {
                var rows = sameBatch ? order.AsSpan(0, Math.Min(batch, n)) : order.AsSpan(start, Math.Min(batch, n - start));
                if (hint && start + batch < n)
                {
                    kernel.PrefetchRows(problem, order.AsSpan(start + batch, Math.Min(batch, n - start - batch)));
                }

                kernel.LossAndGradient(problem, rows, parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias);
                if (step)
                {
                    var eta = -0.1f / rows.Length;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient.Weights, eta, parameters.Weights, parameters.Weights);
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient.Bias, eta, parameters.Bias, parameters.Bias);
                }
            }
        }

        var parts = new (string Name, Action Run)[]
        {
            ("epoch as trained (shuffle, hint, steps)", () => epochs.Run(0.1)),
            ("same, step taken after the gradient", () => stepAfter.Run(0.1)),
            ("shuffled rows, hint, step", () => Gradients(shuffled, false, true, true)),
            ("shuffled rows, hint", () => Gradients(shuffled, false, true, false)),
            ("shuffled rows, no hint", () => Gradients(shuffled, false, false, false)),
            ("rows in order", () => Gradients(inOrder, false, false, false)),
            ("one cached batch repeated", () => Gradients(inOrder, true, false, false)),
            ("shuffle alone", () => shuffler.Shuffle(shuffleTarget.AsSpan())),
        };
        var times = parts.Select(_ => new List<double>()).ToArray();
        for (var round = -2; round < rounds; round++)
        {
            for (var p = 0; p < parts.Length; p++)
            {
                var clock = Stopwatch.StartNew();
                parts[p].Run();
                if (round >= 0)
                {
                    times[p].Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }

        Console.WriteLine($"MNIST softmax, {n} rows, batch {batch}, kernel {kernel.Name}, zero stretches {zeros.ToString().ToLowerInvariant()}; {rounds} interleaved rounds");
        for (var p = 0; p < parts.Length; p++)
        {
            var sorted = times[p].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {parts[p].Name,-42} min {sorted[0],6:0.0} ms   median {sorted[sorted.Count / 2],6:0.0} ms"));
        }

        return 0;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var text = OptionText(args, name, fallback.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{name}: '{text}' is not a whole number");
    }
}
