using System.Globalization;

namespace LogReg.Data;

/// <summary>
/// Loads a dataset split by registered name (<c>mnist</c>, <c>fashion-mnist</c>, <c>kmnist</c>, <c>kmnist-partial</c>)
/// or from a folder of the user's. Registered datasets are looked up through a <see cref="DataLocator"/> and, when found
/// nowhere, downloaded into the cache if a downloader is given. Files are checked against the registry's checksums; a
/// file that differs is used with a warning, never silently.
/// </summary>
public sealed partial class DatasetLoader
{
    /// <summary>The optional file, beside the data files, that names the classes one per line.</summary>
    public const string ClassNamesFile = "classes.txt";

    private readonly Func<DatasetDefinition, string>? _download;
    private readonly Action<string> _warn;

    /// <param name="locator">Where to look for registered datasets.</param>
    /// <param name="download">Fetches a dataset into the cache and returns its folder; null never downloads.</param>
    /// <param name="warn">Receives one-line warnings (a checksum that differs from the canonical file).</param>
    public DatasetLoader(DataLocator locator, Func<DatasetDefinition, string>? download = null, Action<string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(locator);
        Locator = locator;
        _download = download;
        _warn = warn ?? (_ => { });
    }

    /// <summary>Where the loader looks for registered datasets.</summary>
    public DataLocator Locator { get; }

    /// <summary>Whether <paramref name="nameOrDirectory"/> is a registered name or an existing folder.</summary>
    public static bool IsKnown(string nameOrDirectory) =>
        DatasetRegistry.Find(nameOrDirectory) is not null || Directory.Exists(nameOrDirectory) || (TabularCsvReader.IsTablePath(nameOrDirectory) && File.Exists(nameOrDirectory));

    /// <summary>Loads one split.</summary>
    public Dataset Load(string nameOrDirectory, DatasetSplit split)
    {
        ArgumentNullException.ThrowIfNull(nameOrDirectory);
        if (string.IsNullOrWhiteSpace(nameOrDirectory))
        {
            throw new Common.InvalidSettingException($"the dataset name is empty: give one of {string.Join(", ", DatasetRegistry.Names)}, or a folder of IDX, NPZ or CSV files", nameof(nameOrDirectory));
        }
        if (TabularCsvReader.IsTablePath(nameOrDirectory))
        {
            return LoadTable(nameOrDirectory, split);
        }

        var definition = DatasetRegistry.Find(nameOrDirectory);
        if (definition is not null)
        {
            return LoadRegistered(definition, split);
        }

        if (Directory.Exists(nameOrDirectory))
        {
            return LoadDirectory(nameOrDirectory, split);
        }

        throw new LogRegDataException(
            nameOrDirectory,
            $"unknown dataset: expected one of {string.Join(", ", DatasetRegistry.Names)}, or a folder holding train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
    }

    private Dataset LoadRegistered(DatasetDefinition definition, DatasetSplit split)
    {
        var location = Locator.Find(definition, split);
        string? downloadProblem = null;
        if (location is null && _download is not null && definition.CanDownload)
        {
            try
            {
                var directory = _download(definition);
                location = DataLocator.Probe(definition, DataSourceKind.Cache, "cache", directory);
            }
            catch (LogRegDataException e)
            {
                downloadProblem = e.Message;
            }
        }

        if (location is null || !location.HasSplit(split))
        {
            var looked = string.Join(", ", Locator.Candidates(definition).Select(c => c.Directory).Distinct().Take(6));
            var why = downloadProblem is not null ? $"; the download failed: {downloadProblem}"
                : definition.CanDownload ? $"; run 'logreg data fetch {definition.Name}'"
                : "";
            throw new SplitNotFoundException(definition.Name, $"{SplitName(split)} split not found (looked in {looked}){why}");
        }

        var imagesFile = definition.ImagesFile(split);
        var labelsFile = definition.LabelsFile(split);
        var images = ReadImages(location.PathOf(imagesFile.Role)!);
        var labels = ReadLabels(location.PathOf(labelsFile.Role)!);
        var imagesStatus = Check(definition, imagesFile, images.Path, images.ContentSha256);
        var labelsStatus = Check(definition, labelsFile, labels.Path, labels.ContentSha256);
        return DatasetBuilder.FromArrays(images, labels, definition.ClassNames, definition.Name, SplitName(split), imagesStatus, labelsStatus);
    }

    private ChecksumStatus Check(DatasetDefinition definition, DatasetFileDefinition file, string path, string sha)
    {
        var status = file.Check(sha);
        if (status == ChecksumStatus.Mismatch)
        {
            _warn($"{path}: content differs from the canonical {definition.Name} {file.FileName} (SHA-256 {sha[..12]}..., expected {file.ContentSha256[0][..12]}...); using it anyway");
        }

        return status;
    }

    private static Dataset LoadDirectory(string directory, DatasetSplit split)
    {
        DataFile.EnsureReadableDirectory(directory);
        var files = FindDirectoryFiles(directory, split);
        var name = Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar));
        ImageArray images;
        LabelArray labels;
        if (files is { Csv: { } csv })
        {
            (images, labels) = CsvDatasetReader.ReadArrays(csv);
        }
        else if (files is { Images: { } imagesPath, Labels: { } labelsPath })
        {
            images = ReadImages(imagesPath);
            labels = ReadLabels(labelsPath);
        }
        else
        {
            var prefix = split == DatasetSplit.Train ? "train" : "t10k";
            ThrowIfHalfPresent(directory, split, prefix);
            throw new SplitNotFoundException(
                directory,
                $"no {SplitName(split)} split here: expected {prefix}-images-idx3-ubyte[.gz] and {prefix}-labels-idx1-ubyte[.gz] (or *-{SplitName(split)}-imgs.npz and *-{SplitName(split)}-labels.npz, or {SplitName(split)}.csv)");
        }

