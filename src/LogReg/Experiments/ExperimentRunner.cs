using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Experiments;

/// <summary>How the runner uses the cores.</summary>
public enum Parallelism
{
    /// <summary>Runs side by side on small problems, one run at a time with all cores on large ones.</summary>
    Auto,

    /// <summary>One run per core at once, each single-threaded.</summary>
    Runs,

    /// <summary>One run at a time; its kernel uses every core.</summary>
    Kernel,
}

/// <summary>How to run an experiment.</summary>
public sealed record ExperimentRunOptions
{
    /// <summary>Skip runs that already finished (their metrics.json exists). Default false.</summary>
    public bool Resume { get; init; }

    /// <summary>Discard finished runs and start over. Default false.</summary>
    public bool Force { get; init; }

    /// <summary>How runs are spread over threads.</summary>
    public Parallelism Parallelism { get; init; } = Parallelism.Auto;

    /// <summary>Cores to use (0: all). Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Run only this shard's share of the runs (null or 1/1: all). A shard writes its runs and its own manifest
    /// (shard-I-of-N.json) and nothing that another shard writes; the results are left to <see cref="Collect"/>.
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>
    /// Train nothing: gather the finished runs (of every shard), retrain when the protocol asks, and write the results.
    /// Missing runs are an error (<see cref="MissingRuns"/>) unless <see cref="Partial"/>.
    /// </summary>
    public bool Collect { get; init; }

    /// <summary>With <see cref="Collect"/>: write the results of the runs that finished even when some are missing.</summary>
    public bool Partial { get; init; }

    /// <summary>With <see cref="Collect"/>: the shard count the runs were split into, to say which shard a missing run belongs to.</summary>
    public int? ShardCount { get; init; }
}

/// <summary>
/// Runs every grid point × validation fold × seed of an experiment, in parallel, resumably: each finished run leaves
/// its model, history and metrics under OUT/point/seedS-foldF/, written last-file-last, and a rerun with Resume skips
/// every run whose metrics.json exists. Cancellation stops at the next batch of every running run; unfinished runs
/// leave nothing behind. The results (results.csv, results.md, results.json) are aggregated in memory from the runs this
/// invocation trained and, when resuming, the metrics files of those an earlier one finished; the outcome carries what
/// the report draws (<see cref="ExperimentResults.Runs"/>), so nothing just written is read back.
/// A shard (<see cref="ExperimentRunOptions.Shard"/>) runs its share and writes only its runs and its own manifest, so
/// shards can share a folder; a merge (<see cref="ExperimentRunOptions.Collect"/>) writes the results once they are all in.
/// </summary>
public sealed class ExperimentRunner
{
    /// <summary>Above this many training values (samples × features) a single run keeps all cores busy by itself.</summary>
    public const long KernelParallelismThreshold = 10_000_000;

    /// <summary>The file that records the experiment's identity, for resuming.</summary>
    public const string ManifestFile = "experiment.json";
    /// <summary>The copy of the spec written into the output folder.</summary>
    public const string SpecCopyFile = "spec.yaml";
    /// <summary>The folder of the best point retrained on the whole training split.</summary>
    public const string RetrainedDirectory = "best-retrained";

    /// <summary>Each run's folder holds the hash of the spec that ran it, so runs of different specs are never merged.</summary>
    public const string RunSpecHashFile = "spec.sha256";

    private readonly ExperimentSpec _spec;
    private readonly DatasetLoader _loader;
    private readonly string _directory;
    private readonly ExperimentRunOptions _options;
    private readonly string? _specText;
    private Dataset? _train; // as loaded, before any selection: what the one-vs-rest difference trains on

    /// <param name="specText">The spec's text when it does not come from <see cref="ExperimentSpec.SourcePath"/> (a merge takes it from the shards' manifests).</param>
    public ExperimentRunner(ExperimentSpec spec, DatasetLoader loader, string directory, ExperimentRunOptions? options = null, string? specText = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(loader);
        _spec = spec;
        _loader = loader;
        _directory = Path.GetFullPath(directory);
        _options = options ?? new ExperimentRunOptions();
        _specText = specText;
    }

