using System.Globalization;
using System.Text;

namespace LogReg.Common;

/// <summary>
/// The rule for a name that becomes one folder (an experiment's runs/NAME): a single path segment of letters, digits
/// and - _ . + and inner spaces, not starting with a dot or a dash (so never "." or "..", a hidden folder or an option), at most
/// <see cref="Limits.MaxNameLength"/> characters. Anything else could write outside runs/ or fail halfway.
/// </summary>
public static class SafeName
{
    /// <summary>Null when <paramref name="name"/> is a safe folder name, else what is wrong with it.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name.Length > Limits.MaxNameLength || Encoding.UTF8.GetByteCount(name) > 255)
        {
            return string.Create(CultureInfo.InvariantCulture, $"has {name.Length} characters, more than the limit of {Limits.MaxNameLength}");
        }

        if (name[0] is '.' or '-' or ' ')
        {
            return $"starts with '{name[0]}'";
        }

        if (name[^1] == ' ')
        {
            return "ends with a space";
        }

        foreach (var rune in name.EnumerateRunes())
        {
            if (!(Rune.IsLetterOrDigit(rune) || rune.Value is '-' or '_' or '.' or '+' or ' '))
            {
                var shown = Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}") : rune.ToString();
                return $"contains '{shown}'";
            }
        }

        return null;
    }

    /// <summary>The name for messages: control characters shown as '?', cut to 40 characters.</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var clean = string.Concat(name.Select(c => char.IsControl(c) ? '?' : c));
        return clean.Length <= 40 ? clean : string.Concat(clean.AsSpan(0, 37), "...");
    }
}
