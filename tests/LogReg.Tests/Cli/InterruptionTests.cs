using System.Text.Json;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) sent to a real logreg process, as a terminal sends it.</summary>
public sealed class InterruptionTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    [SkippableFact]
    public void Ctrl_c_during_training_saves_the_model_history_and_a_report_marked_interrupted_and_exits_130()
    {
        var output = _dir.File("run");
        using var process = CliProcess.Start(Env(), "train", "--epochs", "400", "--train-first", "20000", "--out", output);
        Assert.True(process.WaitForOutput(l => l.StartsWith("epoch 3/400", StringComparison.Ordinal), Generous), process.Output + process.Error);

        process.Signal(CliProcess.SigInt);
        var code = process.WaitForExit(Generous);

        Assert.Equal(130, code);
        Assert.Contains("interrupting: stopping after the current batch", process.Error, StringComparison.Ordinal);
        var model = ModelFile.Load(Path.Combine(output, "model.json"));
        Assert.Equal(LogReg.Training.StopReason.Interrupted, model.Metrics.StopReason);
        var history = TrainingHistory.ReadJson(Path.Combine(output, "history.json"));
        Assert.InRange(history.Epochs.Count, 3, 399);
        Assert.Equal(history.Epochs.Count, model.Metrics.EpochsRun);

        // The model is the last whole epoch's, not the half-stepped weights of the epoch Ctrl+C cut short.
        Assert.Equal(history.Epochs.Count, model.Metrics.BestEpoch);
        Assert.Equal(history.Epochs[^1].TestAccuracy!.Value, model.Metrics.TestAccuracy!.Value, 6);
        Assert.Contains("Training was interrupted after", File.ReadAllText(Path.Combine(output, "report.html")), StringComparison.Ordinal);
        Assert.Contains("interrupted after", process.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_second_ctrl_c_quits_at_once_leaving_no_half_written_file()
    {
        var output = _dir.File("run");
        using var process = CliProcess.Start(Env(), "train", "--epochs", "400", "--train-first", "20000", "--out", output);
        Assert.True(process.WaitForOutput(l => l.StartsWith("epoch 3/400", StringComparison.Ordinal), Generous), process.Output + process.Error);

        process.Signal(CliProcess.SigInt);

        // Two signals sent back to back can arrive as one (the kernel does not queue them): send the second once the
        // first has been seen, as a person pressing Ctrl+C twice would.
        Assert.True(process.WaitForError(l => l.StartsWith("interrupting:", StringComparison.Ordinal), Generous), process.Error);
        process.Signal(CliProcess.SigInt);
        var code = process.WaitForExit(TimeSpan.FromSeconds(10));

        Assert.Equal(130, code);
        Assert.Contains("interrupted again: quitting at once", process.Error, StringComparison.Ordinal);
        CompleteFiles.AssertAllComplete(output);
    }

    [SkippableFact]
    public void Ctrl_c_during_an_experiment_keeps_the_finished_runs_and_resume_completes_it()
    {
        var spec = _dir.WriteText("spec.yaml", """
            name: interrupted
            dataset: mnist
            train_first: 4000
            test_first: 1000
            options:
              epochs: 24
              batch_size: 32
            grid:
              learning_rate: [0.1, 0.03, 0.01, 0.003]
            validation:
              method: kfold
              folds: 4
            """);
        using (var process = CliProcess.Start(Env(), "experiment", "run", spec, "--out", "exp"))
        {
            Assert.True(process.WaitForOutput(l => l.StartsWith("[2/16]", StringComparison.Ordinal), Generous), process.Output + process.Error);

            process.Signal(CliProcess.SigInt);

            var code = process.WaitForExit(Generous);
            Assert.True(code == 130, $"exit code {code} (130 expected: the runs must outlast the signal)\n{process.Output}\n{process.Error}");
            Assert.Contains("interrupted: rerun with --resume to finish the remaining", process.Error, StringComparison.Ordinal);
        }

        var finished = Directory.GetFiles(_dir.File("exp"), "metrics.json", SearchOption.AllDirectories).Length;
        Assert.InRange(finished, 2, 15);
        CompleteFiles.AssertAllComplete(_dir.File("exp"));
        Assert.Contains($"Only {finished} of 16 runs have finished", File.ReadAllText(_dir.File("exp/report.html")), StringComparison.Ordinal);

        var resumed = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "exp", "--resume");

        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains($"16 of 16 runs finished ({finished} already done)", resumed.Output, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(File.ReadAllText(_dir.File("exp/results.json")));
        Assert.Equal(16, results.RootElement.GetProperty("finished_runs").GetInt32());
    }
}
