using System.Globalization;
using System.Text.Json;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>An experiment split into shards (logreg experiment run --shard I/N) and merged (logreg experiment merge).</summary>
public sealed class ShardedExperimentTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    /// <summary>Six quick runs: three learning rates × 2 folds on a subset.</summary>
    internal const string QuickSpec = """
        name: quick-2v8
        dataset: mnist
        classes: [2, 8]
        train_first: 3000
        test_first: 1000
        scaling: divide255
        model: logistic
        options:
          epochs: 3
          batch_size: 64
        grid:
          learning_rate: [0.1, 0.01, 0.001]
        validation:
          method: kfold
          folds: 2
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    private CliResult Run(params string[] args) => Fixtures.Cli.Run(Env(), args);

    /// <summary>results.csv without the timing columns (which differ from run to run), as rows of cells.</summary>
    internal static string[] ResultsWithoutTimes(string directory)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, "results.csv"));
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !header[i].Contains("fit_time", StringComparison.Ordinal)).ToArray();
        Assert.True(keep.Length < header.Length, "results.csv has no fit_time columns to leave out: " + lines[0]);
        return lines.Select(l => string.Join(',', keep.Select(i => l.Split(',')[i]))).ToArray();
    }

    private static string[] ManifestRuns(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetString()!).ToArray();
    }

    [SkippableFact]
    public void Three_shards_into_one_folder_then_merge_give_the_single_machine_results()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "whole", "--no-report").ExitCode);

        for (var i = 1; i <= 3; i++)
        {
            var shard = Run("experiment", "run", spec, "--out", "sharded", "--shard", $"{i}/3");
            Assert.True(shard.ExitCode == 0, shard.Error);
            Assert.Contains($"shard {i}/3: 2 of its 2 runs finished", shard.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(_dir.File("sharded/results.csv")), "a shard of several must leave the results to the merge");
        }

        var runs = Enumerable.Range(1, 3).SelectMany(i => ManifestRuns(_dir.File($"sharded/shard-{i}-of-3.json"))).ToArray();
        Assert.Equal(6, runs.Length);
        Assert.Equal(6, runs.Distinct().Count());

        var merged = Run("experiment", "merge", _dir.File("sharded"), "--no-report");

        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Contains("merged 6 of 6 runs from 3 shards", merged.Output, StringComparison.Ordinal);
        Assert.Equal(ResultsWithoutTimes(_dir.File("whole")), ResultsWithoutTimes(_dir.File("sharded")));
        Assert.Equal(File.ReadAllText(_dir.File("whole/spec.yaml")), File.ReadAllText(_dir.File("sharded/spec.yaml")));
    }

    [SkippableFact]
    public void A_shard_takes_the_same_runs_on_every_invocation()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);

        Assert.Equal(0, Run("experiment", "run", spec, "--out", "x", "--shard", "2/4").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "y", "--shard", "2/4", "--threads", "1").ExitCode);

        var runs = ManifestRuns(_dir.File("x/shard-2-of-4.json"));
        Assert.NotEmpty(runs);
        Assert.Equal(runs, ManifestRuns(_dir.File("y/shard-2-of-4.json")));
    }

    [SkippableFact]
    public void Shards_in_separate_folders_merge_into_a_new_one()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "whole", "--no-report").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "a", "--shard", "1/2").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "b", "--shard", "2/2").ExitCode);

        var merged = Run("experiment", "merge", "a", "b", "--out", "merged", "--no-report");

        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Contains("merged 6 of 6 runs from 2 shards (6 copied from other folders)", merged.Output, StringComparison.Ordinal);
        Assert.Equal(ResultsWithoutTimes(_dir.File("whole")), ResultsWithoutTimes(_dir.File("merged")));
        CompleteFiles.AssertAllComplete(_dir.File("merged"));
    }

    [SkippableFact]
    public void Merge_with_a_shard_missing_names_the_runs_and_the_shard_and_exits_2_unless_partial()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "1/3").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "3/3").ExitCode);
        var missing = ManifestRuns(_dir.File("exp/shard-1-of-3.json")).Concat(ManifestRuns(_dir.File("exp/shard-3-of-3.json"))).ToHashSet();

        var refused = Run("experiment", "merge", "exp", "--no-report");

        Assert.Equal(2, refused.ExitCode);
        var line = Assert.Single(refused.ErrorLines);
        Assert.StartsWith($"error: {_dir.File("exp")}: 2 of 6 runs missing (shard 2/3: ", line, StringComparison.Ordinal);
        Assert.Contains("pass --partial", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("exp/results.csv")));

        var partial = Run("experiment", "merge", "exp", "--partial", "--no-report");

        Assert.True(partial.ExitCode == 0, partial.Error);
        Assert.Contains("merged 4 of 6 runs from 3 shards", partial.Output, StringComparison.Ordinal);
        Assert.Contains("warning: partial results: 2 of 6 runs are missing", partial.Error, StringComparison.Ordinal);
        Assert.Equal(4, missing.Count);

        // The missing shard can still run into the merged folder, and a second merge completes the experiment.
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "2/3").ExitCode);
        Assert.Equal(0, Run("experiment", "merge", "exp", "--no-report").ExitCode);
        using var results = JsonDocument.Parse(File.ReadAllText(_dir.File("exp/results.json")));
        Assert.Equal(6, results.RootElement.GetProperty("finished_runs").GetInt32());
    }

    [SkippableFact]
    public void Under_the_retrain_protocol_the_merge_retrains_the_best_point_as_a_single_machine_run_does()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec + "\ntest: retrain\n");
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "whole", "--no-report").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "1/2").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "2/2").ExitCode);
        Assert.False(Directory.Exists(_dir.File("exp/best-retrained")), "a shard sees only its own runs, so it must not pick the best point");

        var merged = Run("experiment", "merge", "exp", "--no-report");

        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(File.ReadAllText(_dir.File("whole/best-retrained/metrics.json")).Split('\n').Where(l => !l.Contains("seconds", StringComparison.Ordinal)), File.ReadAllText(_dir.File("exp/best-retrained/metrics.json")).Split('\n').Where(l => !l.Contains("seconds", StringComparison.Ordinal)));
        Assert.Equal(ResultsWithoutTimes(_dir.File("whole")), ResultsWithoutTimes(_dir.File("exp")));
    }

    [SkippableFact]
    public void Merge_refuses_shards_of_different_specs()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        var other = _dir.WriteText("other.yaml", QuickSpec.Replace("epochs: 3", "epochs: 2", StringComparison.Ordinal));
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "a", "--shard", "1/2").ExitCode);
        Assert.Equal(0, Run("experiment", "run", other, "--out", "b", "--shard", "2/2").ExitCode);

        var merged = Run("experiment", "merge", "a", "b", "--out", "merged");

        Assert.Equal(2, merged.ExitCode);
        var line = Assert.Single(merged.ErrorLines);
        Assert.StartsWith($"error: {_dir.File("b/shard-2-of-2.json")}: ran a different spec (or dataset) from {_dir.File("a/shard-1-of-2.json")}", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("merged")));

        // Nor may a shard of another spec write into a folder that holds this one's.
        var mixed = Run("experiment", "run", other, "--out", "a", "--shard", "2/2");
        Assert.Equal(2, mixed.ExitCode);
        Assert.StartsWith($"error: {_dir.File("a/shard-1-of-2.json")}: belongs to a different spec", Assert.Single(mixed.ErrorLines), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_same_spec_on_another_dataset_is_a_different_experiment_to_merge()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "a", "--shard", "1/2").ExitCode);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "b", "--shard", "2/2", "--dataset", "fashion-mnist").ExitCode);

        var merged = Run("experiment", "merge", "a", "b", "--out", "merged");

        Assert.Equal(2, merged.ExitCode);
        Assert.Contains("ran a different spec (or dataset)", Assert.Single(merged.ErrorLines), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_shard_killed_midway_and_rerun_alone_completes_the_experiment()
    {
        var spec = _dir.WriteText("spec.yaml", """
            name: killed
            dataset: mnist
            train_first: 4000
            test_first: 1000
            options:
              epochs: 24
              batch_size: 32
            grid:
              learning_rate: [0.1, 0.03, 0.01, 0.003]
            validation:
              method: kfold
              folds: 4
            """);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "1/2", "--threads", "1").ExitCode);
        using (var process = CliProcess.Start(Env(), "experiment", "run", spec, "--out", "exp", "--shard", "2/2", "--threads", "1"))
        {
            Assert.True(process.WaitForOutput(l => l.StartsWith("[2/8]", StringComparison.Ordinal), Generous), process.Output + process.Error);
            process.Signal(CliProcess.SigKill);
            process.WaitForExit(Generous);
        }

        var finished = Directory.GetFiles(_dir.File("exp"), "metrics.json", SearchOption.AllDirectories).Length;
        Assert.InRange(finished, 10, 15);
        CompleteFiles.AssertAllComplete(_dir.File("exp"));
        Assert.Equal(2, Run("experiment", "merge", "exp", "--no-report").ExitCode);

        var rerun = Run("experiment", "run", spec, "--out", "exp", "--shard", "2/2", "--resume", "--threads", "1");

        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"shard 2/2: 8 of its 8 runs finished ({finished - 8} already done)"), rerun.Output, StringComparison.Ordinal);
        var merged = Run("experiment", "merge", "exp", "--no-report");
        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Contains("merged 16 of 16 runs from 2 shards", merged.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Two_shards_running_at_once_as_processes_into_one_folder_leave_every_run_whole()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "whole", "--no-report").ExitCode);

        using (var first = CliProcess.Start(Env(), "experiment", "run", spec, "--out", "exp", "--shard", "1/2", "--threads", "1"))
        using (var second = CliProcess.Start(Env(), "experiment", "run", spec, "--out", "exp", "--shard", "2/2", "--threads", "1"))
        {
            Assert.True(first.WaitForExit(Generous) == 0, first.Output + first.Error);
            Assert.True(second.WaitForExit(Generous) == 0, second.Output + second.Error);
        }

        CompleteFiles.AssertAllComplete(_dir.File("exp"));
        Assert.Empty(Directory.GetFiles(_dir.File("exp"), "*.tmp", SearchOption.AllDirectories));
        var merged = Run("experiment", "merge", "exp", "--no-report");
        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.Equal(ResultsWithoutTimes(_dir.File("whole")), ResultsWithoutTimes(_dir.File("exp")));
    }

    [SkippableFact]
    public void A_shard_refuses_to_redo_its_finished_runs_without_resume()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);
        Assert.Equal(0, Run("experiment", "run", spec, "--out", "exp", "--shard", "1/2").ExitCode);

        var again = Run("experiment", "run", spec, "--out", "exp", "--shard", "1/2");

        Assert.Equal(2, again.ExitCode);
        Assert.Equal($"error: {_dir.File("exp")}: already holds 3 of the 3 runs of shard 1/2: pass --resume to continue, or --force to start the shard over", Assert.Single(again.ErrorLines));
    }

    [Theory]
    [InlineData("0/4", "error: --shard 0/4: shard 0/4 does not exist: shards are numbered 1 to 4")]
    [InlineData("2", "error: --shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '2'")]
    [InlineData("auto", "error: --shard auto needs a scheduler's task index: SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); neither is set")]
    public void A_bad_shard_is_a_one_line_error_and_exit_2(string shard, string message)
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);

        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "experiment", "run", spec, "--shard", shard);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(_dir.File("runs")));
    }

    [Fact]
    public void Shards_without_shard_auto_is_a_one_line_error()
    {
        var spec = _dir.WriteText("spec.yaml", QuickSpec);

        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "experiment", "run", spec, "--shard", "1/2", "--shards", "3");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --shards 3 goes with --shard auto", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_of_a_folder_with_no_experiment_is_a_one_line_error()
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "experiment", "merge", "empty");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {_dir.File("empty")}: holds no shard-I-of-N.json or experiment.json: not an experiment folder, or none of its shards has started", Assert.Single(result.ErrorLines));
    }
}
