using System.CommandLine;
using System.Globalization;
using LogReg.Experiments;
using LogReg.Runs;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg experiment run FILE</c>: every grid point × fold × seed, in parallel, with progress and an ETA; resumable;
/// results.csv, results.md and results.json at the end.
/// </summary>
public static class ExperimentRunCommand
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "The experiment spec (YAML), e.g. experiments/mnist-logistic-2v8.yaml" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the runs and results [default: runs/NAME]", HelpName = "DIR" };
        output.AcceptLegalFilePathsOnly();
        var resume = new Option<bool>("--resume") { Description = "Continue: skip the runs that already finished" };
        var force = new Option<bool>("--force") { Description = "Discard finished runs and start over" };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "Run on this dataset instead of the spec's (e.g. kmnist-partial)", HelpName = "NAME|DIR" };
        var parallelism = new Option<string>("--parallelism") { Description = "auto, runs (one run per core) or kernel (one run at a time, all cores)", DefaultValueFactory = _ => "auto" };
        parallelism.AcceptOnlyFromAmong("auto", "runs", "kernel");
        var threads = new Option<int>("--threads") { Description = "Cores to use (0: all)", DefaultValueFactory = _ => 0 };
        var maxRuns = new Option<long>("--max-runs")
        {
            Description = "Refuse specs that expand to more runs than this (grid points x seeds x folds)",
            DefaultValueFactory = _ => Common.Limits.DefaultMaxRuns,
            HelpName = "N",
        };
        var noReport = ReportCommand.NoReportOption();
        var noDifference = new Option<bool>("--no-ovr-difference")
        {
            Description = "For a class-pair experiment: skip training the two one-vs-rest models whose weight difference the report shows beside the pair's weights",
        };
        var shard = new Option<string?>("--shard") { Description = "Run only shard I of N (numbered from 1: 1/4 ... 4/4), or auto: from a Slurm job array or Kubernetes Indexed Job", HelpName = "I/N|auto" };
        var shards = new Option<int?>("--shards") { Description = "With --shard auto: the number of shards (default: SLURM_ARRAY_TASK_COUNT, or LOGREG_SHARDS for Kubernetes)", HelpName = "N" };
        var command = new Command("run", "Run an experiment spec: every grid point x fold x seed, resumable") { file, output, resume, force, dataset, parallelism, threads, maxRuns, noReport, noDifference, shard, shards };
        command.Validators.Add(r =>
        {
            if (r.GetValue(resume) && r.GetValue(force))
            {
                r.AddError("--resume and --force cannot be combined");
            }

            if (r.GetValue(shards) is { } n && r.GetValue(shard) != "auto")
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"--shards {n} goes with --shard auto (with --shard I/N the count is N)"));
            }
        });
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var path = env.ResolvePath(parseResult.GetRequiredValue(file));
            var threadCount = Common.Limits.Threads(parseResult.GetValue(threads));
            var spec = ExperimentSpecReader.Read(path, parseResult.GetValue(maxRuns));
            var datasetOverride = parseResult.GetValue(dataset);
            if (datasetOverride is not null)
            {
                spec = spec with { Dataset = datasetOverride };
            }

            var defaultName = datasetOverride is null ? spec.Name : $"{spec.Name}-{Path.GetFileName(datasetOverride.TrimEnd('/'))}";
            if (parseResult.GetValue(output) is null && Common.SafeName.Problem(defaultName) is { } problem)
            {
                throw new UsageException($"the folder name '{Common.SafeName.Quote(defaultName)}' (the spec's name and the --dataset folder) {problem}; give the folder with --out");
            }
            var directory = env.ResolvePath(parseResult.GetValue(output) ?? Path.Combine("runs", defaultName));
            var options = new ExperimentRunOptions
            {
                Resume = parseResult.GetValue(resume),
                Force = parseResult.GetValue(force),
                Parallelism = parseResult.GetRequiredValue(parallelism) switch { "runs" => Parallelism.Runs, "kernel" => Parallelism.Kernel, _ => Parallelism.Auto },
                Threads = threadCount,
                Shard = ParseShard(env, parseResult.GetValue(shard), parseResult.GetValue(shards)),
            };
            LogReg.Data.OutputLocation.EnsureWritableFolder(directory, "--out", [ExperimentRunner.ManifestFile, ExperimentRunner.SpecCopyFile, ExperimentResults.CsvFile, ExperimentResults.MarkdownFile, ExperimentResults.JsonFile]);
            var runner = new ExperimentRunner(spec, DataServices.Loader(env, parseResult, cancellationToken), directory, options);
            var outcome = RunWithProgress(env, spec, runner, cancellationToken);
            if (options.Shard is { IsWhole: false } part)
            {
                return Task.FromResult(ReportShard(env, part, outcome));
            }

            env.Output.WriteLine();
            env.Output.Write(outcome.Results.ToMarkdown());
            env.Output.WriteLine();
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome.Finished} of {outcome.Total} runs finished ({outcome.Skipped} already done), {outcome.Parallelism}, {outcome.Elapsed.TotalSeconds:0.0} s"));
            env.Output.WriteLine($"saved {Path.Combine(outcome.Directory, ExperimentResults.MarkdownFile)} (and {ExperimentResults.CsvFile}, {ExperimentResults.JsonFile}, the runs)");
            if (!parseResult.GetValue(noReport))
            {
                OneVsRestDifference? difference = null;
                if (!parseResult.GetValue(noDifference))
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    difference = runner.TrainOneVsRestDifference(outcome, line => env.Output.WriteLine(line + " (skip with --no-ovr-difference)"), cancellationToken);
                    if (difference is not null)
                    {
                        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {OneVsRestDifference.FileName} in {clock.Elapsed.TotalSeconds:0.00} s"));
                    }
                }

                // From the outcome in memory: nothing the runs just wrote is read back (logreg report DIR reads the folder).
                var experiment = new Reporting.ExperimentForReport(outcome.Directory, outcome.Results, difference);
                ReportCommand.Write(env, outcome.Directory, Reporting.ReportBuilder.ForExperiment(experiment, new Reporting.ReportDataSource(DataServices.Loader(env, parseResult, cancellationToken))));
            }

            if (outcome.Interrupted)
            {
                env.Error.WriteLine($"interrupted: rerun with --resume to finish the remaining {outcome.Total - outcome.Finished} runs");
                return Task.FromResult(ExitCodes.Interrupted);
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>The shard of --shard (null when not given); --shard auto reads the scheduler's variables.</summary>
    internal static Shard? ParseShard(CliEnvironment env, string? text, int? count)
    {
        if (count is < 1 or > Shard.MaxCount)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--shards must be 1 to {Shard.MaxCount}, not {count}"));
        }

        return text switch
        {
            null => null,
            "auto" => Shard.FromEnvironment(env.GetVariable, count),
            _ => Shard.Parse(text),
        };
    }

    /// <summary>A shard's summary: its runs only; the experiment's results come from the merge.</summary>
    private static int ReportShard(CliEnvironment env, Shard shard, ExperimentOutcome outcome)
    {
        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {outcome.Finished} of its {outcome.Total} runs finished ({outcome.Skipped} already done), {outcome.Parallelism}, {outcome.Elapsed.TotalSeconds:0.0} s"));
        env.Output.WriteLine($"saved the runs and {shard.ManifestFile} in {outcome.Directory}; when every shard has finished: logreg experiment merge {outcome.Directory}");
        if (outcome.Interrupted)
        {
            env.Error.WriteLine($"interrupted: rerun shard {shard} with --resume to finish its remaining {outcome.Total - outcome.Finished} runs");
            return ExitCodes.Interrupted;
        }

        return ExitCodes.Ok;
    }

    internal static ExperimentOutcome RunWithProgress(CliEnvironment env, ExperimentSpec spec, ExperimentRunner runner, CancellationToken cancellationToken)
    {
        env.Output.WriteLine($"{spec.Name}: {(spec.Description.Length > 0 ? spec.Description.Split('\n')[0] : spec.SourcePath)}");
        if (!env.Interactive)
        {
            var lines = new SynchronousProgress<ExperimentProgress>(p => { if (p.Last is not null) env.Output.WriteLine(Line(p)); });
            return runner.Run(lines, cancellationToken);
        }

        ExperimentOutcome? outcome = null;
        env.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("runs", maxValue: 1);
                var progress = new SynchronousProgress<ExperimentProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"runs {p.Done}/{p.Total}{(p.Remaining is { } r ? $" ETA {Format(r)}" : "")}"));
                });
                outcome = runner.Run(progress, cancellationToken);
            });
        return outcome!;
    }

    internal static string Line(ExperimentProgress p)
    {
        var r = p.Last!;
        var metrics = string.Join(' ', new[] { ("val", r.ValidationAccuracy), ("test", r.TestAccuracy), ("train", (double?)r.TrainAccuracy) }
            .Where(m => m.Item2 is { } v && double.IsFinite(v)).Take(2).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Item1} {m.Item2:0.0000}")));
        var eta = p.Remaining is { } remaining ? " · ETA " + Format(remaining) : "";
        return string.Create(CultureInfo.InvariantCulture, $"[{p.Done}/{p.Total}] {r.Key.Point.Describe()} seed {r.Key.Seed} fold {r.Key.Fold}: {metrics} ({r.EpochsRun} epochs, {r.FitSeconds:0.0} s){eta}");
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
