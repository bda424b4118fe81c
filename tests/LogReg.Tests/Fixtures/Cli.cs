using System.Diagnostics;
using LogReg.Cli;

namespace LogReg.Tests.Fixtures;

/// <summary>What a <c>logreg</c> run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] OutputLines => Output.Split('\n');
}

/// <summary>Runs <c>logreg</c> in-process (fast, same code path as the executable) or as a real child process.</summary>
public static class Cli
{
    /// <summary>Runs in-process with only the given environment variables (plus a private cache folder).</summary>
    public static CliResult Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = CliEnvironment.ForTest(output, error, environment, environment.TryGetValue("PWD", out var pwd) ? pwd : Path.GetTempPath());
        var code = CliApplication.Run(args, env);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>An environment with the real data directory and a cache folder of the caller's.</summary>
    public static Dictionary<string, string> WithRealData(string cacheHome) => new()
    {
        ["LOGREG_DATA_DIR"] = RealData.Require(),
        ["XDG_CACHE_HOME"] = cacheHome,
    };

    /// <summary>An environment with the real data, working in <paramref name="folder"/> with its own cache folder there.</summary>
    public static Dictionary<string, string> WithRealDataIn(TempDirectory folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var env = WithRealData(folder.File("xdg"));
        env["PWD"] = folder.Path;
        return env;
    }

    /// <summary>Runs the built executable as a child process, as a user would from a shell.</summary>
    public static CliResult RunProcess(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunToEnd(StartInfo(environment, Command(args)));

    /// <summary>The command line that runs the built executable with <paramref name="args"/>.</summary>
    public static string[] Command(IEnumerable<string> args) => ["dotnet", Path.Combine(AppContext.BaseDirectory, "LogReg.Cli.dll"), .. args];

    /// <summary>
    /// How to start <paramref name="command"/> (the program, then its arguments) with its output captured, the variables
    /// of <paramref name="environment"/> set, in the folder its PWD names.
    /// </summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        if (environment.TryGetValue("PWD", out var directory) && directory.Length > 0)
        {
            start.WorkingDirectory = directory;
        }

        return start;
    }

    /// <summary>Starts the process, waits for it (killing it after two minutes) and returns its exit code and output.</summary>
    public static CliResult RunToEnd(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in 120 s");
        }

        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
