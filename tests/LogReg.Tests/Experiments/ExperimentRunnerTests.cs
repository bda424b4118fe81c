using System.Text.Json;
using LogReg.Data;
using LogReg.Experiments;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Experiments;

public sealed class ExperimentRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => SyntheticFolder.Write(_dir.File("data"), train: 240, test: 60, classes: 3);

    private ExperimentSpec Spec(string extra = "") => ExperimentSpecReader.Parse($"""
        name: tiny
        dataset: {Data}
        scaling: zscore
        options:
          epochs: 3
          batch_size: 16
        grid:
          learning_rate: [0.1, 0.01]
          momentum: [0, 0.9]
        validation:
          method: kfold
          folds: 3
          stratified: true
        seeds: [0, 1]
        {extra}
        """, _dir.File("tiny.yaml"));

    private static DatasetLoader Loader() => new(new DataLocator(null, null, Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null));

    private ExperimentOutcome Run(ExperimentSpec spec, ExperimentRunOptions? options = null, List<ExperimentProgress>? reports = null, CancellationToken token = default) =>
        new ExperimentRunner(spec, Loader(), _dir.File("out"), options).Run(reports is null ? null : new Progress(reports.Add), token);

    private string[] RunFolders() => Directory.GetDirectories(_dir.File("out"), "seed*", SearchOption.AllDirectories);

    [Fact]
    public void Every_point_fold_and_seed_runs_once_with_its_own_files()
    {
        var outcome = Run(Spec());

        Assert.Equal(4 * 3 * 2, outcome.Total);
        Assert.Equal(24, outcome.Finished);
        Assert.False(outcome.Interrupted);
        var folders = RunFolders();
        Assert.Equal(24, folders.Length);
        Assert.All(folders, f => Assert.Equal(["confusion.csv", "history.csv", "history.json", "metrics.json", "model.json", "spec.sha256"], Directory.GetFiles(f).Select(Path.GetFileName).Order()));
        Assert.True(File.Exists(_dir.File("out/results.csv")) && File.Exists(_dir.File("out/results.md")) && File.Exists(_dir.File("out/results.json")));
    }

    [Fact]
    public void Results_tables_hold_exactly_the_runs_own_metrics()
    {
        var outcome = Run(Spec());

        foreach (var point in outcome.Results.Points)
        {
            var own = point.Runs.Select(r => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.File("out"), r.Key.RelativeDirectory, "metrics.json"))).RootElement.GetProperty("val_accuracy").GetDouble()).ToArray();
            Assert.Equal(6, own.Length);
            Assert.Equal(own.Average(), point.Mean("val_accuracy")!.Value, 12);
            var csv = File.ReadAllLines(_dir.File("out/results.csv"));
            var header = csv[0].Split(',');
            var row = csv.Single(l => l.StartsWith(point.Point.Id + ",", StringComparison.Ordinal)).Split(',');
            Assert.Equal(own.Average(), double.Parse(row[Array.IndexOf(header, "mean_val_accuracy")], System.Globalization.CultureInfo.InvariantCulture), 12);
            Assert.Equal(own[2], double.Parse(row[Array.IndexOf(header, "split2_val_accuracy")], System.Globalization.CultureInfo.InvariantCulture), 12);
        }

        var markdown = File.ReadAllText(_dir.File("out/results.md"));
        Assert.Contains("| Learning Rate | Momentum | Val Accuracy | Test Accuracy | Test Loss |", markdown, StringComparison.Ordinal);
        var best = outcome.Results.Best!;
        Assert.Equal(1, best.Rank);
        Assert.All(outcome.Results.Points, p => Assert.True(p.Mean("val_accuracy") <= best.Mean("val_accuracy")));
        Assert.Contains($"**{best.Mean("val_accuracy"):0.0000} ± {best.Std("val_accuracy"):0.0000}**", markdown.Replace(',', '.'), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_run_records_its_test_confusion_matrix_and_the_results_show_the_best_runs()
    {
        var outcome = Run(Spec());

        foreach (var run in outcome.Results.Points.SelectMany(p => p.Runs))
        {
            var (matrix, names) = LogReg.Evaluation.ConfusionMatrix.ReadCsv(Path.Combine(_dir.File("out"), run.Key.RelativeDirectory, "confusion.csv"));
            Assert.Equal(["0", "1", "2"], names);
            Assert.Equal(60, matrix.Total);
            Assert.Equal(run.TestAccuracy!.Value, matrix.Accuracy, 12);
        }

        var best = outcome.Results.BestRun!;
        var (bestMatrix, bestNames) = LogReg.Evaluation.ConfusionMatrix.ReadCsv(Path.Combine(_dir.File("out"), best.Key.RelativeDirectory, "confusion.csv"));
        var table = new LogReg.Evaluation.ConfusionTable($"Test confusion matrix of the best run (seed {best.Key.Seed}, fold {best.Key.Fold})", bestNames, bestMatrix);
        Assert.EndsWith(table.ToMarkdown(), File.ReadAllText(_dir.File("out/results.md")), StringComparison.Ordinal);
        var json = JsonDocument.Parse(File.ReadAllText(_dir.File("out/results.json"))).RootElement.GetProperty("test_confusion");
        Assert.Equal(bestMatrix[2, 1], json.GetProperty("counts")[2][1].GetInt64());
    }

    [Fact]
    public void Resume_skips_finished_runs_and_runs_only_the_missing_ones()
    {
        Run(Spec());
        var removed = RunFolders().Take(5).ToArray();
        foreach (var folder in removed)
        {
            Directory.Delete(folder, recursive: true);
        }

        var reports = new List<ExperimentProgress>();
        var outcome = Run(Spec(), new ExperimentRunOptions { Resume = true }, reports);

        Assert.Equal(19, outcome.Skipped);
        Assert.Equal(24, outcome.Finished);
        Assert.Equal(5, reports.Count(r => r.Last is not null));
        Assert.Equal(24, RunFolders().Length);
    }

    [Fact]
    public void A_rerun_without_resume_is_refused_and_force_starts_over()
    {
        Run(Spec());

        var error = Assert.Throws<LogRegDataException>(() => Run(Spec()));
        Assert.Contains("already holds 24 of 24 finished runs of this experiment: pass --resume to continue, or --force to start over", error.Message, StringComparison.Ordinal);

        var reports = new List<ExperimentProgress>();
        var outcome = Run(Spec(), new ExperimentRunOptions { Force = true }, reports);
        Assert.Equal(0, outcome.Skipped);
        Assert.Equal(24, reports.Count(r => r.Last is not null));
    }

    [Fact]
    public void Runs_of_a_changed_spec_are_never_mixed_with_the_old_ones()
    {
        Run(Spec());
        File.WriteAllText(_dir.File("tiny.yaml"), "changed");

        var error = Assert.Throws<LogRegDataException>(() => Run(Spec(), new ExperimentRunOptions { Resume = true }));

        Assert.Contains("finished runs of a different version of the spec", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_keeps_the_finished_runs_writes_nothing_for_the_others_and_resume_completes()
    {
        using var cancel = new CancellationTokenSource();
        var reports = new List<ExperimentProgress>();
        var progress = new Progress(r =>
        {
            reports.Add(r);
            if (r.Done >= 3)
            {
                cancel.Cancel();
            }
        });

        var outcome = new ExperimentRunner(Spec(), Loader(), _dir.File("out"), new ExperimentRunOptions { Parallelism = Parallelism.Kernel }).Run(progress, cancel.Token);

        Assert.True(outcome.Interrupted);
        Assert.Equal(3, outcome.Finished);
        Assert.Equal(3, RunFolders().Length);
        Assert.Contains("Runs: 3 of 24 finished", File.ReadAllText(_dir.File("out/results.md")), StringComparison.Ordinal);

        var resumed = Run(Spec(), new ExperimentRunOptions { Resume = true });
        Assert.Equal(3, resumed.Skipped);
        Assert.Equal(24, resumed.Finished);
    }

    [Fact]
    public void The_retrain_protocol_trains_the_best_options_on_all_training_data_and_tests_them()
    {
        var spec = Spec("test: retrain") with { Seeds = [0] };

        var outcome = Run(spec);

        Assert.NotNull(outcome.Results.Retrained);
        Assert.True(File.Exists(_dir.File("out/best-retrained/model.json")));
        Assert.Contains("Retrained on all training data: test accuracy", File.ReadAllText(_dir.File("out/results.md")), StringComparison.Ordinal);
        Assert.Contains("Test confusion matrix of the retrained model (rows: true class, columns: predicted class)", File.ReadAllText(_dir.File("out/results.md")), StringComparison.Ordinal);
        Assert.Equal(60, ModelFile(_dir.File("out/best-retrained/model.json")));
    }

    private static int ModelFile(string path)
    {
        var model = LogReg.Models.ModelFile.Load(path);
        Assert.Null(model.Metrics.ValidationAccuracy);
        return model.Metrics.TestAccuracy is not null ? 60 : 0;
    }

    [Fact]
    public void Holdout_and_no_validation_give_one_run_per_seed_and_point()
    {
        var holdout = ExperimentSpecReader.Parse($"dataset: {Data}\noptions:\n  epochs: 2\n  batch_size: 16\nvalidation:\n  method: holdout\n  fraction: 0.25\n", _dir.File("h.yaml"));

        var outcome = Run(holdout);

        Assert.Equal(1, outcome.Total);
        var run = Assert.Single(outcome.Results.Points.Single().Runs);
        Assert.NotNull(run.ValidationAccuracy);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_holdout_without_shuffle_holds_out_the_same_first_images_for_every_seed(bool shuffle)
    {
        // Full batch from zero weights: the seed changes nothing but the hold-out, so two seeds agree exactly when the
        // hold-out is the first quarter in file order, and differ when it is a seeded sample.
        var spec = ExperimentSpecReader.Parse($"dataset: {Data}\noptions:\n  epochs: 3\n  batch_size: 0\nvalidation:\n  method: holdout\n  fraction: 0.25\n  shuffle: {(shuffle ? "true" : "false")}\nseeds: [0, 1]\n", _dir.File("first.yaml"));

        var outcome = Run(spec);

        var losses = outcome.Results.Points.Single().Runs.Select(r => r.ValidationLoss!.Value).ToArray();
        Assert.Equal(2, losses.Length);
        Assert.Equal(!shuffle, losses[0] == losses[1]);
        Assert.Contains(shuffle ? "a 0.25 hold-out" : "a 0.25 hold-out, the first images in file order", File.ReadAllText(_dir.File("out/results.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_penalty_sweep_reports_each_points_weight_norm_which_shrinks_as_lambda_grows()
    {
        var spec = ExperimentSpecReader.Parse($"dataset: {Data}\noptions:\n  epochs: 4\n  batch_size: 16\n  penalty: l2\ngrid:\n  lambda: [0.3, 0.01, 0]\nvalidation:\n  method: holdout\n  fraction: 0.25\n", _dir.File("l2.yaml"));

        var outcome = Run(spec);

        var norms = outcome.Results.Points.Select(p => p.Mean("weight_norm")!.Value).ToArray();
        Assert.True(norms[0] < norms[1] && norms[1] < norms[2], string.Join(", ", norms));
        foreach (var point in outcome.Results.Points)
        {
            var run = Assert.Single(point.Runs);
            var model = LogReg.Models.ModelFile.Load(Path.Combine(_dir.File("out"), run.Key.RelativeDirectory, "model.json"));
            var own = Math.Sqrt(model.Model.Weights.ToArray().Sum(w => (double)w * w));
            Assert.Equal(own, run.WeightNorm!.Value, 4);
        }

        var markdown = File.ReadAllText(_dir.File("out/results.md"));
        Assert.Contains("| λ | Val Accuracy | Test Accuracy | Test Loss | Weight Norm |", markdown, StringComparison.Ordinal);
        Assert.Contains("mean_weight_norm", File.ReadAllLines(_dir.File("out/results.csv"))[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_of_a_grid_point_are_reported_before_anything_runs()
    {
        var spec = ExperimentSpecReader.Parse($"dataset: {Data}\ngrid:\n  batch_size: [16, 5000]\nselect: train_accuracy\n", _dir.File("bad.yaml"));

        var error = Assert.Throws<LogRegDataException>(() => Run(spec));

        Assert.Contains("grid point p01_batch_size=5000 (batch_size=5000): BatchSize must be ≥ 0 and at most the number of training samples", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    private sealed class Progress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
