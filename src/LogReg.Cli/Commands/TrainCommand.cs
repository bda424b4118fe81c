using System.CommandLine;
using System.Globalization;
using LogReg.Cli.Serve;
using LogReg.Core;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg train</c>: train a logistic, softmax or one-vs-rest model, show progress per epoch and a summary, and write
/// the model, its history and metrics.json into the output folder. With no options: softmax on MNIST.
/// </summary>
public static class TrainCommand
{
    public static Command Create(CliEnvironment env)
    {
        var options = new TrainingCliOptions();
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Folder for model.json, history.csv/json, metrics.json, confusion.csv and report.html [default: runs/train-DATASET-MODEL-TIME]",
            HelpName = "DIR",
        };
        output.AcceptLegalFilePathsOnly();
        var command = new Command("train", "Train a logistic, softmax or one-vs-rest classifier (no options: softmax on MNIST)");
        var noReport = ReportCommand.NoReportOption();
        var serve = LiveServer.Option();
        var noDifference = new Option<bool>("--no-ovr-difference")
        {
            Description = "For a class pair (--classes A,B): skip training the two one-vs-rest models whose weight difference the report shows beside the pair's weights",
        };
        options.AddTo(command);
        command.Add(output);
        command.Add(noReport);
        command.Add(noDifference);
        command.Add(serve);
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var report = !parseResult.GetValue(noReport);
            return Task.FromResult(Run(env, parseResult, options, parseResult.GetValue(output), report, report && !parseResult.GetValue(noDifference), LiveServer.Port(parseResult, serve), cancellationToken));
        }));
        return command;
    }

    private static int Run(CliEnvironment env, ParseResult parse, TrainingCliOptions cli, string? outputOption, bool report, bool ovrDifference, int? servePort, CancellationToken cancellationToken)
    {
        var options = cli.BuildOptions(parse);
        var loader = DataServices.Loader(env, parse, cancellationToken);
        var datasetName = parse.GetRequiredValue(cli.Dataset);
        datasetName = TabularCsvReader.IsTablePath(datasetName) ? env.ResolvePath(datasetName) : datasetName;
        var (train, test) = DataServices.LoadSplits(env, loader, datasetName);

        if (train.Table is not null && servePort is not null)
        {
            throw new UsageException("--serve shows images and a drawing pad; it does not apply to a table (the report shows its coefficients)");
        }

        var preparation = cli.BuildPreparation(parse, train.ClassNames, table: train.Table is not null);
        var kind = cli.BuildKind(parse, preparation);
        var data = PreparedData.Prepare(train, test, preparation, options.ValidationFraction, options.Seed);
        TrainingPipeline.CheckKind(kind, data.Train.ClassCount);
        if (!cli.ChoosesTraining(parse))
        {
            // The library's rule: small data is solved to scikit-learn's C = 1 optimum, large data keeps 10 SGD epochs.
            options = DefaultSolver.ForUnsetOptions(options, data.Train.Count, data.Shape.PixelCount);
        }

        var directory = env.ResolvePath(outputOption ?? DefaultOutput(train.Provenance.Name, kind));
        OutputLocation.EnsureWritableFolder(directory, "--out", RunFiles.All);

        env.Output.WriteLine(Describe(kind, data, options));
        var images = new Reporting.ReportDataSource(loader);
        images.Preload(train, DatasetSplit.Train);
        if (test is not null)
        {
            images.Preload(test, DatasetSplit.Test);
        }

        using var live = servePort is { } port ? LiveServer.Start(env, directory, data, options, images, port, cancellationToken) : null;
        var outcome = TrainWithProgress(env, data, kind, options, live?.Progress, live?.Token ?? cancellationToken);
        live?.Finish(outcome.Result);
        // The test split was scored once, as training finished: its confusion matrix is saved, and the report shows it
        // with the most confident mistakes, without scoring again or reading back what was just written.
        var evaluation = outcome.TestEvaluation;
        RunFiles.Write(directory, outcome, evaluation?.Confusion);
        WriteSummary(env, outcome, directory);
        var difference = ovrDifference && outcome.Result.StopReason != StopReason.Interrupted && OneVsRestDifference.AppliesTo(outcome.Model)
            ? TrainDifference(env, outcome.Model, train, directory, cancellationToken)
            : null;
        if (report)
        {
            ReportCommand.Write(env, directory, Reporting.ReportBuilder.ForRun(new Reporting.RunForReport(outcome.Model, outcome.Result.History, outcome.Result.Seconds, directory, evaluation, OneVsRestDifference: difference), images));
        }

        return outcome.Result.StopReason == StopReason.Interrupted ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>
    /// The report of a class-pair model sets the difference of two one-vs-rest models beside the pair's weights: a step
    /// of its own, announced, timed and saved in the run folder, so that the report (now or later) never trains.
    /// </summary>
    private static OneVsRestDifference? TrainDifference(CliEnvironment env, TrainedModel model, Dataset train, string directory, CancellationToken cancellationToken)
    {
        env.Output.WriteLine($"training {model.ClassNames[1]} vs rest and {model.ClassNames[0]} vs rest (all classes of the training images) for the report's one-vs-rest weight difference (skip with --no-ovr-difference)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var difference = OneVsRestDifference.Train(model, train, cancellationToken: cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        difference.Write(directory);
        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {Path.Combine(directory, OneVsRestDifference.FileName)} in {clock.Elapsed.TotalSeconds:0.00} s"));
        return difference;
    }

    private static TrainingOutcome TrainWithProgress(CliEnvironment env, PreparedData data, ModelKind kind, TrainingOptions options, LiveTraining? live, CancellationToken cancellationToken)
    {
        if (!env.Interactive)
        {
            var lines = new SynchronousProgress<EpochRecord>(r => env.Output.WriteLine(EpochLine(r, options.EpochLimit)));
            return TrainingPipeline.Train(data, kind, options, progress: LiveTraining.Alongside(lines, live), cancellationToken: cancellationToken);
        }

        TrainingOutcome? outcome = null;
        env.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.EpochLimit);
                var progress = LiveTraining.Alongside(
                    new SynchronousProgress<EpochRecord>(r =>
                    {
                        task.Value = r.Epoch;
                        task.Description = Markup.Escape(CompactLine(r, options.EpochLimit));
                    }),
                    live);
                outcome = TrainingPipeline.Train(data, kind, options, progress: progress, cancellationToken: cancellationToken);
                task.Value = task.MaxValue;
            });
        return outcome!;
    }

    internal static string EpochLine(EpochRecord r, int epochs)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{epochs}  loss {r.TrainLoss:0.0000}  acc {TrainingCliOptions.Percent(r.TrainAccuracy)}");
        if (r.ValidationLoss is { } vl)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val loss {vl:0.0000} acc {TrainingCliOptions.Percent(r.ValidationAccuracy!.Value)}");
        }

        if (r.TestLoss is { } tl)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  test loss {tl:0.0000} acc {TrainingCliOptions.Percent(r.TestAccuracy!.Value)}");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"  lr {r.LearningRate:g4}  {r.ElapsedSeconds:0.0}s");
    }

    /// <summary>The epoch line shortened to fit beside a progress bar in an 80-column terminal.</summary>
    internal static string CompactLine(EpochRecord r, int epochs)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}/{epochs} loss {r.TrainLoss:0.000} acc {TrainingCliOptions.Percent(r.TrainAccuracy)}");
        if (r.ValidationAccuracy is { } va)
        {
            text += " val " + TrainingCliOptions.Percent(va);
        }

        if (r.TestAccuracy is { } ta)
        {
            text += " test " + TrainingCliOptions.Percent(ta);
        }

        return text;
    }

    private static string Describe(ModelKind kind, PreparedData data, TrainingOptions o)
    {
        var split = string.Create(
            CultureInfo.InvariantCulture,
            $"train {data.Train.Count}{(data.Validation is null ? "" : $", validation {data.Validation.Count}")}{(data.Test is null ? "" : $", test {data.Test.Count}")}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{ModelFile.KindName(kind)} on {data.Train.Provenance.Description} ({data.Train.ClassCount} classes, {(data.Train.Table is { } table ? $"{table.Columns} features" : data.Shape.ToString())}, {ModelFile.ScalingName(data.Preparation.Scaling)}): {split}; {o.Describe()}");
    }

    private static void WriteSummary(CliEnvironment env, TrainingOutcome outcome, string directory)
    {
        var m = outcome.Metrics;
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Split").AddColumn(new TableColumn("Accuracy").RightAligned()).AddColumn(new TableColumn("Loss").RightAligned());
        table.AddRow("train", TrainingCliOptions.Percent(m.TrainAccuracy), Loss(m.TrainLoss));
        if (m.ValidationAccuracy is { } va)
        {
            table.AddRow("validation", TrainingCliOptions.Percent(va), Loss(m.ValidationLoss));
        }

        if (m.TestAccuracy is { } ta)
        {
            table.AddRow("test", TrainingCliOptions.Percent(ta), Loss(m.TestLoss));
        }

        env.Console.Write(table);
        var result = outcome.Result;
        var how = result.StopReason switch
        {
            StopReason.EarlyStopped => $"stopped early after {result.EpochsRun} epochs (no improvement for {outcome.Model.Options.Patience}); kept epoch {result.BestEpoch}",
            StopReason.Converged => $"converged after {result.EpochsRun} iterations",
            StopReason.Diverged => $"diverged after {result.EpochsRun} epoch(s); kept {(result.BestEpoch > 0 ? $"epoch {result.BestEpoch}" : "the initial weights")}",
            StopReason.Interrupted => $"interrupted after {result.EpochsRun} epochs; kept {(result.BestEpoch > 0 ? $"epoch {result.BestEpoch}" : "the weights so far")}",
            _ => result.BestEpoch != result.EpochsRun && outcome.Model.Metrics.ValidationAccuracy is not null
                ? $"{result.EpochsRun} epochs; kept the best validation epoch, {result.BestEpoch}"
                : $"{result.EpochsRun} epochs",
        };
        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{how} in {result.Seconds:0.00} s"));
        if (outcome.Model.Options.HasL1)
        {
            var weights = result.Parameters.Weights.Length;
            var zeros = result.Parameters.ZeroWeights();
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{zeros} of {weights} weights are zero ({100.0 * zeros / weights:0.0} %)"));
        }
        if (result.Warning is { } warning)
        {
            env.Warn(warning);
        }

        var confusion = File.Exists(Path.Combine(directory, RunFiles.TestConfusion)) ? $", {RunFiles.TestConfusion}" : "";
        env.Output.WriteLine($"saved {Path.Combine(directory, RunFiles.Model)} (and {RunFiles.HistoryCsv}, {RunFiles.HistoryJson}, {RunFiles.Metrics}{confusion})");
    }

    private static string Loss(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";

    private static string DefaultOutput(string dataset, ModelKind kind) =>
        Path.Combine("runs", $"train-{dataset}-{ModelFile.KindName(kind)}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
}
