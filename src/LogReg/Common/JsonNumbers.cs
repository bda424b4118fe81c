using System.Text.Json;

namespace LogReg.Common;

/// <summary>How every results file writes a number that may be missing: finite values as numbers, NaN, ±∞ and null as null.</summary>
internal static class JsonNumbers
{
    public static void WriteFiniteOrNull(Utf8JsonWriter json, string name, double? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
