using System.Diagnostics;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// The Slurm cluster that scripts/slurm-local.sh starts on this machine (or any cluster the Slurm commands reach). Tests
/// that submit jobs skip, saying why, when there is none, unless <see cref="Required"/>.
/// </summary>
public static class SlurmCluster
{
    /// <summary>Set by CI (.ci/run) so that a missing cluster fails the build instead of skipping the Slurm test.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("LOGREG_REQUIRE_SLURM") == "1";

    /// <summary>Skips the calling test when no Slurm cluster answers (fails instead when <see cref="Required"/>).</summary>
    public static void Require()
    {
        string? problem;
        try
        {
            var (code, output, error) = Run("sinfo", "-h", "-o", "%T");
            var states = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            problem = code != 0 ? $"sinfo failed ({error.Trim()})"
                : !states.Any(s => s.TrimEnd('*') is "idle" or "mixed" or "allocated" or "completing") ? $"no node is up (sinfo: {string.Join(", ", states)})"
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            problem = "sinfo not found (apt-get install slurmctld slurmd slurm-client munge)";
        }

        if (problem is not null && Required)
        {
            throw new InvalidOperationException($"a Slurm cluster is required (LOGREG_REQUIRE_SLURM=1, as CI sets) but {problem}: start one with bash scripts/slurm-local.sh start");
        }

        Skip.If(problem is not null, $"no Slurm cluster: {problem}; bash scripts/slurm-local.sh start runs one on this machine");
    }

    /// <summary>Runs a command to the end; (exit code, stdout, stderr).</summary>
    public static (int Code, string Output, string Error) Run(string program, params string[] args) => Run(program, args, null);

    public static (int Code, string Output, string Error) Run(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
