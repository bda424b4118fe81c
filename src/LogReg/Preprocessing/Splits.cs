using System.Globalization;
using LogReg.Common;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>Seeded, reproducible hold-out splits and (stratified) k-fold partitions.</summary>
internal static class Splits
{
    /// <summary>
    /// A hold-out: round(<paramref name="fraction"/> × n) samples for validation, the rest for training. The samples are
    /// a seeded random choice, or with <paramref name="shuffle"/> false the first ones in file order (seeds 001/002 hold
    /// out the first 10 % of their training images). With <paramref name="stratify"/> each class is split in the same
    /// proportion (its first members when not shuffled).
    /// </summary>
    public static Fold HoldOut(ReadOnlySpan<int> labels, double fraction, int seed, bool stratify = false, bool shuffle = true)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new InvalidSettingException($"ValidationFraction must be in (0, 1) (was {fraction.ToString(CultureInfo.InvariantCulture)}); e.g. 0.1 holds out 10 %", nameof(fraction));
        }

        var n = labels.Length;
        if (n < 2)
        {
            throw new InvalidSettingException($"a hold-out split needs at least 2 samples (got {n})", nameof(labels));
        }

        var random = new SeededRandom(seed);
        if (!stratify)
        {
            var order = shuffle ? random.Permutation(n) : Enumerable.Range(0, n).ToArray();
            var validationCount = Math.Clamp((int)Math.Round(fraction * n), 1, n - 1);
            var validation = order[..validationCount];
            var train = order[validationCount..];
            Array.Sort(validation);
            Array.Sort(train);
            return new Fold(0, train, validation);
        }

        var trainList = new List<int>();
        var validationList = new List<int>();
        foreach (var members in ByClass(labels))
        {
            if (shuffle)
            {
                random.Shuffle(members.AsSpan());
            }

            var take = (int)Math.Round(fraction * members.Length);
            validationList.AddRange(members[..take]);
            trainList.AddRange(members[take..]);
        }

        if (validationList.Count == 0 || trainList.Count == 0)
        {
            throw new InvalidSettingException($"a stratified hold-out of {fraction.ToString(CultureInfo.InvariantCulture)} leaves one side empty for {n} samples", nameof(fraction));
        }

        validationList.Sort();
        trainList.Sort();
        return new Fold(0, trainList.ToArray(), validationList.ToArray());
    }

    /// <summary>
    /// k folds of a shuffled order (or file order without <paramref name="shuffle"/>); fold sizes differ by at most one.
    /// Every sample is in exactly one validation fold.
    /// </summary>
    public static IReadOnlyList<Fold> KFold(int count, int k, int seed, bool shuffle = true)
    {
        CheckK(count, k);
        var order = shuffle ? new SeededRandom(seed).Permutation(count) : Enumerable.Range(0, count).ToArray();
        var folds = new List<Fold>(k);
        var start = 0;
        for (var f = 0; f < k; f++)
        {
            var size = count / k + (f < count % k ? 1 : 0);
            folds.Add(MakeFold(f, order, start, size));
            start += size;
        }

        return folds;
    }

    /// <summary>
    /// k folds that keep each class's proportion: every class's shuffled members are dealt round-robin over the folds,
    /// continuing where the previous class stopped so fold sizes stay within one of each other.
    /// </summary>
    public static IReadOnlyList<Fold> StratifiedKFold(ReadOnlySpan<int> labels, int k, int seed)
    {
        CheckK(labels.Length, k);
        var random = new SeededRandom(seed);
        var assignment = new int[labels.Length];
        var next = 0;
        foreach (var members in ByClass(labels))
        {
            random.Shuffle(members.AsSpan());
            foreach (var index in members)
            {
                assignment[index] = next;
                next = (next + 1) % k;
            }
        }

        var folds = new List<Fold>(k);
        for (var f = 0; f < k; f++)
        {
            var validation = new List<int>();
            var train = new List<int>();
            for (var i = 0; i < assignment.Length; i++)
            {
                (assignment[i] == f ? validation : train).Add(i);
            }

            folds.Add(new Fold(f, train.ToArray(), validation.ToArray()));
        }

        return folds;
    }

    /// <summary>The samples of <paramref name="fold"/>'s two sides as datasets.</summary>
    public static (Dataset Train, Dataset Validation) Apply(Dataset data, Fold fold, string description)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fold);
        return (data.Select(fold.Train, $"{description} train part"), data.Select(fold.Validation, $"{description} validation part"));
    }

    private static Fold MakeFold(int index, int[] order, int start, int size)
    {
        var validation = order.AsSpan(start, size).ToArray();
        var train = new int[order.Length - size];
        order.AsSpan(0, start).CopyTo(train);
        order.AsSpan(start + size).CopyTo(train.AsSpan(start));
        Array.Sort(validation);
        Array.Sort(train);
        return new Fold(index, train, validation);
    }

    private static List<int[]> ByClass(ReadOnlySpan<int> labels)
    {
        var groups = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (!groups.TryGetValue(labels[i], out var list))
            {
                groups[labels[i]] = list = [];
            }

            list.Add(i);
        }

        return groups.Values.Select(l => l.ToArray()).ToList();
    }

    private static void CheckK(int count, int k)
    {
        if (k < 2)
        {
            throw new InvalidSettingException($"the number of folds must be ≥ 2 (was {k})", nameof(k));
        }

        if (k > count)
        {
            throw new InvalidSettingException($"the number of folds must be ≤ the number of samples, {count} (was {k})", nameof(k));
        }
    }
}
