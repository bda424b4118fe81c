using System.Diagnostics;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// Debian's Python with its packages python3-onnx and python3-numpy, for the checks that use the reference ONNX checker
/// and NumPy. It is /usr/bin/python3 by name: a python3 earlier on PATH (pyenv, a virtual environment) lacks Debian's
/// packages. Tests skip, saying why, when it or a module is missing, unless CI=true, where .ci/run installs them and
/// their absence fails the test.
/// </summary>
public static class SystemPython
{
    public const string Executable = "/usr/bin/python3";

    private static readonly Dictionary<string, string?> WhyNotCache = [];

    public static bool Required => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>Skips the calling test (or, under CI, fails it) unless Python can import every one of <paramref name="modules"/>.</summary>
    public static void Require(params string[] modules)
    {
        var key = string.Join(',', modules);
        string? whyNot;
        lock (WhyNotCache)
        {
            if (!WhyNotCache.TryGetValue(key, out whyNot))
            {
                whyNot = Probe(modules);
                WhyNotCache[key] = whyNot;
            }
        }

        if (whyNot is not null && Required)
        {
            throw new InvalidOperationException($"{whyNot}; CI=true requires it: .ci/run installs python3-onnx and python3-numpy with apt-get");
        }

        Skip.If(whyNot is not null, $"{whyNot} (apt-get install python3-onnx python3-numpy), so this check is skipped on this machine");
    }

    /// <summary>Runs a script of examples/ with <paramref name="args"/>.</summary>
    public static CliResult RunExample(string script, params string[] args)
    {
        var root = RealData.RepositoryRoot() ?? throw new InvalidOperationException("the repository root (LogReg.slnx) was not found above the test assembly");
        return Run([Path.Combine(root, "examples", script), .. args]);
    }

    private static CliResult Run(string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Cli.RunToEnd(start);
    }

    private static string? Probe(string[] modules)
    {
        if (!File.Exists(Executable))
        {
            return $"{Executable} does not exist";
        }

        var result = Run(["-c", "import " + string.Join(", ", modules)]);
        return result.ExitCode == 0 ? null : $"{Executable} cannot import {string.Join(" and ", modules)}: {result.ErrorLines.LastOrDefault()}";
    }
}
