using LogReg.Common;
using System.Globalization;

namespace LogReg.Experiments;

/// <summary>
/// One share of an experiment's runs: shard <see cref="Index"/> of <see cref="Count"/>, numbered from 1 as people
/// count (<c>--shard 1/4</c> … <c>--shard 4/4</c>). Schedulers number their tasks from 0; <see cref="FromEnvironment"/>
/// converts.
/// </summary>
public sealed record Shard
{
    /// <summary>More shards than this is a typo, not a sweep (the largest preset has a few hundred runs).</summary>
    public const int MaxCount = 100_000;

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (0 ≤ index &lt; count).</summary>
    public Shard(int index, int count)
    {
        if (count < 1 || count > MaxCount)
        {
            throw new InvalidSettingException(string.Create(CultureInfo.InvariantCulture, $"the shard count must be 1 to {MaxCount}, not {count}"));
        }

        if (index < 1 || index > count)
        {
            throw new InvalidSettingException(string.Create(CultureInfo.InvariantCulture, $"shard {index}/{count} does not exist: shards are numbered 1 to {count}"));
        }

        Index = index;
        Count = count;
    }

    /// <summary>1-based.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>The whole experiment (1/1): it writes the results itself.</summary>
    public bool IsWhole => Count == 1;

    /// <summary>The manifest this shard writes into the experiment folder, and no other shard: "shard-2-of-4.json".</summary>
    public string ManifestFile => string.Create(CultureInfo.InvariantCulture, $"shard-{Index}-of-{Count}.json");

    /// <summary>The shard as INDEX/COUNT.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses "I/N" (1 ≤ I ≤ N).</summary>
    /// <exception cref="ArgumentException">Not of that form, or out of range (the message says which).</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !TryInt(parts[0], out var index) || !TryInt(parts[1], out var count))
        {
            throw new InvalidSettingException($"--shard must be I/N (e.g. 2/4, shards numbered from 1) or auto, not '{text}'");
        }

        try
        {
            return new Shard(index, count);
        }
        catch (InvalidSettingException e)
        {
            throw new InvalidSettingException($"--shard {text}: {e.Problem}", e);
        }
    }

    /// <summary>
    /// The shard a scheduler's task runs: a Slurm job array task (SLURM_ARRAY_TASK_ID, counted from 0 when
    /// <paramref name="count"/> is given, else from SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT) or a Kubernetes
    /// Indexed Job pod (JOB_COMPLETION_INDEX, from 0, of LOGREG_SHARDS). <paramref name="count"/> (from --shards)
    /// overrides the scheduler's count.
    /// </summary>
    /// <exception cref="ArgumentException">No scheduler variables, or values that are not numbers or out of range.</exception>
    public static Shard FromEnvironment(Func<string, string?> getVariable, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        int Read(string name)
        {
            var value = getVariable(name);
            return TryInt(value, out var n) && n >= 0
                ? n
                : throw new InvalidSettingException($"--shard auto: {name}='{value}' is not a whole number ≥ 0");
        }

        int Count(string scheduler, string name)
        {
            if (count is { } given)
            {
                return given;
            }

            return string.IsNullOrEmpty(getVariable(name))
                ? throw new InvalidSettingException($"--shard auto: {scheduler} gives the task's index but not the number of shards: set {name} or pass --shards N")
                : Read(name);
        }

        Shard Make(int zeroBased, int shards, string source)
        {
            if (shards < 1 || zeroBased >= shards)
            {
                throw new InvalidSettingException(string.Create(CultureInfo.InvariantCulture, $"--shard auto: {source} gives task {zeroBased} (counted from 0) of {shards}, which is not a shard"));
            }

            return new Shard(zeroBased + 1, shards);
        }

        if (!string.IsNullOrEmpty(getVariable("SLURM_ARRAY_TASK_ID")))
        {
            // With the count given, the task ID is the shard counted from 0: resubmitting task 2 alone (--array=2, so
            // SLURM_ARRAY_TASK_MIN=2 and COUNT=1) must rerun shard 3/N. Without it, the array is the whole experiment
            // and may start anywhere (--array=1-8).
            var id = Read("SLURM_ARRAY_TASK_ID");
            var min = count is not null || string.IsNullOrEmpty(getVariable("SLURM_ARRAY_TASK_MIN")) ? 0 : Read("SLURM_ARRAY_TASK_MIN");
            if (id < min)
            {
                throw new InvalidSettingException(string.Create(CultureInfo.InvariantCulture, $"--shard auto: SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"));
            }

            return Make(id - min, Count("Slurm", "SLURM_ARRAY_TASK_COUNT"), "Slurm");
        }

        if (!string.IsNullOrEmpty(getVariable("JOB_COMPLETION_INDEX")))
        {
            return Make(Read("JOB_COMPLETION_INDEX"), Count("Kubernetes", "LOGREG_SHARDS"), "Kubernetes");
        }

        throw new InvalidSettingException("--shard auto needs a scheduler's task index: SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); neither is set");
    }

    private static bool TryInt(string? text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

/// <summary>Splits an experiment's runs into shards of about equal cost.</summary>
internal static class ShardPlanner
{
    /// <summary>
    /// Greedy longest-processing-time: the runs by decreasing cost (ties: the earlier run first) each go to the shard
    /// with the least cost so far (ties: the lowest shard). Deterministic, so every task of a job array computes the same
    /// assignment on its own; and no shard ends more than one run's cost above the lightest.
    /// </summary>
    /// <returns>For each run, its shard counted from 0.</returns>
    public static int[] Assign(IReadOnlyList<double> costs, int count)
    {
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var order = Enumerable.Range(0, costs.Count).OrderByDescending(i => costs[i]).ThenBy(i => i).ToArray();
        var load = new double[count];
        var shard = new int[costs.Count];
        foreach (var run in order)
        {
            var lightest = 0;
            for (var s = 1; s < count; s++)
            {
                if (load[s] < load[lightest])
                {
                    lightest = s;
                }
            }

            shard[run] = lightest;
            load[lightest] += costs[run];
        }

        return shard;
    }
}
