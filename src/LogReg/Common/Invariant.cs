using System.Globalization;

namespace LogReg.Common;

/// <summary>Formatting helpers that always use the invariant culture, so output never depends on the user's locale.</summary>
public static class Invariant
{
    /// <summary>The culture every number is printed and parsed with.</summary>
    public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>Formats <paramref name="text"/> with the invariant culture.</summary>
    public static string Format(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>A byte count as a short human-readable size ("9.3 MB").</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(Culture, $"{bytes} B")
            : string.Create(Culture, $"{value:0.0} {units[unit]}");
    }
}
