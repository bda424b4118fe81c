using LogReg.Common;
using System.Globalization;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>Turns a multi-class dataset into a binary one: a pair of classes, or one class against the rest.</summary>
public static class ClassSelection
{
    /// <summary>
    /// Keeps the images of <paramref name="negative"/> and <paramref name="positive"/>, relabelled 0 and 1, keeping their
    /// original class names (2 vs 8 → labels 0/1 named "2" and "8").
    /// </summary>
    public static Dataset Pair(Dataset data, int negative, int positive)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckClass(data, negative, nameof(negative));
        CheckClass(data, positive, nameof(positive));
        if (negative == positive)
        {
            throw new InvalidSettingException($"a class pair needs two different classes (both were {negative})", nameof(positive));
        }

        var labels = data.Labels;
        var indices = new List<int>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == negative || labels[i] == positive)
            {
                indices.Add(i);
            }
        }

        var step = $"classes {data.ClassNames[negative]} vs {data.ClassNames[positive]}";
        var selected = data.Select(indices.ToArray(), step);
        var binary = new int[selected.Count];
        var selectedLabels = selected.Labels;
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = selectedLabels[i] == positive ? 1 : 0;
        }

        return selected.WithLabels(binary, [data.ClassNames[negative], data.ClassNames[positive]], step: null);
    }

    /// <summary>Relabels <paramref name="positive"/> as 1 and every other class as 0 ("1" vs rest).</summary>
    public static Dataset OneVsRest(Dataset data, int positive)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckClass(data, positive, nameof(positive));
        var labels = data.Labels;
        var binary = new int[labels.Length];
        for (var i = 0; i < binary.Length; i++)
        {
            binary[i] = labels[i] == positive ? 1 : 0;
        }

        var name = data.ClassNames[positive];
        return data.WithLabels(binary, [$"not {name}", name], $"{name} vs rest");
    }

    /// <summary>
    /// The class index that <paramref name="token"/> names: a number, a class name, or for names like "つ (tsu)" the
    /// romaji or the character alone; case-insensitive.
    /// </summary>
    public static int ResolveClass(IReadOnlyList<string> classNames, string token)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(token);
        var trimmed = token.Trim();
        for (var i = 0; i < classNames.Count; i++)
        {
            if (string.Equals(classNames[i], trimmed, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < classNames.Count)
        {
            return index;
        }

        for (var i = 0; i < classNames.Count; i++)
        {
            var parts = classNames[i].Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Any(p => string.Equals(p, trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                return i;
            }
        }

        throw new InvalidSettingException(
            $"'{token}' is not a class of this dataset: use 0..{classNames.Count - 1} or a class name ({string.Join(", ", classNames.Take(10))}{(classNames.Count > 10 ? ", ..." : "")})");
    }

    private static void CheckClass(Dataset data, int label, string parameter)
    {
        if ((uint)label >= (uint)data.ClassCount)
        {
            throw new InvalidSettingException($"class must be in 0..{data.ClassCount - 1} (was {label})", parameter);
        }
    }
}
