namespace LogReg.Common;

/// <summary>"Did you mean" hints for mistyped names: the closest known name by edit distance, if it is close enough.</summary>
internal static class DidYouMean
{
    /// <summary>The candidate closest to <paramref name="name"/>, or null when none is within a third of its length (at least 2 edits).</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.Select(c => (c, Distance(name, c))).Where(p => p.Item2 <= Math.Max(2, name.Length / 3)).OrderBy(p => p.Item2).Select(p => p.c).FirstOrDefault();
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
