using System.Globalization;
using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Runs;

namespace LogReg.Experiments;

/// <summary>A grid point's runs and the statistics over them.</summary>
public sealed record PointResult(GridPoint Point, IReadOnlyList<RunSummary> Runs, int? Rank)
{
    /// <summary>The finite values of <paramref name="metric"/> over the point's runs.</summary>
    public IEnumerable<double> Values(string metric) => Runs.Select(r => r.Metric(metric)).Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value);

    /// <summary>The mean of <paramref name="metric"/> over the point's runs, or null when no run has it.</summary>
    public double? Mean(string metric) => Values(metric).ToArray() is { Length: > 0 } v ? v.Average() : null;

    /// <summary>Population standard deviation (numpy.std, as scikit-learn's cv_results_ reports it).</summary>
    public double? Std(string metric)
    {
        var values = Values(metric).ToArray();
        if (values.Length == 0)
        {
            return null;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    /// <summary>The mean training time of the point's runs, in seconds.</summary>
    public double MeanFitSeconds => Runs.Count == 0 ? 0 : Runs.Average(r => r.FitSeconds);

    /// <summary>The standard deviation of the training time of the point's runs, in seconds.</summary>
    public double StdFitSeconds
    {
        get
        {
            if (Runs.Count == 0)
            {
                return 0;
            }

            var mean = MeanFitSeconds;
            return Math.Sqrt(Runs.Sum(r => (r.FitSeconds - mean) * (r.FitSeconds - mean)) / Runs.Count);
        }
    }
}

/// <summary>
/// The results of an experiment: every grid point with its runs, ranked by the selection metric, the best point and
/// its best run, and (for the retrain protocol) the retrained model's test metrics. Written as results.csv (columns
/// like scikit-learn's cv_results_), results.md (a table like the seeds') and results.json.
/// </summary>
public sealed partial class ExperimentResults
{
    /// <summary>The results table's CSV file name.</summary>
    public const string CsvFile = "results.csv";
    /// <summary>The results table's Markdown file name.</summary>
    public const string MarkdownFile = "results.md";
    /// <summary>The results' JSON file name.</summary>
    public const string JsonFile = "results.json";

    private static readonly string[] Metrics = ["val_accuracy", "val_loss", "train_accuracy", "train_loss", "test_accuracy", "test_loss", "weight_norm", "weight_l1_norm"];

    /// <summary>The results of <paramref name="spec"/>'s grid points.</summary>
    /// <param name="runs">What is kept of the runs beyond their summaries (histories, the models drawn); empty when not given.</param>
    public ExperimentResults(ExperimentSpec spec, IReadOnlyList<PointResult> points, int runsPerPoint, string dataDescription, RunSummary? retrained, Evaluation.ConfusionTable? testConfusion = null, double? elapsedSeconds = null, ExperimentRuns? runs = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(points);
        Spec = spec;
        Runs = runs ?? new ExperimentRuns(spec);
        Points = points;
        RunsPerPoint = runsPerPoint;
        DataDescription = dataDescription;
        Retrained = retrained;
        TestConfusion = testConfusion;
        ElapsedSeconds = elapsedSeconds;
        Best = points.Where(p => p.Rank == 1).OrderBy(p => p.Point.Index).FirstOrDefault();
        BestRun = Best?.Runs
            .Where(r => ExperimentRuns.Selectable(spec, r) is not null)
            .Aggregate((RunSummary?)null, (best, r) => best is null || ExperimentRuns.RanksBefore(spec, r, best) ? r : best);
    }

    /// <summary>The experiment that was run.</summary>
    public ExperimentSpec Spec { get; }

    /// <summary>
    /// The runs' histories and the models the report draws: kept in memory by the run that produced these results, or
    /// read from the folder on demand when <see cref="Load"/> read them.
    /// </summary>
    public ExperimentRuns Runs { get; }

    /// <summary>One result per grid point, in grid order.</summary>
    public IReadOnlyList<PointResult> Points { get; }

    /// <summary>Runs planned per grid point (seeds × folds).</summary>
    public int RunsPerPoint { get; }

    /// <summary>The data the experiment used, in words.</summary>
    public string DataDescription { get; }

    /// <summary>The grid point chosen by the validation metric, or null when no point finished.</summary>
    public PointResult? Best { get; }

    /// <summary>The best point's best run by the selection metric (its model is the experiment's model under the runs protocol).</summary>
    public RunSummary? BestRun { get; }

    /// <summary>The best point retrained on the whole training split and scored on the test split, if it was.</summary>
    public RunSummary? Retrained { get; }

    /// <summary>The test confusion matrix of the experiment's model: the retrained one, else the best run's.</summary>
    public Evaluation.ConfusionTable? TestConfusion { get; }

    /// <summary>Wall time of the experiment command that wrote these results (null when not known).</summary>
    public double? ElapsedSeconds { get; }

    /// <summary>The folder of the experiment's model relative to the experiment folder: the retrained model, else the best run (null when neither exists).</summary>
    public string? ModelDirectory => Retrained is not null ? ExperimentRunner.RetrainedDirectory : BestRun?.Key.RelativeDirectory;

    /// <summary>The run whose model is the experiment's: the retrained one, else the best run (null when neither exists).</summary>
    public RunSummary? ModelRun => Retrained ?? BestRun;

    /// <summary>The experiment's model (<see cref="ModelRun"/>'s), from <see cref="Runs"/>; null when there is none.</summary>
    public Models.TrainedModel? Model => ModelRun is { } run ? Runs.Model(run.Key) : null;

    /// <summary>The number of runs that finished.</summary>
    public int FinishedRuns => Points.Sum(p => p.Runs.Count);

    /// <summary>The number of runs the experiment plans.</summary>
    public int TotalRuns => Points.Count * RunsPerPoint;

    /// <summary>Groups finished runs by point and ranks the points by the mean selection metric (1 = best; ties share a rank).</summary>
    public static ExperimentResults Compute(ExperimentSpec spec, IReadOnlyList<GridPoint> points, IEnumerable<RunSummary> runs, int runsPerPoint, string dataDescription, RunSummary? retrained = null, Evaluation.ConfusionTable? testConfusion = null, double? elapsedSeconds = null, ExperimentRuns? kept = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var byPoint = runs.GroupBy(r => r.Key.Point.Index).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Key.Seed).ThenBy(r => r.Key.Fold).ToList());
        var means = points.Select(p => byPoint.TryGetValue(p.Index, out var list) && list.Count > 0
            ? new PointResult(p, list, null).Mean(spec.Select)
            : null).ToArray();
        var results = new List<PointResult>();
        for (var i = 0; i < points.Count; i++)
        {
            int? rank = null;
            if (means[i] is { } mine)
            {
                rank = 1 + means.Count(m => m is { } other && (spec.SelectHigherIsBetter ? other > mine : other < mine));
            }

            results.Add(new PointResult(points[i], byPoint.TryGetValue(points[i].Index, out var list) ? list : [], rank));
        }

        return new ExperimentResults(spec, results, runsPerPoint, dataDescription, retrained, testConfusion, elapsedSeconds, kept);
    }

    /// <summary>
    /// The results of an experiment folder as its files hold them: the spec copy, the manifest's dataset, every finished
    /// run's metrics, the retrained model's and the test confusion matrix.
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The folder is not an experiment folder, or one of its files is malformed.</exception>
    public static ExperimentResults Load(string directory)
    {
        var manifest = Path.Combine(directory, ExperimentRunner.ManifestFile);
        var specPath = Path.Combine(directory, ExperimentRunner.SpecCopyFile);
        if (!File.Exists(manifest))
        {
            throw new Data.LogRegDataException(directory, "not an experiment folder (no experiment.json): run one with logreg experiment run FILE");
        }

        string dataset;
        long recordedRuns;
        try
        {
            using var document = JsonDocument.Parse(Data.DataFile.ReadAllBytes(manifest, Common.Limits.MaxSpecBytes));
            dataset = document.RootElement.GetProperty("dataset").GetString() ?? throw new KeyNotFoundException();
            recordedRuns = document.RootElement.TryGetProperty("runs", out var r) && r.TryGetInt64(out var n) ? n : 0;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new Data.LogRegDataException(manifest, "not a valid experiment manifest", e);
        }

        // The run allowed as many runs as its manifest records (--max-runs); the spec copy may expand to that many.
        var spec = ExperimentSpecReader.Read(specPath, Math.Max(Common.Limits.DefaultMaxRuns, recordedRuns)) with { Dataset = dataset };
        var points = GridPoint.Expand(spec);
        var runs = new List<RunSummary>();
        var kept = new ExperimentRuns(spec);
        foreach (var point in points)
        {
            foreach (var seed in spec.Seeds)
            {
                for (var fold = 0; fold < spec.Validation.RunsPerSeed; fold++)
                {
                    var key = new RunKey(point, seed, fold);
                    var runDirectory = Path.Combine(directory, key.RelativeDirectory);
                    if (RunSummary.TryRead(key, runDirectory) is { } run)
                    {
                        runs.Add(run);
                        kept.AddFromFolder(run, runDirectory);
                    }
                }
            }
        }

        string description = "";
        double? elapsed = null;
        var jsonPath = Path.Combine(directory, JsonFile);
        if (File.Exists(jsonPath))
        {
            try
            {
                using var document = JsonDocument.Parse(Data.DataFile.ReadAllBytes(jsonPath, Common.Limits.MaxResultsFileBytes));
                description = document.RootElement.TryGetProperty("data", out var d) ? d.GetString() ?? "" : "";
                elapsed = document.RootElement.TryGetProperty("elapsed_seconds", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
            }
            catch (JsonException e)
            {
                throw new Data.LogRegDataException(jsonPath, $"not valid JSON ({e.Message.Split('.')[0]})", e);
            }
        }

        var runsPerPoint = spec.Seeds.Count * spec.Validation.RunsPerSeed;
        var results = Compute(spec, points, runs, runsPerPoint, description);
        RunSummary? retrained = null;
        if (spec.Test == TestProtocol.Retrain && results.Best is { } best)
        {
            var retrainedDirectory = Path.Combine(directory, ExperimentRunner.RetrainedDirectory);
            retrained = RunSummary.TryRead(new RunKey(best.Point, spec.Seeds[0], -1), retrainedDirectory);
            if (retrained is not null)
            {
                kept.AddFromFolder(retrained, retrainedDirectory);
            }
        }

        return Compute(spec, points, runs, runsPerPoint, description, retrained, TestConfusionOf(kept, results.BestRun, retrained, spec.Test, runsPerPoint), elapsed, kept);
    }

    /// <summary>
    /// The test confusion matrix of the experiment's model (the retrained one, else the best run), as
    /// <paramref name="runs"/> keeps it (in memory when this process trained it, else from its confusion.csv); null
    /// when there is none.
    /// </summary>
    internal static Evaluation.ConfusionTable? TestConfusionOf(ExperimentRuns runs, RunSummary? bestRun, RunSummary? retrained, TestProtocol test, int runsPerPoint)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (source, caption) = retrained is not null ? (retrained, "Test confusion matrix of the retrained model")
            : bestRun is { } run && test == TestProtocol.Runs
                ? (run, runsPerPoint > 1 ? Invariant.Format($"Test confusion matrix of the best run (seed {run.Key.Seed}, fold {run.Key.Fold})") : "Test confusion matrix of the best run")
                : (null, "");
        return source is not null && runs.TestConfusion(source.Key) is { } known ? new Evaluation.ConfusionTable(caption, known.ClassNames, known.Matrix) : null;
    }

    /// <summary>
    /// The results table as the seeds lay it out: the grid values, then the selection or training accuracy, the test
    /// accuracy and loss (when every run is tested) and, for penalty sweeps, the weight norm; mean ± std over a point's
    /// runs. Each cell has a number to sort by (the mean; null for text and for missing values).
    /// </summary>
    public (IReadOnlyList<ResultColumn> Columns, IReadOnlyList<ResultRow> Rows) Table()
    {
        var hasValidation = Spec.Validation.Method != ValidationMethod.None;
        var hasTest = Spec.Test == TestProtocol.Runs;
        var metricColumns = new List<ResultColumn> { hasValidation ? new("Val Accuracy", "val_accuracy") : new("Train Accuracy", "train_accuracy") };
        if (hasTest)
        {
            metricColumns.Add(new("Test Accuracy", "test_accuracy"));
            metricColumns.Add(new("Test Loss", "test_loss"));
        }

        // A penalty sweep is read for how the weights shrink (the seeds plot weight length against λ).
        if (IsPenaltySweep)
        {
            metricColumns.Add(new("Weight Norm", "weight_norm"));
        }

        var columns = Spec.Grid.Select(a => new ResultColumn(DisplayName(a.Name), null)).ToList();
        if (columns.Count == 0)
        {
            columns.Add(new ResultColumn("Run", null));
        }

        columns.AddRange(metricColumns);
        var rows = new List<ResultRow>();
        foreach (var p in Points)
        {
            var cells = p.Point.Parameters.Select(x => x.Value).ToList();
            var keys = p.Point.Parameters.Select(x => double.TryParse(x.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null).ToList();
            if (Spec.Grid.Count == 0)
            {
                cells.Add("all");
                keys.Add(null);
            }

            cells.AddRange(metricColumns.Select(m => MeanStd(p, m.Metric!)));
            keys.AddRange(metricColumns.Select(m => p.Mean(m.Metric!)));
            rows.Add(new ResultRow(p, cells, keys, ReferenceEquals(p, Best)));
        }

        return (columns, rows);
    }

    /// <summary>Whether the grid varies the penalty (λ, the penalty kind or the L1 ratio).</summary>
    public bool IsPenaltySweep => IsPenaltySweepOf(Spec);

    /// <summary>Whether <paramref name="spec"/>'s grid varies the penalty (λ, the penalty kind or the L1 ratio).</summary>
    public static bool IsPenaltySweepOf(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Grid.Any(a => a.Name is "lambda" or "penalty" or "l1_ratio");
    }

    /// <summary>The column title of an axis, as the seeds' tables write it.</summary>
    public static string DisplayName(string axis) => axis switch
    {
        "learning_rate" => "Learning Rate",
        "batch_size" => "Batch Size",
        "lambda" => "λ",
        "l1_ratio" => "L1 Ratio",
        "decay_epochs" => "T",
        _ => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(axis.Replace('_', ' ')),
    };

    private static string MeanStd(PointResult p, string metric)
    {
        if (p.Mean(metric) is not { } mean)
        {
            return "";
        }

        return p.Values(metric).Count() > 1 ? Invariant.Format($"{mean:0.0000} ± {p.Std(metric):0.0000}") : Invariant.Format($"{mean:0.0000}");
    }

}
