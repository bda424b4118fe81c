using System.Globalization;

namespace LogReg.Common;

/// <summary>
/// Every size, count and depth LogReg accepts from a file or a command line, in one table: a hostile or mistaken input
/// is refused with its number and the limit before anything is allocated, expanded or started. The values are far
/// above what MNIST-style data needs (28x28 pixels, 10 classes, a few hundred grid runs); the readers and commands
/// that enforce them name the file (and line) or the option. A later declarative option schema can absorb this table.
/// </summary>
public static class Limits
{
    /// <summary>Classes a label may address (CSV labels, classes.txt names, model class lists). ImageNet has 1,000.</summary>
    public const int MaxClasses = 1000;

    /// <summary>Pixels per image, the model's features: 1024x1024.</summary>
    public const int MaxFeatures = 1 << 20;

    /// <summary>
    /// Weights of one model (features x output units): 2^26 floats, 256 MiB per copy; training holds four copies
    /// (weights, gradient, velocity, best weights).
    /// </summary>
    public const long MaxModelFloats = 1L << 26;

    /// <summary>Size of a model file: the largest model's weights as JSON text.</summary>
    public const long MaxModelFileBytes = 1L << 30;

    /// <summary>Kernel threads for --threads: more than this only adds synchronisation.</summary>
    public const int MaxThreads = 256;

    /// <summary>Runs (grid points x seeds x folds) an experiment may expand to unless --max-runs raises it.</summary>
    public const long DefaultMaxRuns = 10_000;

    /// <summary>Nesting of mappings and sequences in an experiment spec (a real spec nests 3 deep).</summary>
    public const int MaxYamlDepth = 32;

    /// <summary>Aliases (*name) in an experiment spec: each can stand for a whole subtree.</summary>
    public const int MaxYamlAliases = 100;

    /// <summary>Size of an experiment spec file.</summary>
    public const long MaxSpecBytes = 1 << 20;

    /// <summary>Size of a results, metrics or manifest JSON file of a run or experiment folder.</summary>
    public const long MaxResultsFileBytes = 64L << 20;

    /// <summary>Folds of k-fold cross-validation.</summary>
    public const int MaxFolds = 100;

    /// <summary>Size of a classes.txt file.</summary>
    public const long MaxClassNamesBytes = 1 << 20;

    /// <summary>Characters of one class name.</summary>
    public const int MaxClassNameLength = 200;

    /// <summary>Characters of an experiment name (one folder name; file systems allow 255 bytes).</summary>
    public const int MaxNameLength = 100;

    /// <summary>Characters of one CSV line: a 1024x1024 image of three-digit pixels and its separators.</summary>
    public const int MaxCsvLineLength = (MaxFeatures + 1) * 4 + 64;

    /// <summary>A download may exceed the registry's known content size by this share (gzip of incompressible data grows a little) ...</summary>
    public const double DownloadSlackFraction = 0.01;

    /// <summary>... plus this many bytes.</summary>
    public const long DownloadSlackBytes = 1 << 20;

    /// <summary>A download slower than this on average, after <see cref="DownloadGracePeriod"/>, is given up.</summary>
    public const long MinDownloadBytesPerSecond = 8 * 1024;

    /// <summary>How long a download may take before its average rate is checked.</summary>
    public static readonly TimeSpan DownloadGracePeriod = TimeSpan.FromSeconds(60);

    /// <summary>The most bytes a download of a file whose content is <paramref name="contentBytes"/> may take.</summary>
    public static long DownloadCap(long contentBytes) => contentBytes + (long)(contentBytes * DownloadSlackFraction) + DownloadSlackBytes;

    /// <summary>
    /// The kernel threads for <paramref name="requested"/> (0: one per core); above <see cref="MaxThreads"/> or below 0
    /// is an error naming <paramref name="option"/>.
    /// </summary>
    public static int Threads(int requested, string option = "--threads")
    {
        if (requested < 0 || requested > MaxThreads)
        {
            throw new InvalidSettingException(
                Format($"{option} must be between 0 (one per core) and {MaxThreads} (was {requested}); this machine has {Environment.ProcessorCount} cores"), option);
        }

        return requested == 0 ? Environment.ProcessorCount : requested;
    }

    /// <summary>
    /// The runs of a grid: the product of <paramref name="factors"/>, saturating at <see cref="long.MaxValue"/> instead
    /// of overflowing, so that the check comes before anything is expanded.
    /// </summary>
    public static long Product(IEnumerable<long> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        long product = 1;
        foreach (var factor in factors)
        {
            if (factor <= 0)
            {
                return 0;
            }

            product = product > long.MaxValue / factor ? long.MaxValue : product * factor;
        }

        return product;
    }

    /// <summary>A count for messages: "1000000000", or "more than 9223372036854775807" when it saturated.</summary>
    public static string Count(long count) => count == long.MaxValue ? "more than 9223372036854775806" : count.ToString(CultureInfo.InvariantCulture);

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
