using System.Diagnostics;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>
/// A logreg process killed outright (SIGKILL: no handler runs, as in a power cut of the process or an out-of-memory
/// kill) at random moments while it writes: every file it leaves must be whole, and a resumed experiment must finish.
/// </summary>
public sealed class CrashSafetyTests : IDisposable
{
    private const int Kills = 10;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => new() { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

    private string Data => SyntheticFolder.Write(_dir.File("data"), train: 600, test: 200, classes: 4);

    /// <summary>How long an uninterrupted run takes, so the kills can be spread over all of it.</summary>
    private TimeSpan TimeOneRun(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var process = CliProcess.Start(Env(), args);
        var exitCode = process.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"exit code {exitCode}: {process.Error}");
        return clock.Elapsed;
    }

    [Fact]
    public void Training_killed_at_random_moments_leaves_only_complete_files()
    {
        var data = Data;
        string[] Args(string output) => ["train", "--dataset", data, "--epochs", "30", "--batch-size", "8", "--val-fraction", "0.2", "--out", output];
        var duration = TimeOneRun(Args(_dir.File("timing")));
        var random = new Random(20261122);
        var checkedFiles = 0;

        for (var kill = 0; kill < Kills; kill++)
        {
            var output = _dir.File($"killed-{kill}");
            using var process = CliProcess.Start(Env(), Args(output));
            Thread.Sleep(TimeSpan.FromSeconds(duration.TotalSeconds * random.NextDouble()));
            process.Signal(CliProcess.SigKill);
            process.WaitForExit(TimeSpan.FromSeconds(30));

            checkedFiles += CompleteFiles.AssertAllComplete(output);
        }

        Assert.True(checkedFiles > 0, "no kill left any file to check: the kills all came before the first write");
    }

    [Fact]
    public void An_experiment_killed_at_random_moments_leaves_only_complete_files_and_resumes_to_the_same_results()
    {
        var spec = _dir.WriteText("spec.yaml", $"""
            name: killed
            dataset: {Data}
            options:
              epochs: 5
              batch_size: 16
              penalty: l2
            grid:
              learning_rate: [0.1, 0.03, 0.01]
              lambda: [0, 0.001]
            validation:
              method: kfold
              folds: 4
            """);
        var duration = TimeOneRun("experiment", "run", spec, "--out", "reference");
        var random = new Random(7);

        for (var kill = 0; kill < Kills; kill++)
        {
            using (var process = CliProcess.Start(Env(), "experiment", "run", spec, "--out", "killed", kill == 0 ? "--force" : "--resume"))
            {
                Thread.Sleep(TimeSpan.FromSeconds(duration.TotalSeconds * random.NextDouble()));
                process.Signal(CliProcess.SigKill);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }

            CompleteFiles.AssertAllComplete(_dir.File("killed"));
        }

        var resumed = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "killed", "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        CompleteFiles.AssertAllComplete(_dir.File("killed"));
        Assert.Equal(
            File.ReadAllText(_dir.File("reference/results.md")),
            File.ReadAllText(_dir.File("killed/results.md")).Replace(FitTime(_dir.File("killed/results.md")), FitTime(_dir.File("reference/results.md")), StringComparison.Ordinal));
    }

    /// <summary>The "Fit time N s in all." sentence, the one part of results.md that depends on the machine's speed.</summary>
    private static string FitTime(string resultsMd)
    {
        var text = File.ReadAllText(resultsMd);
        var start = text.IndexOf(" Fit time ", StringComparison.Ordinal);
        return text[start..text.IndexOf(" in all.", start, StringComparison.Ordinal)];
    }
}
