namespace LogReg.Benchmarks;

/// <summary>Where the benchmarks find real data: $LOGREG_DATA_DIR, else ../shared/datasets beside the repository.</summary>
public static class BenchmarkData
{
    public static string Directory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("LOGREG_DATA_DIR");
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var shared = Path.Combine(dir.FullName, "..", "shared", "datasets");
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "LogReg.slnx")) && System.IO.Directory.Exists(shared))
                {
                    return Path.GetFullPath(shared);
                }
            }

            throw new InvalidOperationException("set LOGREG_DATA_DIR to the datasets folder (e.g. ../shared/datasets)");
        }
    }

    public static string File(string dataset, string name) => Path.Combine(Directory, dataset, name);
}