        var classNames = DirectoryClassNames(directory, labels);
        return DatasetBuilder.FromArrays(images, labels, classNames, name, SplitName(split));
    }

    /// <summary>
    /// One IDX file of a split there without the other is almost always a mistake (a failed copy, a typo, a folder of
    /// that name): the error names the file that is missing rather than the whole layout.
    /// </summary>
    private static void ThrowIfHalfPresent(string directory, DatasetSplit split, string prefix)
    {
        var imagesName = $"{prefix}-images-idx3-ubyte";
        var labelsName = $"{prefix}-labels-idx1-ubyte";
        var images = FirstExisting(directory, imagesName, $"{prefix}-images.idx3-ubyte");
        var labels = FirstExisting(directory, labelsName, $"{prefix}-labels.idx1-ubyte");
        foreach (var (name, present, other) in new[] { (imagesName, images, labels), (labelsName, labels, images) })
        {
            var path = Path.Combine(directory, name);
            if (Directory.Exists(path) || Directory.Exists(path + ".gz"))
            {
                throw new LogRegDataException(Directory.Exists(path) ? path : path + ".gz", "is a directory, not a file");
            }

            if (present is null && other is not null)
            {
                throw new LogRegDataException(
                    path, $"file not found (nor {name}.gz), though {Path.GetFileName(other)} is there: the {SplitName(split)} split needs both");
            }
        }
    }

    /// <summary>
    /// Class names for a user's folder: from <c>classes.txt</c> (one per line) when present, else numbered up to the
    /// largest label in any labels file of the folder, so train and test agree on the class count.
    /// </summary>
    private static List<string> DirectoryClassNames(string directory, LabelArray loaded)
    {
        var namesPath = Path.Combine(directory, ClassNamesFile);
        var maxLabel = loaded.Labels.Length == 0 ? -1 : loaded.Labels.Max();
        if (File.Exists(namesPath) || Directory.Exists(namesPath))
        {
            var names = ReadClassNames(namesPath);

            if (names.Count <= maxLabel)
            {
                throw new LogRegDataException(
                    namesPath, string.Create(CultureInfo.InvariantCulture, $"names {names.Count} classes but {loaded.Path} has label {maxLabel}"));
            }

            return names;
        }

        foreach (var split in new[] { DatasetSplit.Train, DatasetSplit.Test })
        {
            if (FindDirectoryFiles(directory, split) is { Labels: { } other } && other != loaded.Path)
            {
                try
                {
                    var labels = ReadLabels(other).Labels;
                    maxLabel = Math.Max(maxLabel, labels.Length == 0 ? -1 : labels.Max());
                }
                catch (LogRegDataException)
                {
                    // The other split is reported when it is loaded; here it only informs the class count.
                }
            }
        }

        return [.. Dataset.NumberedClassNames(maxLabel + 1)];
    }

    /// <summary>
    /// The names of classes.txt, one per line: at most <see cref="Common.Limits.MaxClasses"/>, each distinct (a class
    /// name resolves to one class), not blank and not longer than <see cref="Common.Limits.MaxClassNameLength"/>.
    /// </summary>
    internal static List<string> ReadClassNames(string path)
    {
        var lines = DataFile.ReadAllText(path, Common.Limits.MaxClassNamesBytes).Split('\n').Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count > Common.Limits.MaxClasses)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"names {lines.Count} classes, more than the limit of {Common.Limits.MaxClasses}"));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var problem = lines[i].Length == 0 ? "is blank (every class needs a name)"
                : lines[i].Length > Common.Limits.MaxClassNameLength ? string.Create(CultureInfo.InvariantCulture, $"holds a name of {lines[i].Length} characters, more than the limit of {Common.Limits.MaxClassNameLength}")
                : seen.TryGetValue(lines[i], out var first) ? string.Create(CultureInfo.InvariantCulture, $"repeats the class name '{lines[i]}' of line {first} (each name must be distinct)")
                : null;
            if (problem is not null)
            {
                throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {i + 1} {problem}"));
            }

            seen[lines[i]] = i + 1;
        }

        return lines;
    }

    private sealed record DirectoryFiles(string? Images, string? Labels, string? Csv);

    private static DirectoryFiles? FindDirectoryFiles(string directory, DatasetSplit split)
    {
        var idxPrefix = split == DatasetSplit.Train ? "train" : "t10k";
        var word = SplitName(split);
        var images = FirstExisting(directory, $"{idxPrefix}-images-idx3-ubyte", $"{idxPrefix}-images.idx3-ubyte", $"{word}-images-idx3-ubyte");
        var labels = FirstExisting(directory, $"{idxPrefix}-labels-idx1-ubyte", $"{idxPrefix}-labels.idx1-ubyte", $"{word}-labels-idx1-ubyte");
        if (images is not null && labels is not null)
        {
            return new DirectoryFiles(images, labels, null);
        }

        var npzImages = Glob(directory, $"*{word}-imgs.npz") ?? Glob(directory, $"*{word}-images.npz");
        var npzLabels = Glob(directory, $"*{word}-labels.npz");
        if (npzImages is not null && npzLabels is not null)
        {
            return new DirectoryFiles(npzImages, npzLabels, null);
        }

        var csv = FirstExisting(directory, $"{word}.csv", $"mnist_{word}.csv") ?? Glob(directory, $"*_{word}.csv");
        return csv is not null ? new DirectoryFiles(null, null, csv) : null;
    }

    private static string? FirstExisting(string directory, params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var candidate in new[] { name, name + ".gz" })
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private static string? Glob(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern).Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Reads images from an IDX (raw or gzip), NPZ or CSV file, told apart by content and extension.</summary>
    public static ImageArray ReadImages(string path) => FormatOf(path) switch
    {
        FileFormat.Npz => NpzReader.ReadImages(path),
        FileFormat.Csv => CsvDatasetReader.ReadArrays(path).Images,
        _ => IdxReader.ReadImages(path),
    };

    /// <summary>Reads labels from an IDX (raw or gzip), NPZ or CSV file.</summary>
    public static LabelArray ReadLabels(string path) => FormatOf(path) switch
    {
        FileFormat.Npz => NpzReader.ReadLabels(path),
        FileFormat.Csv => CsvDatasetReader.ReadArrays(path).Labels,
        _ => IdxReader.ReadLabels(path),
    };

    private enum FileFormat
    {
        Idx,
        Npz,
        Csv,
    }

    private static FileFormat FormatOf(string path)
    {
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
        {
            return FileFormat.Csv;
        }

        DataFile.EnsureRegularFile(path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[4];
            if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PK\u0003\u0004"u8))
            {
                return FileFormat.Npz;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The reader reports the problem with its own message.
        }

        return path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? FileFormat.Npz : FileFormat.Idx;
    }

    /// <summary>The split's name as users write it: "train" or "test".</summary>
    public static string SplitName(DatasetSplit split) => split == DatasetSplit.Train ? "train" : "test";
}
