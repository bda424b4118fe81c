using LogReg.Experiments;

namespace LogReg.Tests.Experiments;

public sealed class ShardTests
{
    /// <summary>Costs like a sweep's: a few expensive runs (many epochs, big folds) among many cheap ones, with ties.</summary>
    private static double[] SweepCosts(int runs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, runs).Select(_ => (double)(random.Next(1, 4) * 1000 * new[] { 5, 10, 20, 40 }[random.Next(4)])).ToArray();
    }

    [Fact]
    public void Every_run_is_in_exactly_one_shard_for_1_to_17_shards()
    {
        foreach (var runs in new[] { 0, 1, 5, 16, 40, 270 })
        {
            var costs = SweepCosts(runs, runs);
            for (var n = 1; n <= 17; n++)
            {
                var assignment = ShardPlanner.Assign(costs, n);

                Assert.Equal(runs, assignment.Length);
                Assert.All(assignment, s => Assert.InRange(s, 0, n - 1));
                var shares = Enumerable.Range(0, n).Select(s => Enumerable.Range(0, runs).Where(r => assignment[r] == s).ToArray()).ToArray();
                Assert.Equal(Enumerable.Range(0, runs), shares.SelectMany(s => s).Order());
            }
        }
    }

    [Fact]
    public void The_assignment_is_the_same_on_every_call_and_for_equal_costs_does_not_depend_on_anything_else()
    {
        var costs = SweepCosts(270, 7);
        for (var n = 1; n <= 17; n++)
        {
            var first = ShardPlanner.Assign(costs, n);
            Assert.Equal(first, ShardPlanner.Assign(costs.ToArray(), n));
            Assert.Equal(first, ShardPlanner.Assign([.. costs], n));
        }

        // All costs equal: runs are dealt round-robin in order, a layout a person can predict.
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], ShardPlanner.Assign([1, 1, 1, 1, 1, 1, 1], 3));
    }

    [Fact]
    public void Shards_are_balanced_by_cost_not_by_count()
    {
        // One run as costly as the nine others together: count balance would pair it with four more.
        double[] costs = [9, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        var assignment = ShardPlanner.Assign(costs, 2);
        var heavy = assignment[0];

        Assert.Equal([heavy], assignment.Where((_, i) => costs[i] == 9));
        Assert.Equal(1, assignment.Count(s => s == heavy));

        for (var n = 1; n <= 17; n++)
        {
            var sweep = SweepCosts(270, n);
            var load = new double[n];
            var shardOf = ShardPlanner.Assign(sweep, n);
            for (var r = 0; r < sweep.Length; r++)
            {
                load[shardOf[r]] += sweep[r];
            }

            // Greedy assignment to the lightest shard: no shard ends more than one run's cost above the lightest.
            Assert.True(load.Max() - load.Min() <= sweep.Max(), $"{n} shards: loads {string.Join(", ", load)}");
        }
    }

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/4", 2, 4)]
    [InlineData("17/17", 17, 17)]
    public void A_shard_is_written_I_slash_N_counted_from_1(string text, int index, int count)
    {
        var shard = Shard.Parse(text);

        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal(text, shard.ToString());
        Assert.Equal($"shard-{index}-of-{count}.json", shard.ManifestFile);
    }

    [Theory]
    [InlineData("0/4", "--shard 0/4: shard 0/4 does not exist: shards are numbered 1 to 4")]
    [InlineData("5/4", "--shard 5/4: shard 5/4 does not exist: shards are numbered 1 to 4")]
    [InlineData("1/0", "--shard 1/0: the shard count must be 1 to 100000, not 0")]
    [InlineData("3", "--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '3'")]
    [InlineData("-1/4", "--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '-1/4'")]
    [InlineData("1/2/3", "--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '1/2/3'")]
    [InlineData(" 1/2", "--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not ' 1/2'")]
    [InlineData("1/99999999999", "--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '1/99999999999'")]
    public void A_bad_shard_is_refused_saying_why(string text, string message)
    {
        var e = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Shard.Parse(text));
        Assert.Equal(message, e.Message);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Auto_reads_a_slurm_array_task_counted_from_the_arrays_first_task()
    {
        Assert.Equal(new Shard(1, 4), Shard.FromEnvironment(Variables(("SLURM_ARRAY_TASK_ID", "0"), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", "0"))));
        Assert.Equal(new Shard(4, 4), Shard.FromEnvironment(Variables(("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_COUNT", "4"))));

        // --array=1-8: task 1 is the first shard.
        Assert.Equal(new Shard(1, 8), Shard.FromEnvironment(Variables(("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "8"), ("SLURM_ARRAY_TASK_MIN", "1"))));
    }

    [Fact]
    public void With_the_count_given_a_resubmitted_slurm_task_keeps_its_shard()
    {
        // sbatch --array=2 (resubmitting one task): Slurm says MIN=2, COUNT=1; with --shards 4 it is still shard 3/4.
        var variables = Variables(("SLURM_ARRAY_TASK_ID", "2"), ("SLURM_ARRAY_TASK_COUNT", "1"), ("SLURM_ARRAY_TASK_MIN", "2"));

        Assert.Equal(new Shard(3, 4), Shard.FromEnvironment(variables, count: 4));
    }

    [Fact]
    public void Auto_reads_a_kubernetes_indexed_job_with_its_count_from_logreg_shards_or_the_option()
    {
        Assert.Equal(new Shard(3, 5), Shard.FromEnvironment(Variables(("JOB_COMPLETION_INDEX", "2"), ("LOGREG_SHARDS", "5"))));
        Assert.Equal(new Shard(1, 2), Shard.FromEnvironment(Variables(("JOB_COMPLETION_INDEX", "0")), count: 2));
    }

    [Theory]
    [InlineData("", "", "", "--shard auto needs a scheduler's task index: SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); neither is set")]
    [InlineData("4", "4", "", "--shard auto: Slurm gives task 4 (counted from 0) of 4, which is not a shard")]
    [InlineData("x", "4", "", "--shard auto: SLURM_ARRAY_TASK_ID='x' is not a whole number ≥ 0")]
    [InlineData("1", "", "", "--shard auto: Slurm gives the task's index but not the number of shards: set SLURM_ARRAY_TASK_COUNT or pass --shards N")]
    [InlineData("", "", "3", "--shard auto: Kubernetes gives the task's index but not the number of shards: set LOGREG_SHARDS or pass --shards N")]
    public void Auto_without_usable_scheduler_variables_is_refused_saying_why(string slurmId, string slurmCount, string k8sIndex, string message)
    {
        var variables = Variables(("SLURM_ARRAY_TASK_ID", slurmId), ("SLURM_ARRAY_TASK_COUNT", slurmCount), ("JOB_COMPLETION_INDEX", k8sIndex));

        var e = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Shard.FromEnvironment(variables));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void The_spec_hash_ignores_line_endings_and_trailing_blanks_but_not_content_or_dataset()
    {
        const string Spec = "name: a\noptions:\n  epochs: 3\n";
        var hash = ExperimentRunner.SpecHash(Spec, "mnist");

        Assert.Equal(hash, ExperimentRunner.SpecHash("name: a  \r\noptions:\r\n  epochs: 3\r\n", "mnist"));
        Assert.NotEqual(hash, ExperimentRunner.SpecHash(Spec.Replace("3", "4", StringComparison.Ordinal), "mnist"));
        Assert.NotEqual(hash, ExperimentRunner.SpecHash(Spec, "kmnist"));
    }
}
