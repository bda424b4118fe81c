using System.Diagnostics;
using System.Text.RegularExpressions;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>
/// A sharded experiment on a real Slurm cluster (scripts/slurm-local.sh starts one on this machine; CI starts it and
/// requires this test): the submit script of logreg experiment slurm runs the shards as a job array and the merge as a
/// job after them, and the merged results are the single-machine run's.
/// </summary>
public sealed partial class SlurmClusterTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex(@"job array (\d+) \(tasks [^)]*\); merge: job (\d+)")]
    private static partial Regex SubmittedJobs();

    [SkippableFact]
    public void A_sharded_experiment_submitted_as_a_job_array_with_a_dependent_merge_gives_the_single_machine_results()
    {
        SlurmCluster.Require();
        var env = Fixtures.Cli.WithRealDataIn(_dir);
        var spec = _dir.WriteText("spec.yaml", ShardedExperimentTests.QuickSpec);
        Assert.Equal(0, Fixtures.Cli.Run(env, "experiment", "run", spec, "--out", "single", "--no-report").ExitCode);

        // The jobs run this build of the CLI, with the test's data folder (sbatch passes the submitting environment on).
        var logreg = string.Join(' ', Fixtures.Cli.Command([]).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
        var written = Fixtures.Cli.Run(env, "experiment", "slurm", spec, "--shards", "3", "--cpus", "1", "--results", "cluster", "--out", "submit.sh", "--logreg", logreg);
        Assert.True(written.ExitCode == 0, written.Error);

        var (code, output, error) = SlurmCluster.Run("bash", [_dir.File("submit.sh")], env);
        Assert.True(code == 0, output + error);
        var jobs = SubmittedJobs().Match(output);
        Assert.True(jobs.Success, output);
        var (array, merge) = (jobs.Groups[1].Value, jobs.Groups[2].Value);
        try
        {
            WaitForJobsToLeaveTheQueue(array, merge);
        }
        finally
        {
            SlurmCluster.Run("scancel", array, merge);
        }

        var logs = string.Join('\n', Directory.GetFiles(_dir.File("cluster/slurm-logs")).Order(StringComparer.Ordinal).Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
        Assert.True(File.Exists(_dir.File("cluster/results.csv")), "the merge job wrote no results:\n" + logs);
        Assert.Equal(["merge.out", "shard-0.out", "shard-1.out", "shard-2.out"], Directory.GetFiles(_dir.File("cluster/slurm-logs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(File.Exists(_dir.File($"cluster/shard-{i}-of-3.json")), logs);
        }

        Assert.Contains("merged 6 of 6 runs from 3 shards", File.ReadAllText(_dir.File("cluster/slurm-logs/merge.out")), StringComparison.Ordinal);
        Assert.True(File.Exists(_dir.File("cluster/report.html")), logs);
        Assert.Equal(ShardedExperimentTests.ResultsWithoutTimes(_dir.File("single")), ShardedExperimentTests.ResultsWithoutTimes(_dir.File("cluster")));
        Directory.Delete(_dir.File("cluster/slurm-logs"), recursive: true); // Slurm's, not LogReg's
        CompleteFiles.AssertAllComplete(_dir.File("cluster"));
    }

    /// <summary>Waits (bounded) until neither job is queued or running; fails at once when the merge can never start.</summary>
    private static void WaitForJobsToLeaveTheQueue(string array, string merge)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (_, queue, _) = SlurmCluster.Run("squeue", "-h", "-j", $"{array},{merge}", "-o", "%i %T %r");
            if (queue.Trim().Length == 0)
            {
                return;
            }

            Assert.False(queue.Contains("DependencyNeverSatisfied", StringComparison.Ordinal), "a shard failed, so the merge can never run:\n" + queue);
            Assert.True(clock.Elapsed < Bound, $"the jobs were still queued after {Bound.TotalMinutes} minutes:\n{queue}");
            Thread.Sleep(500);
        }
    }
}
