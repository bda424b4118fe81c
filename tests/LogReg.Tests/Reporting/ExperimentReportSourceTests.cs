using LogReg.Data;
using LogReg.Experiments;
using LogReg.Reporting;
using LogReg.Reproduction;
using LogReg.Runs;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reporting;

/// <summary>
/// An experiment's report and reproduction data come from the runner's outcome in memory; only <c>logreg report DIR</c>
/// reads the folder, and both sources give the same report.
/// </summary>
public sealed class ExperimentReportSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => SyntheticFolder.Write(_dir.File("data"), train: 240, test: 90, classes: 3);

    private DatasetLoader Loader() => new(new DataLocator(null, null, _dir.File("cache"), [], systemDatasetsDirectory: null));

    /// <summary>A class-pair λ sweep (the report draws every point's first model) with two seeds and two folds, so a point's best and first runs differ.</summary>
    private ExperimentSpec Sweep(string test = "runs") => ExperimentSpecReader.Read(_dir.WriteText("sweep.yaml", $"""
        name: sweep
        dataset: {Data}
        classes: [0, 1]
        scaling: divide255
        model: logistic
        options:
          epochs: 4
          batch_size: 16
          learning_rate: 0.3
          penalty: l2
        grid:
          lambda: [0.0001, 0.01, 0.1]
        validation:
          method: kfold
          folds: 2
        seeds: [3, 1]
        test: {test}
        """));

    private ExperimentOutcome Run(ExperimentSpec spec) => new ExperimentRunner(spec, Loader(), _dir.File("out")).Run();

    private Report InMemory(ExperimentOutcome outcome) =>
        ReportBuilder.ForExperiment(new ExperimentForReport(outcome.Directory, outcome.Results), new ReportDataSource(Loader()));

    private static string Json(Report report) => ReportWriter.ToJson(report.Document);

    /// <summary>Overwrites every file a run leaves with text no reader accepts, and deletes its history.</summary>
    private static void SpoilRunFiles(string experiment)
    {
        foreach (var run in Directory.GetDirectories(experiment, "seed*", SearchOption.AllDirectories).Append(Path.Combine(experiment, ExperimentRunner.RetrainedDirectory)).Where(Directory.Exists))
        {
            File.Delete(Path.Combine(run, RunFiles.HistoryJson));
            File.WriteAllText(Path.Combine(run, RunFiles.Model), "not a model");
            File.WriteAllText(Path.Combine(run, RunFiles.TestConfusion), "not,a\nconfusion");
        }
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("retrain")]
    public void Report_from_memory_equals_the_report_that_report_DIR_loads_from_the_folder(string test)
    {
        var outcome = Run(Sweep(test));

        var memory = InMemory(outcome);
        var disk = ReportBuilder.ForExperiment(outcome.Directory, new ReportDataSource(Loader()));

        Assert.Equal(Json(disk), Json(memory));
        Assert.Equal(disk.Figures.Keys.Order(), memory.Figures.Keys.Order());
        Assert.All(disk.Figures, f => Assert.Equal(f.Value, memory.Figures[f.Key]));
        // The sections that need the runs' histories and models are there, not left out.
        Assert.NotEmpty(memory.Document.Curves);
        Assert.Equal(3, memory.Document.GridWeights.Count);
        Assert.NotNull(memory.Document.Weights);
        Assert.NotNull(memory.Document.Confusion);
    }

    [Fact]
    public void Report_after_a_run_is_drawn_from_memory_even_when_the_run_files_are_spoiled()
    {
        var outcome = Run(Sweep());
        var before = InMemory(outcome);

        SpoilRunFiles(outcome.Directory);
        var after = InMemory(outcome);

        Assert.Equal(Json(before), Json(after));
        Assert.Equal(before.Figures.Keys.Order(), after.Figures.Keys.Order());
        Assert.NotEmpty(after.Document.Curves);
        Assert.Equal(3, after.Document.GridWeights.Count);
        Assert.NotNull(after.Document.Confusion);
        // The folder, by contrast, no longer gives a report: report DIR does read it.
        Assert.Throws<LogRegDataException>(() => ReportBuilder.ForExperiment(outcome.Directory, new ReportDataSource(Loader())));
    }

    [Fact]
    public void Reproduction_data_is_read_from_the_outcome_not_from_the_run_files()
    {
        var outcome = Run(Sweep());
        var written = outcome.Results.Points.Select(p => LogReg.Training.TrainingHistory.ReadJson(Path.Combine(outcome.Directory, p.Runs[0].Key.RelativeDirectory, RunFiles.HistoryJson)).Epochs).ToList();
        SpoilRunFiles(outcome.Directory);

        var data = ExperimentDataReader.Read("sweep.yaml", outcome.Results, trainImages: null);

        Assert.Equal(3, data.Points.Count);
        // Each point's history is its first run's (seed 1, fold 0: the lowest seed), as the runner kept it.
        for (var i = 0; i < data.Points.Count; i++)
        {
            var first = outcome.Results.Points[i].Runs[0];
            Assert.Equal((1, 0), (first.Key.Seed, first.Key.Fold));
            Assert.Equal(written[i], data.Points[i].History);
        }

        var weights = Assert.Single(data.Weights);
        Assert.Equal(outcome.Results.Model!.Model.WeightsOf(0).ToArray(), weights.Weights);
    }

    [Fact]
    public void Only_the_models_the_report_draws_are_kept_of_a_grid()
    {
        var outcome = Run(Sweep());
        var results = outcome.Results;

        var kept = results.Points.SelectMany(p => p.Runs).Where(r => results.Runs.Model(r.Key) is not null).Select(r => r.Key).ToList();

        // Twelve runs; per point the first (seed 1, fold 0) and the best by validation accuracy, which may be the same run.
        var expected = results.Points
            .SelectMany(p => new[] { p.Runs[0], p.Runs.Where(r => r.ValidationAccuracy is not null).OrderByDescending(r => r.ValidationAccuracy!.Value).ThenBy(r => r.Key.Seed).ThenBy(r => r.Key.Fold).First() })
            .Select(r => r.Key)
            .Distinct()
            .ToList();
        Assert.Equal(expected.Order(KeyOrder).ToList(), kept.Order(KeyOrder).ToList());
        Assert.True(kept.Count <= 6);
        // Every run's history is kept: the curves average them.
        Assert.All(results.Points.SelectMany(p => p.Runs), r => Assert.Equal(r.EpochsRun, results.Runs.History(r.Key)!.Epochs.Count));
        Assert.Equal(results.BestRun!.Key, kept.Single(k => ReferenceEquals(results.Runs.Model(k), results.Model)));
    }

    private static readonly Comparer<RunKey> KeyOrder = Comparer<RunKey>.Create((a, b) =>
        (a.Point.Index, a.Seed, a.Fold).CompareTo((b.Point.Index, b.Seed, b.Fold)));

    [Fact]
    public void Resumed_runs_are_read_from_their_folders_and_give_the_same_report()
    {
        var spec = Sweep();
        var first = Run(spec);
        var fresh = Json(InMemory(first));

        var resumed = new ExperimentRunner(spec, Loader(), _dir.File("out"), new ExperimentRunOptions { Resume = true }).Run();

        Assert.Equal(resumed.Total, resumed.Skipped);
        var report = InMemory(resumed).Document;
        // The same report but for the wall time of the command (the resumed one trained nothing).
        Assert.Equal(Without(fresh, "Wall time"), Without(Json(InMemory(resumed)), "Wall time"));
        Assert.NotEmpty(report.Curves);
        Assert.Equal(3, report.GridWeights.Count);
    }

    private static string Without(string json, string label) =>
        string.Join('\n', json.Split('\n').Where(l => !l.Contains("s for the experiment command", StringComparison.Ordinal) && !l.Contains(label, StringComparison.Ordinal)));

    [Fact]
    public void Experiment_run_writes_the_report_that_report_DIR_rebuilds_from_the_folder()
    {
        // A class pair: the command also trains the one-vs-rest difference, which report DIR reads back from its file.
        var spec = _dir.WriteText("cli.yaml", $"""
            name: cli
            dataset: {Data}
            classes: [0, 2]
            scaling: divide255
            model: logistic
            options:
              epochs: 3
              batch_size: 0
              learning_rate: 0.5
              penalty: l2
            grid:
              lambda: [0.001, 0.01]
            select: train_accuracy
            """);
        var env = new Dictionary<string, string> { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };
        var run = Fixtures.Cli.Run(env, "experiment", "run", spec, "--out", "runs/cli");
        Assert.True(run.ExitCode == 0, run.Error);
        var folder = _dir.File("runs/cli");
        var written = File.ReadAllText(Path.Combine(folder, ReportWriter.JsonFile));
        File.Delete(Path.Combine(folder, ReportWriter.JsonFile));

        var report = Fixtures.Cli.Run(env, "report", folder);

        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal(written, File.ReadAllText(Path.Combine(folder, ReportWriter.JsonFile)));
        Assert.Contains("weights-ovr-difference", written, StringComparison.Ordinal);
    }
}
