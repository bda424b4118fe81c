using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LogReg.Common;
using LogReg.Data;
using LogReg.Experiments;
using LogReg.Reproduction;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg reproduce DOCUMENT</c>: runs every experiment of a source document through the experiment runner
/// (parallel, resumable, Ctrl+C-safe, with progress) and writes reproduction.html and reproduction.json: the published
/// numbers beside ours, the figures re-drawn, and the document's claims checked.
/// </summary>
public static class ReproduceCommand
{
    public static Command Create(CliEnvironment env)
    {
        var document = new Argument<string?>("DOCUMENT") { Description = $"The source document: {string.Join(", ", Documents.Names)}", Arity = ArgumentArity.ZeroOrOne };
        var list = new Option<bool>("--list") { Description = "List the documents, what each reproduces, its presets and its number of runs" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the experiments and the document [default: runs/reproduce-DOCUMENT]", HelpName = "DIR" };
        output.AcceptLegalFilePathsOnly();
        var specs = new Option<string>("--specs") { Description = "Folder of the preset spec files the documents name", DefaultValueFactory = _ => "experiments", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue: skip the runs that already finished" };
        var force = new Option<bool>("--force") { Description = "Discard finished runs and start over" };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "Run every experiment on this dataset instead of the presets' (e.g. kmnist-partial)", HelpName = "NAME|DIR" };
        var parallelism = new Option<string>("--parallelism") { Description = "auto, runs (one run per core) or kernel (one run at a time, all cores)", DefaultValueFactory = _ => "auto" };
        parallelism.AcceptOnlyFromAmong("auto", "runs", "kernel");
        var threads = new Option<int>("--threads") { Description = "Cores to use (0: all)", DefaultValueFactory = _ => 0 };
        var trainFirst = new Option<int?>("--train-first")
        {
            Description = "A quick, reduced reproduction: at most the first N training images in every experiment (stated in the document)",
            HelpName = "N",
        };
        trainFirst.Validators.Add(r =>
        {
            if (r.GetValue(trainFirst) is < 1)
            {
                r.AddError("--train-first must be ≥ 1");
            }
        });
        var command = new Command("reproduce", "Reproduce a source document: run its experiments, compare with its numbers, check its claims") { document, list, output, specs, resume, force, dataset, parallelism, threads, trainFirst };
        command.Validators.Add(r =>
        {
            if (r.GetValue(resume) && r.GetValue(force))
            {
                r.AddError("--resume and --force cannot be combined");
            }
        });
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var specsDir = env.ResolvePath(parseResult.GetRequiredValue(specs));
            if (parseResult.GetValue(list))
            {
                return Task.FromResult(List(env, specsDir));
            }

            var name = parseResult.GetValue(document) ?? throw new UsageException($"name a document to reproduce ({string.Join(", ", Documents.Names)}), or --list");
            var doc = Find(name);
            var options = new ExperimentRunOptions
            {
                Resume = parseResult.GetValue(resume),
                Force = parseResult.GetValue(force),
                Parallelism = parseResult.GetRequiredValue(parallelism) switch { "runs" => Parallelism.Runs, "kernel" => Parallelism.Kernel, _ => Parallelism.Auto },
                Threads = Limits.Threads(parseResult.GetValue(threads)),
            };
            var directory = env.ResolvePath(parseResult.GetValue(output) ?? Path.Combine("runs", "reproduce-" + doc.Name));
            var request = new Request(doc, specsDir, directory, parseResult.GetValue(dataset), parseResult.GetValue(trainFirst), options);
            return Task.FromResult(Reproduce(env, request, DataServices.Loader(env, parseResult, cancellationToken), cancellationToken));
        }));
        return command;
    }

    private sealed record Request(ReproductionDocument Document, string SpecsDirectory, string Directory, string? Dataset, int? TrainFirst, ExperimentRunOptions Options);

    /// <summary>The document by name, or a usage error with the closest name.</summary>
    internal static ReproductionDocument Find(string name)
    {
        if (Documents.Find(name) is { } doc)
        {
            return doc;
        }

        var hint = Documents.ClosestName(name) is { } closest ? $"; did you mean '{closest}'?" : "";
        throw new UsageException($"unknown document '{SafeName.Quote(name)}'{hint} (known: {string.Join(", ", Documents.Names)})");
    }

    private static int Reproduce(CliEnvironment env, Request request, DatasetLoader loader, CancellationToken cancellationToken)
    {
        var doc = request.Document;
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var specs = doc.Experiments.Select(preset => (Preset: preset, Spec: ReadSpec(request, preset))).ToList();
        OutputLocation.EnsureWritableFolder(request.Directory, "--out", [ReproductionOutcome.HtmlFile, ReproductionOutcome.JsonFile]);
        Directory.CreateDirectory(request.Directory);
        var subset = request.TrainFirst is { } n ? string.Create(CultureInfo.InvariantCulture, $"--train-first {n}") : null;
        env.Output.WriteLine($"{doc.Name}: {doc.Experiments.Count} experiments ({string.Join(", ", doc.Experiments)}){(subset is null ? "" : $", {subset}")}");

        var experiments = new Dictionary<string, ExperimentData>(StringComparer.Ordinal);
        var trainSets = new Dictionary<string, Dataset?>(StringComparer.Ordinal);
        int finished = 0, total = 0;
        var interrupted = false;
        for (var i = 0; i < specs.Count; i++)
        {
            var (preset, (spec, text)) = specs[i];
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{i + 1}/{specs.Count}] {preset}"));
            var folder = Path.Combine(request.Directory, spec.Name);
            var runner = new ExperimentRunner(spec, loader, folder, request.Options, text);
            var outcome = ExperimentRunCommand.RunWithProgress(env, spec, runner, cancellationToken);
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: {outcome.Finished} of {outcome.Total} runs finished ({outcome.Skipped} already done), {outcome.Parallelism}, {outcome.Elapsed.TotalSeconds:0.0} s"));
            finished += outcome.Finished;
            total += outcome.Total;
            interrupted |= outcome.Interrupted;
            if (!trainSets.TryGetValue(spec.Dataset, out var train))
            {
                // For the class averages beside the weight images; a folder dataset without labels just has none.
                train = loader.Load(spec.Dataset, DatasetSplit.Train);
                trainSets[spec.Dataset] = train;
            }

            experiments[preset] = ExperimentDataReader.Read(preset, outcome.Results, train);
        }

        var result = ReproductionOutcome.Evaluate(doc, new ReproductionData(experiments), new ReproductionConditions
        {
            Subset = subset,
            Dataset = request.Dataset,
            GeneratedBy = Models.TrainedModel.CurrentVersion,
            Started = started,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
            FinishedRuns = finished,
            TotalRuns = total,
            Interrupted = interrupted,
        });
        AtomicFile.WriteAllText(Path.Combine(request.Directory, ReproductionOutcome.JsonFile), result.ToJson());
        var html = Path.Combine(request.Directory, ReproductionOutcome.HtmlFile);
        AtomicFile.WriteAllText(html, ReproductionHtml.Render(result, ReportScripts.Assets));

        env.Output.WriteLine();
        foreach (var line in result.ReducedTraining())
        {
            env.Output.WriteLine(line);
        }

        env.Output.WriteLine($"findings scorecard: {result.Count(Verdict.Pass)} pass, {result.Count(Verdict.Fail)} fail, {result.Count(Verdict.NotApplicable)} not applicable");
        foreach (var c in result.Claims)
        {
            env.Output.WriteLine($"  {ReproductionOutcome.VerdictName(c.Result.Verdict),-14} {c.Claim.Statement}: {c.Result.Reason}");
        }

        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{finished} of {total} runs finished, {clock.Elapsed.TotalSeconds:0.0} s"));
        env.Output.WriteLine($"saved {html} (and {ReproductionOutcome.JsonFile})");
        if (interrupted)
        {
            env.Error.WriteLine($"interrupted: rerun with --resume to finish the remaining {total - finished} runs");
            return ExitCodes.Interrupted;
        }

        return ExitCodes.Ok;
    }

    /// <summary>A preset with the command line's dataset and subset applied, and the text whose hash keeps runs of other settings apart.</summary>
    private static (ExperimentSpec Spec, string Text) ReadSpec(Request request, string preset)
    {
        var path = Path.Combine(request.SpecsDirectory, preset);
        if (!File.Exists(path))
        {
            throw new LogRegDataException(path, $"no such preset (the document {request.Document.Name} runs {string.Join(", ", request.Document.Experiments)}); give the presets' folder with --specs");
        }

        var spec = ExperimentSpecReader.Read(path);
        var text = File.ReadAllText(path);
        if (request.Dataset is { } dataset)
        {
            spec = spec with { Dataset = dataset };
        }

        if (request.TrainFirst is { } n)
        {
            var p = spec.Preparation;
            spec = spec with { Preparation = p.TrainLast is { } last ? p with { TrainLast = Math.Min(last, n) } : p with { TrainFirst = Math.Min(p.TrainFirst ?? n, n) } };
            text += string.Create(CultureInfo.InvariantCulture, $"\n# logreg reproduce --train-first {n}\n");
        }

        return (spec, text);
    }

    private static int List(CliEnvironment env, string specsDir)
    {
        foreach (var doc in Documents.All)
        {
            long runs = 0;
            var missing = new List<string>();
            foreach (var preset in doc.Experiments)
            {
                var path = Path.Combine(specsDir, preset);
                if (!File.Exists(path))
                {
                    missing.Add(preset);
                    continue;
                }

                var spec = ExperimentSpecReader.Read(path);
                runs += (long)GridPoint.Expand(spec).Count * spec.Seeds.Count * spec.Validation.RunsPerSeed;
            }

            env.Output.WriteLine($"{doc.Name}: {doc.Source}");
            env.Output.WriteLine($"  reproduces {doc.Summary}");
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {doc.Experiments.Count} experiments, {runs} runs, {doc.Claims.Count()} claims: {string.Join(", ", doc.Experiments)}"));
            if (missing.Count > 0)
            {
                env.Output.WriteLine($"  not in {specsDir}: {string.Join(", ", missing)}");
            }
        }

        return ExitCodes.Ok;
    }
}
