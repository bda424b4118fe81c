using System.Collections.Concurrent;
using System.Diagnostics;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// The built logreg executable running as a child process, for what only a real process shows: signals (Ctrl+C is
/// SIGINT), being killed mid-write, exit codes. Output lines are collected as they come so a test can wait for one.
/// </summary>
public sealed class CliProcess : IDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _error = new();
    private readonly Task _stdout;
    private readonly Task _stderr;

    private CliProcess(Process process)
    {
        _process = process;
        _stdout = Collect(process.StandardOutput, _output);
        _stderr = Collect(process.StandardError, _error);
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _output);

    public string Error => string.Join('\n', _error);

    private static Task Collect(StreamReader reader, ConcurrentQueue<string> lines) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lines.Enqueue(line);
        }
    });

    public static CliProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(Process.Start(Cli.StartInfo(environment, Cli.Command(args)))!);

    /// <summary>Waits until a line of standard output satisfies <paramref name="predicate"/>; false if the process ended or time ran out first.</summary>
    public bool WaitForOutput(Func<string, bool> predicate, TimeSpan timeout) => WaitFor(_output, predicate, timeout);

    /// <summary>Waits until a line of standard error satisfies <paramref name="predicate"/>; false if the process ended or time ran out first.</summary>
    public bool WaitForError(Func<string, bool> predicate, TimeSpan timeout) => WaitFor(_error, predicate, timeout);

    private bool WaitFor(ConcurrentQueue<string> lines, Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (lines.Any(predicate))
            {
                return true;
            }

            if (_process.HasExited)
            {
                _stdout.Wait(TimeSpan.FromSeconds(10));
                _stderr.Wait(TimeSpan.FromSeconds(10));
                return lines.Any(predicate);
            }

            Thread.Sleep(10);
        }

        return false;
    }

    /// <summary>Sends a Unix signal, as Ctrl+C (SIGINT) or kill -9 (SIGKILL) would.</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with exit code {kill.ExitCode}");
        }
    }

    /// <summary>Waits for the process to end and returns its exit code; kills it and throws when it does not end in time.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"logreg did not exit within {timeout.TotalSeconds:0.#} s; output so far:\n{Output}\n{Error}");
        }

        Task.WaitAll([_stdout, _stderr], TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
