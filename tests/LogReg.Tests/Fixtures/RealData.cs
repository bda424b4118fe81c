namespace LogReg.Tests.Fixtures;

/// <summary>
/// The real datasets for integration tests: <c>$LOGREG_DATA_DIR</c>, else <c>../shared/datasets</c> beside the repository.
/// Tests that need them skip (saying why) when neither exists.
/// </summary>
public static class RealData
{
    public static string? Directory { get; } = Find();

    public static string Require()
    {
        Skip.If(Directory is null, "no real datasets: set LOGREG_DATA_DIR (CI points it at ../shared/datasets)");
        return Directory!;
    }

    public static string Folder(string name) => Path.Combine(Require(), name);

    public static Dictionary<string, string> Sha256Sums(string name) =>
        File.ReadAllLines(Path.Combine(Folder(name), "SHA256SUMS.raw"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[1].TrimStart('*'), p => p[0]);

    private static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOGREG_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && System.IO.Directory.Exists(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var root = RepositoryRoot();
        var shared = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared", "datasets"));
        return shared is not null && System.IO.Directory.Exists(shared) ? shared : null;
    }

    /// <summary>The folder holding LogReg.slnx, found upwards from the test assembly.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LogReg.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
