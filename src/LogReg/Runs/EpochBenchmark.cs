using System.Diagnostics;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Runs;

/// <summary>Epoch times of one configuration: median, min and max over every timed epoch, and the evaluation cost.</summary>
public sealed record EpochTiming(
    string Model,
    int BatchSize,
    int Threads,
    string Kernel,
    int TimedEpochs,
    double MedianEpochSeconds,
    double MinEpochSeconds,
    double MaxEpochSeconds,
    double EvaluationSeconds,
    double TestAccuracy);

/// <summary>Runs of L-BFGS to the optimum: wall time per run (median, min, max), iterations and test accuracy.</summary>
public sealed record OptimumTiming(string Model, double Lambda, int Iterations, string StopReason, double MedianSeconds, double MinSeconds, double MaxSeconds, double TestAccuracy, string Kernel);

/// <summary>
/// Times whole training epochs (shuffle and every step, no evaluation) and, separately, one evaluation of the training
/// and test splits, as the trainer does after each epoch. Zero initialisation, so repeats are identical work.
/// </summary>
internal static class EpochBenchmark
{
    /// <summary>Times <paramref name="repeats"/> × <paramref name="epochsPerRepeat"/> epochs of <paramref name="kind"/> on <paramref name="data"/> with <paramref name="kernel"/>.</summary>
    public static EpochTiming Run(PreparedData data, ModelKind kind, TrainingOptions options, ILinearKernel kernel, int repeats, int epochsPerRepeat, int threads)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochsPerRepeat, 1);
        var train = data.TrainProblem(kind);
        var test = data.TestProblem(kind);
        options = options with { Init = WeightInit.Zeros };
        options.Validate(train.Rows);
        var objective = new Objective(kernel, train, options);

        // Warm-up: JIT, thread start, first-touch of buffers.
        var warm = LinearTrainer.Initialize(train, options);
        new SgdEpochs(objective, warm).Run(options.LearningRate);

        var times = new List<double>();
        var evaluation = double.MaxValue;
        LinearParameters? last = null;
        for (var r = 0; r < repeats; r++)
        {
            var parameters = LinearTrainer.Initialize(train, options);
            var epochs = new SgdEpochs(objective, parameters);
            for (var e = 0; e < epochsPerRepeat; e++)
            {
                var learningRate = options.Schedule.At(options.LearningRate, e, epochsPerRepeat);
                var clock = Stopwatch.StartNew();
                epochs.Run(learningRate);
                times.Add(clock.Elapsed.TotalSeconds);
            }

            var evalClock = Stopwatch.StartNew();
            kernel.Evaluate(train, parameters.Weights, parameters.Bias, 0);
            if (test is not null)
            {
                kernel.Evaluate(test, parameters.Weights, parameters.Bias, 0);
            }

            evaluation = Math.Min(evaluation, evalClock.Elapsed.TotalSeconds);
            last = parameters;
        }

        var accuracy = test is null ? double.NaN : kernel.Evaluate(test, last!.Weights, last.Bias, 0).Accuracy;
        return new EpochTiming(ModelFile.KindName(kind), options.BatchSize, threads, kernel.Name, times.Count, Median(times), times.Min(), times.Max(), evaluation, accuracy);
    }

    /// <summary>
    /// Times complete L-BFGS runs to the optimum of the L2-regularised objective (no per-iteration evaluation beyond
    /// what the optimizer computes), from zero weights each time.
    /// </summary>
    public static OptimumTiming Lbfgs(PreparedData data, ModelKind kind, double lambda, ILinearKernel kernel, int repeats)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(kernel);
        var train = data.TrainProblem(kind);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, Penalty = Penalty.L2, Lambda = lambda, MaxIterations = 1000, BatchSize = 0, Momentum = 0 };
        new LinearTrainer(kernel).Fit(train, options with { MaxIterations = 2 }); // warm-up
        var times = new List<double>();
        TrainingResult? last = null;
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            last = new LinearTrainer(kernel).Fit(train, options);
            times.Add(clock.Elapsed.TotalSeconds);
        }

        var test = data.TestProblem(kind);
        var accuracy = test is null ? double.NaN : kernel.Evaluate(test, last!.Parameters.Weights, last.Parameters.Bias, 0).Accuracy;
        return new OptimumTiming(ModelFile.KindName(kind), lambda, last!.EpochsRun, last.StopReason.ToString(), Median(times), times.Min(), times.Max(), accuracy, kernel.Name);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
