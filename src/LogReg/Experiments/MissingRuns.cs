using System.Globalization;
using LogReg.Data;

namespace LogReg.Experiments;

/// <summary>The error of a merge that found runs no shard has finished: how many, which, and their shards.</summary>
internal static class MissingRuns
{
    /// <summary>Runs named in the message; the rest are counted.</summary>
    private const int Named = 8;

    /// <param name="runs">All the experiment's runs, in order.</param>
    /// <param name="shardOfRun">For each of <paramref name="runs"/>, its shard counted from 0 of <paramref name="shardCount"/>, when the runs were sharded.</param>
    public static LogRegDataException Error(string directory, IReadOnlyList<RunKey> runs, IReadOnlyList<RunKey> missing, int[]? shardOfRun = null, int shardCount = 1)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(missing);
        static string Name(RunKey key) => key.RelativeDirectory.Replace('\\', '/');
        var names = string.Join(", ", missing.Take(Named).Select(Name));
        if (shardOfRun is not null)
        {
            var index = runs.Select((k, i) => (k.RelativeDirectory, i)).ToDictionary(p => p.RelativeDirectory, p => p.i);
            var shards = missing.Select(k => shardOfRun[index[k.RelativeDirectory]]).Distinct().Order().ToList();
            names = $"shard{(shards.Count == 1 ? "" : "s")} {string.Join(", ", shards.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s + 1}/{shardCount}")))}: {names}";
        }

        var more = missing.Count > Named ? string.Create(CultureInfo.InvariantCulture, $" and {missing.Count - Named} more") : "";
        return new LogRegDataException(directory, string.Create(CultureInfo.InvariantCulture, $"{missing.Count} of {runs.Count} runs missing ({names}{more}): rerun their shards with --resume, or pass --partial to merge the finished runs"));
    }
}
