using System.Globalization;
using System.Text.Json;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

public sealed class ExperimentCommandTests : IDisposable
{
    private const string SmallSpec = """
        name: small-2v8
        description: MNIST 2 vs 8 on a subset, 3-fold cross-validation over two learning rates
        dataset: mnist
        classes: [2, 8]
        train_first: 6000
        test_last: 2000
        scaling: divide255
        model: logistic
        options:
          epochs: 4
          batch_size: 64
        grid:
          learning_rate: [0.1, 0.01]
        validation:
          method: kfold
          folds: 3
          stratified: true
        select: val_accuracy
        test: runs
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    private string WriteSpec(string text, string name = "spec.yaml")
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static string MeanStd(double[] values)
    {
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return string.Create(CultureInfo.InvariantCulture, $"{mean:0.0000} ± {std:0.0000}");
    }

    /// <summary>The cells of the rows of results.md's first table, without bold markers, keyed by the first cell.</summary>
    private static Dictionary<string, string[]> TableRows(string markdown) => markdown.Split('\n')
        .SkipWhile(l => !l.StartsWith('|'))
        .TakeWhile(l => l.StartsWith('|'))
        .Where(l => !l.StartsWith("| ---", StringComparison.Ordinal))
        .Skip(1)
        .Select(l => l.Trim('|').Split('|').Select(c => c.Trim().Trim('*')).ToArray())
        .ToDictionary(cells => cells[0]);

    [SkippableFact]
    public void A_small_spec_runs_end_to_end_and_its_results_table_matches_the_runs_own_metrics()
    {
        var result = Fixtures.Cli.Run(Env(), "experiment", "run", WriteSpec(SmallSpec), "--out", "out");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("6 of 6 runs finished (0 already done)", result.Output, StringComparison.Ordinal);
        Assert.Equal(6, result.OutputLines.Count(l => l.StartsWith('[') && l.Contains(" fold ", StringComparison.Ordinal)));

        var markdown = File.ReadAllText(_dir.File("out/results.md"));
        Assert.Contains("| Learning Rate | Val Accuracy | Test Accuracy | Test Loss |", markdown, StringComparison.Ordinal);
        var rows = TableRows(markdown);
        Assert.Equal(2, rows.Count);
        foreach (var point in Directory.GetDirectories(_dir.File("out"), "p*"))
        {
            var runs = Directory.GetDirectories(point, "seed*").Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(3, runs.Length);
            var learningRate = Json(Path.Combine(runs[0], "model.json")).GetProperty("training").GetProperty("learning_rate").GetDouble();
            var metrics = runs.Select(r => Json(Path.Combine(r, "metrics.json"))).ToArray();
            double[] Values(string key) => metrics.Select(m => m.GetProperty(key).GetDouble()).ToArray();

            var row = rows[learningRate.ToString(CultureInfo.InvariantCulture)];
            Assert.Equal([MeanStd(Values("val_accuracy")), MeanStd(Values("test_accuracy")), MeanStd(Values("test_loss"))], row[1..]);
            Assert.All(Values("test_accuracy"), a => Assert.InRange(a, 0.9, 1));
        }

        // The printed table is the saved one.
        Assert.Contains(markdown.Trim(), result.Output.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("mnist-1-vs-rest", 0.985)] // published 0.990
    [InlineData("mnist-logistic-2v3", 0.975)] // published about 0.98
    [InlineData("mnist-logistic-2v8", 0.96)] // published about 0.97
    public void Seed_presets_run_unchanged_and_reach_the_published_test_accuracy(string preset, double floor)
    {
        var spec = Path.Combine(RealData.RepositoryRoot()!, "experiments", preset + ".yaml");

        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec);

        Assert.Equal(0, result.ExitCode);
        var folder = _dir.File(Path.Combine("runs", preset));
        var run = Assert.Single(Directory.GetDirectories(folder, "seed*", SearchOption.AllDirectories));
        var accuracy = Json(Path.Combine(run, "metrics.json")).GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy >= floor, $"{preset}: test accuracy {accuracy}");
        Assert.Contains(accuracy.ToString("0.0000", CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(folder, "results.md")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_second_run_is_refused_and_resume_skips_every_finished_run()
    {
        var spec = WriteSpec(SmallSpec);
        Assert.Equal(0, Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "out").ExitCode);
        var before = File.ReadAllText(_dir.File("out/results.csv"));

        var again = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "out");
        var resumed = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "out", "--resume");

        Assert.Equal(2, again.ExitCode);
        var error = Assert.Single(again.ErrorLines);
        Assert.Contains("already holds 6 of 6 finished runs of this experiment: pass --resume to continue, or --force to start over", error, StringComparison.Ordinal);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("6 of 6 runs finished (6 already done), nothing left to run", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(_dir.File("out/results.csv")));
    }

    [Fact]
    public void An_unknown_key_is_a_one_line_error_with_its_line_number_and_a_suggestion()
    {
        var spec = WriteSpec(SmallSpec.Replace("  batch_size: 64", "  batch_sise: 64", StringComparison.Ordinal));

        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "out");

        Assert.Equal(2, result.ExitCode);
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: {spec}: line 11: unknown key 'batch_sise' in options (did you mean 'batch_size'?)", error, StringComparison.Ordinal);
        Assert.Contains("batch_sise", error, StringComparison.Ordinal);
        Assert.Contains("batch_size", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Theory]
    [InlineData("folds: 3", "folds: 1", 16)]
    [InlineData("learning_rate: [0.1, 0.01]", "learning_rate: [0.1, fast]", 13)]
    [InlineData("model: logistic", "model: tree", 8)]
    public void A_bad_value_is_a_one_line_error_with_its_line_number(string from, string to, int line)
    {
        var spec = WriteSpec(SmallSpec.Replace(from, to, StringComparison.Ordinal));

        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "out");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {spec}: line {line}: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void A_missing_spec_file_is_a_one_line_error()
    {
        var result = Fixtures.Cli.Run(Env(), "experiment", "run", "nowhere.yaml");

        Assert.Equal(2, result.ExitCode);
        var error = Assert.Single(result.ErrorLines);
        Assert.Contains("nowhere.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_and_force_together_are_refused()
    {
        var result = Fixtures.Cli.Run(Env(), "experiment", "run", WriteSpec(SmallSpec), "--resume", "--force");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--resume and --force cannot be combined", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void List_shows_the_presets_and_the_experiments_run_and_show_prints_the_results()
    {
        var specs = Directory.CreateDirectory(_dir.File("experiments")).FullName;
        File.WriteAllText(Path.Combine(specs, "small.yaml"), SmallSpec);
        File.WriteAllText(Path.Combine(specs, "broken.yaml"), "name: [");
        Assert.Equal(0, Fixtures.Cli.Run(Env(), "experiment", "run", "experiments/small.yaml").ExitCode);

        var list = Fixtures.Cli.Run(Env(), "experiment", "list");
        var show = Fixtures.Cli.Run(Env(), "experiment", "show", "runs/small-2v8");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("small-2v8", list.Output, StringComparison.Ordinal);
        Assert.Contains("invalid", list.Output, StringComparison.Ordinal);
        Assert.Matches(@"runs/small-2v8\s+mnist\s+6/6\s+val accuracy 0\.\d{4} \(learning_rate=", list.Output);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains(File.ReadAllText(_dir.File("runs/small-2v8/results.md")).Trim(), show.Output, StringComparison.Ordinal);
        Assert.Contains("dataset mnist; 6 of 6 runs finished", show.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void List_marks_a_preset_nested_100000_deep_or_a_fifo_as_invalid_and_lists_the_rest()
    {
        var specs = Directory.CreateDirectory(_dir.File("experiments")).FullName;
        File.WriteAllText(Path.Combine(specs, "deep.yaml"), $"name: deep\ngrid:\n  learning_rate: {new string('[', 100_000)}{new string(']', 100_000)}\n");
        Corpus.Fifo(Path.Combine(specs, "pipe.yaml"));
        File.WriteAllText(Path.Combine(specs, "fine.yaml"), "name: fine\ndataset: mnist\n");
        var env = new Dictionary<string, string> { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

        var list = Fixtures.Cli.Run(env, "experiment", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("nested more than 32 levels deep", list.Output, StringComparison.Ordinal);
        Assert.Contains("FIFO", list.Output, StringComparison.Ordinal);
        Assert.Contains("fine", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_of_a_folder_that_is_not_an_experiment_is_a_one_line_error()
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var result = Fixtures.Cli.Run(Env(), "experiment", "show", "empty");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not an experiment folder (no experiment.json)", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