    /// <summary>
    /// The spec's fingerprint: SHA-256 of its text (line endings and trailing blanks normalised, so a copy edited on
    /// Windows is the same spec) and of the dataset it ran on (which the command line can override).
    /// </summary>
    public static string SpecHash(string specText, string dataset)
    {
        ArgumentNullException.ThrowIfNull(specText);
        var normalised = string.Join('\n', specText.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised + "\n# dataset: " + dataset)));
    }

    /// <summary>The prepared data shared by all runs: selected training and test data, and the class selection.</summary>
    private sealed record Plan(Dataset Train, Dataset? Test, Dataset? GivenValidation, DataPreparation Preparation, IReadOnlyList<GridPoint> Points, IReadOnlyList<RunKey> Runs, Dictionary<int, IReadOnlyList<Fold>> Folds, string Description);

    /// <summary>Runs every missing run of the grid (resuming a previous attempt), then writes the results; reports progress as runs finish.</summary>
    public ExperimentOutcome Run(IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var specText = _specText ?? (_spec.SourcePath.Length > 0 && File.Exists(_spec.SourcePath) ? File.ReadAllText(_spec.SourcePath) : "");
        var hash = SpecHash(specText, _spec.Dataset);
        Plan plan;
        try
        {
            plan = MakePlan();
        }
        catch (InvalidSettingException e)
        {
            // What is left of planning (splits of too few images for the folds, say) is the spec's problem.
            throw new LogRegDataException(_spec.SourcePath, e.Problem, e);
        }

        var shard = _options.Shard is { IsWhole: false } part ? part : null;
        var share = shard is null ? plan.Runs : ShareOf(plan, shard);
        if (shard is null)
        {
            PrepareDirectory(specText, hash, plan);
        }
        else
        {
            PrepareShard(hash, shard, share);
        }

        var finished = new ConcurrentBag<RunSummary>();
        // The runs' histories and the models the report draws, in memory; a run finished by an earlier invocation
        // (resumed or merged) is read from its folder, and only what is drawn of it.
        var kept = new ExperimentRuns(_spec);
        var pending = new List<RunKey>();
        foreach (var key in share)
        {
            var runDirectory = Path.Combine(_directory, key.RelativeDirectory);
            if (RunSummary.TryRead(key, runDirectory) is { } done)
            {
                CheckRunHash(key, hash);
                finished.Add(done);
                kept.AddFromFolder(done, runDirectory);
            }
            else
            {
                pending.Add(key);
            }
        }

        if (_options.Collect)
        {
            if (pending.Count > 0 && !_options.Partial)
            {
                throw _options.ShardCount is > 1 and var n ? MissingRuns.Error(_directory, plan.Runs, pending, Shards(plan, n), n) : MissingRuns.Error(_directory, plan.Runs, pending);
            }

            PrepareDirectory(specText, hash, plan);
            pending.Clear();
        }

        if (shard is not null)
        {
            WriteShardManifest(specText, hash, plan, shard, share, finished.Count, "running");
        }

        var skipped = finished.Count;
        var cores = _options.Threads > 0 ? _options.Threads : Environment.ProcessorCount;
        var mode = _options.Parallelism != Parallelism.Auto ? _options.Parallelism
            : (long)plan.Train.Count * plan.Train.FeatureCount >= KernelParallelismThreshold ? Parallelism.Kernel : Parallelism.Runs;
        var workers = mode == Parallelism.Runs ? Math.Max(1, Math.Min(cores, pending.Count)) : 1;
        // Fewer pending runs than cores (a single-run spec, the tail of a resume) leaves the spare cores to the kernels.
        var kernelThreads = mode == Parallelism.Runs ? Math.Max(1, cores / workers) : cores;
        progress?.Report(new ExperimentProgress(skipped, share.Count, skipped, null, clock.Elapsed, null));

        var queue = new ConcurrentQueue<RunKey>(pending);
        var gate = new object();
        var completedNow = 0;
        var runClock = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<Exception>();
        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                using var kernel = LinearKernels.Create(kernelThreads);
                while (!cancellationToken.IsCancellationRequested && failures.IsEmpty && queue.TryDequeue(out var key))
                {
                    RunSummary? summary;
                    try
                    {
                        summary = Execute(plan, key, hash, kernel, kept, cancellationToken);
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue(e);
                        return;
                    }

                    if (summary is null)
                    {
                        return; // interrupted: nothing was written
                    }

                    finished.Add(summary);
                    lock (gate)
                    {
                        completedNow++;
                        var left = pending.Count - completedNow;
                        TimeSpan? remaining = left == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(runClock.Elapsed.TotalSeconds / completedNow * left);
                        progress?.Report(new ExperimentProgress(skipped + completedNow, share.Count, skipped, summary, clock.Elapsed, remaining));
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        Task.WaitAll(tasks, CancellationToken.None);
        if (failures.TryDequeue(out var failure))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        var interrupted = cancellationToken.IsCancellationRequested && finished.Count < share.Count;
        var runsPerPoint = _spec.Seeds.Count * _spec.Validation.RunsPerSeed;
        var results = ExperimentResults.Compute(_spec, plan.Points, finished, runsPerPoint, plan.Description, kept: kept);
        if (shard is not null)
        {
            // A shard's table covers its own runs only, for the log; the experiment's results are the merge's to write.
            WriteShardManifest(specText, hash, plan, shard, share, finished.Count, interrupted ? "interrupted" : "finished");
            return new ExperimentOutcome(_directory, results, share.Count, finished.Count, skipped, interrupted, Describe(pending.Count, mode, workers, kernelThreads), clock.Elapsed);
        }

        RunSummary? retrained = null;
        var complete = finished.Count == plan.Runs.Count;
        if (!interrupted && complete && _spec.Test == TestProtocol.Retrain && results.Best is { } best)
        {
            using var kernel = LinearKernels.Create(cores);
            retrained = Retrain(plan, best, kernel, kept, cancellationToken);
            interrupted = retrained is null;
        }

        results = ExperimentResults.Compute(_spec, plan.Points, finished, runsPerPoint, plan.Description, retrained, ExperimentResults.TestConfusionOf(kept, results.BestRun, retrained, _spec.Test, runsPerPoint), clock.Elapsed.TotalSeconds, kept);

        results.Write(_directory);
        return new ExperimentOutcome(_directory, results, plan.Runs.Count, finished.Count, skipped, interrupted, Describe(pending.Count, mode, workers, kernelThreads), clock.Elapsed);
    }

    /// <summary>
    /// After <see cref="Run"/>: when the model the experiment's report shows is a logistic model of a class pair, trains
    /// the two one-vs-rest models whose weight difference the report sets beside it, on the experiment's training images
    /// with all their classes, and saves it in that model's folder. A step of its own, so that the report never trains;
    /// <paramref name="announce"/> hears what is about to be trained. Null when there is nothing to train (no finished
    /// model, not a class pair, an interrupted experiment or a shard).
    /// </summary>
    public OneVsRestDifference? TrainOneVsRestDifference(ExperimentOutcome outcome, Action<string>? announce = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Interrupted || _train is null || _options.Shard is { IsWhole: false } || outcome.Results.ModelDirectory is not { } shown || outcome.Results.Model is not { } model)
        {
            return null;
        }

        var directory = Path.Combine(_directory, shown);
        if (!OneVsRestDifference.AppliesTo(model))
        {
            return null;
        }

        announce?.Invoke($"training {model.ClassNames[1]} vs rest and {model.ClassNames[0]} vs rest (all classes of the training images) for the report's one-vs-rest weight difference of {shown}");
        using var kernel = LinearKernels.Create(_options.Threads > 0 ? _options.Threads : Environment.ProcessorCount);
        var difference = OneVsRestDifference.Train(model, _train, kernel, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        difference.Write(directory);
        return difference;
    }

    private static string Describe(int pending, Parallelism mode, int workers, int kernelThreads) =>
        pending == 0 ? "nothing left to run"
            : mode == Parallelism.Runs ? string.Create(CultureInfo.InvariantCulture, $"{workers} run(s) at a time, {(kernelThreads == 1 ? "one thread" : $"{kernelThreads} threads")} each")
            : string.Create(CultureInfo.InvariantCulture, $"one run at a time, {kernelThreads} kernel threads");

    /// <summary>
    /// A run's estimated cost, to balance shards: training values × outputs × epochs (the epoch limit; early stopping
    /// may end sooner, which no estimate made before training can know).
    /// </summary>
    private double Cost(Plan plan, RunKey key)
    {
        var rows = _spec.Validation.Method is ValidationMethod.KFold or ValidationMethod.HoldOut ? plan.Folds[key.Seed][key.Fold].Train.Length : plan.Train.Count;
        var kind = key.Point.Model ?? _spec.KindFor(plan.Preparation.Classes.IsBinary);
        var outputs = kind == ModelKind.Logistic ? 1 : plan.Train.ClassCount;
        return (double)rows * plan.Train.FeatureCount * outputs * Math.Max(1, key.Point.Options.Epochs);
    }

    /// <summary>For each run of the plan, its shard (counted from 0) when the runs are split into <paramref name="count"/> shards.</summary>
    private int[] Shards(Plan plan, int count) => ShardPlanner.Assign(plan.Runs.Select(k => Cost(plan, k)).ToArray(), count);

    private List<RunKey> ShareOf(Plan plan, Shard shard)
    {
        var assignment = Shards(plan, shard.Count);
        return plan.Runs.Where((_, i) => assignment[i] == shard.Index - 1).ToList();
    }

    /// <summary>A finished run written by a different spec (its spec.sha256 differs) must not be counted as this spec's.</summary>
    private void CheckRunHash(RunKey key, string hash)
    {
        var path = Path.Combine(_directory, key.RelativeDirectory, RunSpecHashFile);
        if (File.Exists(path) && File.ReadAllText(path).Trim() != hash)
        {
            throw new LogRegDataException(Path.Combine(_directory, key.RelativeDirectory), "this run was made by a different spec (or dataset): use --out for a new folder, or --force to discard the runs");
        }
    }

    /// <summary>
    /// Checks a shard may write into the folder (no other spec's shards or experiment there; its own finished runs need
    /// Resume or Force) and clears its own runs under Force. Touches nothing another shard writes.
    /// </summary>
    private void PrepareShard(string hash, Shard shard, IReadOnlyList<RunKey> share)
    {
        if (Directory.Exists(_directory))
        {
            var manifests = Directory.GetFiles(_directory, ExperimentMerge.ShardManifestPattern).Append(Path.Combine(_directory, ManifestFile)).Where(File.Exists);
            foreach (var manifest in manifests.Order(StringComparer.Ordinal))
            {
                if (ReadHash(manifest) is { } other && other != hash)
                {
                    throw new LogRegDataException(manifest, $"belongs to a different spec (or dataset) than this shard's (sha256 {other[..12]}… here, {hash[..12]}… now): use --out for a new folder");
                }
            }

            if (_options.Force)
            {
                foreach (var key in share)
                {
                    var path = Path.Combine(_directory, key.RelativeDirectory);
                    if (Directory.Exists(path))
                    {
                        Directory.Delete(path, recursive: true);
                    }
                }
            }

            var finished = share.Count(k => File.Exists(Path.Combine(_directory, k.RelativeDirectory, RunFiles.Metrics)));
            if (finished > 0 && !_options.Resume)
            {
                throw new LogRegDataException(_directory, $"already holds {finished} of the {share.Count} runs of shard {shard}: pass --resume to continue, or --force to start the shard over");
            }
        }

        Directory.CreateDirectory(_directory);
    }

    /// <summary>
    /// What identifies the experiment in its manifest and in every shard's: name, spec file and hash, dataset. A merge
    /// compares these, so both manifests write them here.
    /// </summary>
    private void WriteSpecIdentity(Utf8JsonWriter json, string hash)
    {
        json.WriteString("name", _spec.Name);
        json.WriteString("spec_file", _spec.SourcePath);
        json.WriteString("spec_sha256", hash);
        json.WriteString("dataset", _spec.Dataset);
    }

    /// <summary>
    /// The shard's own manifest (only this shard writes it): the spec (text and hash) and dataset, so a merge can check
    /// that every shard ran the same experiment, and the shard's runs, so it can say which shard a missing run belongs to.
    /// </summary>
    private void WriteShardManifest(string specText, string hash, Plan plan, Shard shard, IReadOnlyList<RunKey> share, int finished, string status)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteSpecIdentity(json, hash);
            json.WriteNumber("shard", shard.Index);
            json.WriteNumber("shards", shard.Count);
            json.WriteNumber("experiment_runs", plan.Runs.Count);
            json.WriteString("status", status);
            json.WriteNumber("finished", finished);
            json.WriteStartArray("runs");
            foreach (var key in share)
            {
                json.WriteStringValue(key.RelativeDirectory.Replace('\\', '/'));
            }

            json.WriteEndArray();
            json.WriteString("spec", specText);
            json.WriteString("created_by", Models.TrainedModel.CurrentVersion);
            json.WriteEndObject();
        }

        AtomicFile.WriteAllBytes(Path.Combine(_directory, shard.ManifestFile), stream.ToArray());
    }

    /// <summary>The spec_sha256 of a manifest (experiment.json or a shard's), or null when it has none or is not JSON.</summary>
    internal static string? ReadHash(string manifestPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("spec_sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Loads and selects the data, resolves the classes, expands the grid, cuts the folds and checks every point's options.</summary>
    private Plan MakePlan()
    {
        var train = _loader.Load(_spec.Dataset, DatasetSplit.Train);
        _train = train;
        var classes = ClassSubset.All;
        try
        {
            if (_spec.Classes is { } pair)
            {
                classes = ClassSubset.Pair(ClassSelection.ResolveClass(train.ClassNames, pair[0]), ClassSelection.ResolveClass(train.ClassNames, pair[1]));
            }
            else if (_spec.Positive is { } positive)
            {
                classes = ClassSubset.OneVsRest(ClassSelection.ResolveClass(train.ClassNames, positive));
            }
        }
        catch (InvalidSettingException e)
        {
            // The spec named the class; the error belongs to it, not to the dataset.
            throw new LogRegDataException(_spec.SourcePath, $"{(_spec.Classes is not null ? "classes" : "positive")}: {e.Problem}", e);
        }

        var preparation = _spec.Preparation with { Classes = classes };
        var selectedTrain = PreparedData.Select(train, preparation, isTest: false);
        Dataset? test = null;
        if (_spec.Test != TestProtocol.None)
        {
            test = PreparedData.Select(TabularCsvReader.Conform(_loader.Load(_spec.Dataset, DatasetSplit.Test), train), preparation, isTest: true);
        }

        Dataset? given = null;
        if (_spec.Validation.Method == ValidationMethod.Given)
        {
            var split = _spec.Validation.Split == "train" ? DatasetSplit.Train : DatasetSplit.Test;
            given = classes.Apply(TabularCsvReader.Conform(_loader.Load(_spec.Validation.Dataset ?? _spec.Dataset, split), train));
        }

        var points = GridPoint.Expand(_spec);
        var folds = new Dictionary<int, IReadOnlyList<Fold>>();
        foreach (var seed in _spec.Seeds)
        {
            folds[seed] = _spec.Validation.Method switch
            {
                ValidationMethod.KFold when _spec.Validation.Stratified => Splits.StratifiedKFold(selectedTrain.Labels, _spec.Validation.Folds, seed),
                ValidationMethod.KFold => Splits.KFold(selectedTrain.Count, _spec.Validation.Folds, seed, _spec.Validation.Shuffle),
                ValidationMethod.HoldOut => [Splits.HoldOut(selectedTrain.Labels, _spec.Validation.Fraction, seed, _spec.Validation.Stratified, _spec.Validation.Shuffle)],
                _ => [new Fold(0, Enumerable.Range(0, selectedTrain.Count).ToArray(), [])],
            };
            CheckFolds(folds[seed], selectedTrain, seed);
        }

        var trainRows = folds[_spec.Seeds[0]][0].Train.Length;
        foreach (var point in points)
        {
            var kind = point.Model ?? _spec.KindFor(classes.IsBinary);
            try
            {
                TrainingPipeline.CheckKind(kind, selectedTrain.ClassCount);
                point.Options.Validate(trainRows);
            }
            catch (InvalidSettingException e)
            {
                throw new LogRegDataException(_spec.SourcePath, $"grid point {point.Id} ({point.Describe()}): {e.Problem}");
            }
        }

        var runs = (from point in points
                    from seed in _spec.Seeds
                    from fold in folds[seed]
                    select new RunKey(point, seed, fold.Index)).ToList();
        return new Plan(selectedTrain, test, given, preparation, points, runs, folds, Describe(selectedTrain, test, preparation));
    }

    /// <summary>
    /// Every fold's training part needs two classes and every validation part an image, checked before the folder is
    /// prepared: found by a run, the error would name no spec and leave experiment.json behind.
    /// </summary>
    private void CheckFolds(IReadOnlyList<Fold> seedFolds, Dataset train, int seed)
    {
        var labels = train.Labels;
        foreach (var fold in seedFolds)
        {
            var classes = new HashSet<int>();
            foreach (var i in fold.Train)
            {
                classes.Add(labels[i]);
            }

            var validates = _spec.Validation.Method is ValidationMethod.HoldOut or ValidationMethod.KFold;
            if (classes.Count < 2 || (validates && fold.Validation.Length == 0))
            {
                throw new LogRegDataException(
                    _spec.SourcePath,
                    string.Create(CultureInfo.InvariantCulture, $"validation: seed {seed} fold {fold.Index} leaves {fold.Train.Length} training image(s) of {classes.Count} class(es) and {fold.Validation.Length} validation image(s) from {train.Count}; a run needs two classes to train on and an image to validate on (use a smaller fraction or fewer folds)"));
            }
        }
    }

    private string Describe(Dataset train, Dataset? test, DataPreparation preparation)
    {
        var v = _spec.Validation;
        var validation = v.Method switch
        {
            ValidationMethod.KFold => string.Create(CultureInfo.InvariantCulture, $"{v.Folds}-fold {(v.Stratified ? "stratified " : "")}cross-validation"),
            ValidationMethod.HoldOut => string.Create(CultureInfo.InvariantCulture, $"a {v.Fraction:0.##} hold-out{(v.Stratified ? " (stratified)" : "")}{(v.Shuffle ? "" : ", the first images in file order")}"),
            ValidationMethod.Given => $"validation on {v.Dataset ?? _spec.Dataset} {v.Split}",
            _ => "no validation",
        };
        var seeds = _spec.Seeds.Count == 1 ? string.Create(CultureInfo.InvariantCulture, $"seed {_spec.Seeds[0]}") : $"seeds {string.Join(", ", _spec.Seeds)}";
        var testText = test is null ? "no test evaluation" : string.Create(CultureInfo.InvariantCulture, $"test on {test.Provenance.Description} ({test.Count} images)");
        var retrain = _spec.Test == TestProtocol.Retrain ? "; the best options retrained on all training data for the test" : "";
        var scaling = preparation.Scaling switch
        {
            ScalingKind.None => "raw pixels 0..255",
            ScalingKind.Divide255 => "pixels / 255",
            _ => $"{Models.ModelFile.ScalingName(preparation.Scaling)} scaling fitted on each run's training part",
        };
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Data: {train.Provenance.Description} ({train.Count} images, {train.ClassCount} classes: {string.Join(", ", train.ClassNames.Take(10))}{(train.ClassCount > 10 ? ", ..." : "")}), {scaling}; {validation}; {seeds}; {testText}{retrain}.");
    }

    /// <summary>Trains one run and writes its files; null when cancelled (then nothing is written).</summary>
    private RunSummary? Execute(Plan plan, RunKey key, string hash, ILinearKernel kernel, ExperimentRuns kept, CancellationToken cancellationToken)
    {
        var fold = plan.Folds[key.Seed][key.Fold];
        var (trainPart, validationPart) = _spec.Validation.Method switch
        {
            ValidationMethod.None => (plan.Train, (Dataset?)null),
            ValidationMethod.Given => (plan.Train, plan.GivenValidation),
            _ => (plan.Train.Select(fold.Train, string.Create(CultureInfo.InvariantCulture, $"fold {key.Fold} train part")), plan.Train.Select(fold.Validation, string.Create(CultureInfo.InvariantCulture, $"fold {key.Fold} validation part"))),
        };
        var preparation = plan.Preparation with { Scaling = key.Point.Scaling };
        var data = PreparedData.FromSplits(trainPart, validationPart, plan.Test, preparation);
        var kind = key.Point.Model ?? _spec.KindFor(plan.Preparation.Classes.IsBinary);
        var outcome = TrainingPipeline.Train(data, kind, key.Point.Options with { Seed = key.Seed }, kernel, null, cancellationToken);
        if (outcome.Result.StopReason == StopReason.Interrupted)
        {
            return null;
        }

        var directory = Path.Combine(_directory, key.RelativeDirectory);
        AtomicFile.WriteAllText(Path.Combine(directory, RunSpecHashFile), hash); // before metrics.json, which marks the run finished
        RunFiles.Write(directory, outcome, outcome.TestEvaluation?.Confusion);
        var summary = RunSummary.From(key, outcome);
        kept.Add(summary, outcome);
        return summary;
    }

    /// <summary>
    /// The best point's options trained on all (selected) training data and tested. With early stopping, which needs
    /// validation data, the retrained model runs for the mean best epoch of the point's runs instead.
    /// </summary>
    private RunSummary? Retrain(Plan plan, PointResult best, ILinearKernel kernel, ExperimentRuns kept, CancellationToken cancellationToken)
    {
        var options = best.Point.Options with { Seed = _spec.Seeds[0], ValidationFraction = 0 };
        if (options.EarlyStopping)
        {
            var epochs = Math.Max(1, (int)Math.Round(best.Runs.Average(r => r.BestEpoch)));
            options = options with { EarlyStopping = false, Epochs = epochs };
        }

        var data = PreparedData.FromSplits(plan.Train, null, plan.Test, plan.Preparation with { Scaling = best.Point.Scaling });
        var kind = best.Point.Model ?? _spec.KindFor(plan.Preparation.Classes.IsBinary);
        var outcome = TrainingPipeline.Train(data, kind, options, kernel, null, cancellationToken);
        if (outcome.Result.StopReason == StopReason.Interrupted)
        {
            return null;
        }

        var key = new RunKey(best.Point, _spec.Seeds[0], -1);
        var directory = Path.Combine(_directory, RetrainedDirectory);
        RunFiles.Write(directory, outcome, outcome.TestEvaluation?.Confusion);
        var summary = RunSummary.From(key, outcome);
        kept.Add(summary, outcome);
        return summary;
    }

    /// <summary>
    /// Creates the experiment folder, or checks that an existing one belongs to the same spec: finished runs of the same
    /// spec need Resume (or Force to start over); runs of a different spec are never mixed.
    /// </summary>
    private void PrepareDirectory(string specText, string hash, Plan plan)
    {
        var manifestPath = Path.Combine(_directory, ManifestFile);
        if (File.Exists(manifestPath))
        {
            // The dataset can be overridden on the command line: runs on different data must never be mixed.
            var previous = ReadHash(manifestPath);

            var finished = plan.Runs.Count(k => File.Exists(Path.Combine(_directory, k.RelativeDirectory, RunFiles.Metrics)));
            if (_options.Force)
            {
                Clear(plan);
            }
            else if (previous != hash && finished > 0)
            {
                throw new LogRegDataException(_directory, $"holds {finished} finished runs of a different version of the spec; use --out for a new folder, or --force to discard them");
            }
            else if (finished > 0 && !_options.Resume)
            {
                throw new LogRegDataException(_directory, $"already holds {finished} of {plan.Runs.Count} finished runs of this experiment: pass --resume to continue, or --force to start over");
            }
        }

        Directory.CreateDirectory(_directory);
        AtomicFile.WriteAllText(Path.Combine(_directory, SpecCopyFile), specText);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            WriteSpecIdentity(json, hash);
            json.WriteNumber("grid_points", plan.Points.Count);
            json.WriteNumber("runs", plan.Runs.Count);
            json.WriteString("created_by", Models.TrainedModel.CurrentVersion);
            json.WriteEndObject();
        }

        AtomicFile.WriteAllBytes(manifestPath, stream.ToArray());
    }

    /// <summary>Removes this experiment's own outputs (run folders and results), nothing else in the folder.</summary>
    private void Clear(Plan plan)
    {
        foreach (var point in plan.Points)
        {
            var path = Path.Combine(_directory, point.Id);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        var retrained = Path.Combine(_directory, "best-retrained");
        if (Directory.Exists(retrained))
        {
            Directory.Delete(retrained, recursive: true);
        }

        foreach (var file in new[] { ExperimentResults.CsvFile, ExperimentResults.MarkdownFile, ExperimentResults.JsonFile })
        {
            File.Delete(Path.Combine(_directory, file));
        }
    }
}
