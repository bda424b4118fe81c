using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg bench</c>: time whole training epochs on a dataset for several batch sizes and models, with median and
/// min–max over repeated runs, and the cost of the per-epoch evaluation; <c>--json</c> prints one object per line.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliEnvironment env)
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Dataset to train on", DefaultValueFactory = _ => "mnist", HelpName = "NAME|DIR" };
        var models = new Option<string>("--models") { Description = "Comma-separated: softmax, logistic (digit 0 vs rest), ovr", DefaultValueFactory = _ => "softmax,logistic" };
        var batches = new Option<string>("--batch-sizes") { Description = "Comma-separated batch sizes; 0 is full batch", DefaultValueFactory = _ => "1,64,128,256,0" };
        var epochs = new Option<int>("--epochs") { Description = "Timed epochs per run", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Runs per configuration (each from zero weights)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Kernel threads (0: one per core)", DefaultValueFactory = _ => 0 };
        var learningRate = new Option<double>("--lr") { Description = "Learning rate (plain SGD, no momentum, as the peer scripts)", DefaultValueFactory = _ => 0.1 };
        var width = new Option<string>("--width") { Description = "SIMD width: auto, vector512, vector256, vector128, scalar", DefaultValueFactory = _ => "auto" };
        width.AcceptOnlyFromAmong("auto", "vector512", "vector256", "vector128", "scalar");
        var layout = new Option<string>("--layout") { Description = "Rows read as bytes scaled on the fly, or as floats", DefaultValueFactory = _ => "auto" };
        layout.AcceptOnlyFromAmong("auto", "bytes", "floats");
        var zeros = new Option<string>("--zero-stretches") { Description = "Skip all-zero stretches of byte rows: auto (when the data is mostly zero), skip, read", DefaultValueFactory = _ => "auto" };
        zeros.AcceptOnlyFromAmong("auto", "skip", "read");
        var json = new Option<bool>("--json") { Description = "One JSON object per line per configuration" };
        var lbfgs = new Option<double?>("--lbfgs")
        {
            Description = "Also time softmax L-BFGS to the optimum of the L2 objective with this λ (e.g. 1e-4)",
            HelpName = "LAMBDA",
        };
        foreach (var option in new[] { epochs, repeats })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() < 1)
                {
                    r.AddError($"{r.Option.Name} must be ≥ 1");
                }
            });
        }

        var command = new Command("bench", "Time training epochs (median, min-max over runs) for several batch sizes and models")
        {
            dataset, models, batches, epochs, repeats, threads, learningRate, width, layout, zeros, json, lbfgs,
        };
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var kinds = Parse(parseResult.GetRequiredValue(models), t => ModelFile.ParseKind(t) ?? throw new UsageException($"--models: unknown model '{t}' (softmax, logistic, ovr)"));
            var batchSizes = Parse(parseResult.GetRequiredValue(batches), t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : throw new UsageException($"--batch-sizes: '{t}' is not a whole number ≥ 0"));
            if (kinds.Count == 0 || batchSizes.Count == 0)
            {
                throw new UsageException(kinds.Count == 0 ? "--models names no model: give at least one of softmax, logistic, ovr" : "--batch-sizes names no batch size: give at least one, e.g. 128 or 1,64,0");
            }

            var threadCount = Common.Limits.Threads(parseResult.GetValue(threads));
            var loader = DataServices.Loader(env, parseResult);
            var name = parseResult.GetRequiredValue(dataset);
            var train = loader.Load(name, DatasetSplit.Train);
            var test = loader.Load(name, DatasetSplit.Test);
            var simd = parseResult.GetRequiredValue(width) switch
            {
                "vector512" => SimdWidth.Vector512,
                "vector256" => SimdWidth.Vector256,
                "vector128" => SimdWidth.Vector128,
                "scalar" => SimdWidth.Scalar,
                _ => SimdWidth.Auto,
            };
            var rows = parseResult.GetRequiredValue(layout) switch { "floats" => RowLayout.Floats, "bytes" => RowLayout.Bytes, _ => RowLayout.Auto };
            var zeroStretches = parseResult.GetRequiredValue(zeros) switch { "skip" => ZeroStretches.Skip, "read" => ZeroStretches.Read, _ => ZeroStretches.Auto };
            using var kernel = new KernelBenchmark(threadCount, simd, rows, zeroStretches);
            var asJson = parseResult.GetValue(json);
            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("Model").AddColumn(new TableColumn("Batch").RightAligned()).AddColumn(new TableColumn("Median epoch").RightAligned())
                .AddColumn(new TableColumn("Min-max").RightAligned()).AddColumn(new TableColumn("Evaluation").RightAligned()).AddColumn(new TableColumn("Test acc.").RightAligned());
            if (!asJson)
            {
                env.Output.WriteLine($"{name}: {train.Count} training images; kernel {kernel.Name}; {parseResult.GetValue(epochs)} epochs x {parseResult.GetValue(repeats)} runs per configuration");
            }

            foreach (var kind in kinds)
            {
                var preparation = new DataPreparation { Classes = kind == ModelKind.Logistic ? ClassSubset.OneVsRest(0) : ClassSubset.All };
                var data = PreparedData.Prepare(train, test, preparation);
                foreach (var batch in batchSizes)
                {
                    var options = new TrainingOptions
                    {
                        LearningRate = parseResult.GetValue(learningRate),
                        BatchSize = batch,
                        Momentum = 0,
                        Schedule = LearningRateSchedule.Constant,
                        Epochs = parseResult.GetValue(epochs),
                    };
                    var timing = kernel.Epochs(data, kind, options, parseResult.GetValue(repeats), parseResult.GetValue(epochs), threadCount);
                    if (asJson)
                    {
                        env.Output.WriteLine(Json(timing));
                    }
                    else
                    {
                        table.AddRow(
                            timing.Model,
                            batch == 0 ? "full" : batch.ToString(CultureInfo.InvariantCulture),
                            Ms(timing.MedianEpochSeconds),
                            $"{Ms(timing.MinEpochSeconds)} - {Ms(timing.MaxEpochSeconds)}",
                            Ms(timing.EvaluationSeconds),
                            TrainingCliOptions.Percent(timing.TestAccuracy));
                    }
                }
            }

            if (!asJson)
            {
                env.Console.Write(table);
                env.Output.WriteLine("Epoch: shuffle and every step, no evaluation. Evaluation: loss and accuracy on the training and test splits, done once per epoch by logreg train.");
            }

            if (parseResult.GetValue(lbfgs) is { } lambda)
            {
                var data = PreparedData.Prepare(train, test, new DataPreparation());
                var optimum = kernel.Lbfgs(data, ModelKind.Softmax, lambda, parseResult.GetValue(repeats));
                env.Output.WriteLine(asJson
                    ? Json(optimum)
                    : string.Create(CultureInfo.InvariantCulture, $"L-BFGS softmax, L2 λ {lambda:g3}: {optimum.Iterations} iterations ({optimum.StopReason}), median {optimum.MedianSeconds:0.00} s (min {optimum.MinSeconds:0.00}, max {optimum.MaxSeconds:0.00}), test accuracy {TrainingCliOptions.Percent(optimum.TestAccuracy)}"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static List<T> Parse<T>(string text, Func<string, T> parse) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();

    private static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.01 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    internal static string Json(OptimumTiming t)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("model", t.Model);
            writer.WriteString("optimizer", "lbfgs");
            writer.WriteNumber("lambda", t.Lambda);
            writer.WriteNumber("iterations", t.Iterations);
            writer.WriteString("stop_reason", t.StopReason);
            writer.WriteNumber("median_s", t.MedianSeconds);
            writer.WriteNumber("min_s", t.MinSeconds);
            writer.WriteNumber("max_s", t.MaxSeconds);
            writer.WriteNumber("test_accuracy", t.TestAccuracy);
            writer.WriteString("kernel", t.Kernel);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string Json(EpochTiming t)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("model", t.Model);
            writer.WriteNumber("batch_size", t.BatchSize);
            writer.WriteNumber("threads", t.Threads);
            writer.WriteNumber("median_epoch_s", t.MedianEpochSeconds);
            writer.WriteNumber("min_epoch_s", t.MinEpochSeconds);
            writer.WriteNumber("max_epoch_s", t.MaxEpochSeconds);
            writer.WriteNumber("eval_s", t.EvaluationSeconds);
            writer.WriteNumber("epochs_timed", t.TimedEpochs);
            if (double.IsFinite(t.TestAccuracy))
            {
                writer.WriteNumber("test_accuracy", t.TestAccuracy);
            }

            writer.WriteString("kernel", t.Kernel);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
