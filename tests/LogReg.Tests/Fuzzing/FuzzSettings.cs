using System.Globalization;
using System.Security.Cryptography;

namespace LogReg.Tests.Fuzzing;

/// <summary>
/// How many cases a fuzz test runs and from which seed. The normal suite runs a thousand per reader (seconds in all); a
/// nightly run sets <c>LOGREG_FUZZ_CASES</c> (e.g. 10000). <c>LOGREG_FUZZ_SEED</c> replays the run a failure names.
/// </summary>
public static class FuzzSettings
{
    public const int DefaultCases = 1000;

    public static int Cases => Read("LOGREG_FUZZ_CASES", DefaultCases, int.Parse, value => value > 0);

    /// <summary>The given seed, or a fresh one each run so that repeated runs explore different files.</summary>
    public static ulong Seed => Read("LOGREG_FUZZ_SEED", BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), ulong.Parse, _ => true);

    private static T Read<T>(string name, T fallback, Func<string, NumberStyles, IFormatProvider, T> parse, Func<T, bool> valid)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        try
        {
            var value = parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            return valid(value) ? value : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidOperationException($"{name} must be a positive whole number (was '{text}')", e);
        }
    }
}
