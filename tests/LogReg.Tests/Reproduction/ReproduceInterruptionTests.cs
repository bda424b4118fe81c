using System.Text.Json;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reproduction;

/// <summary>Ctrl+C (SIGINT) sent to a real <c>logreg reproduce</c> process, then <c>--resume</c>.</summary>
public sealed class ReproduceInterruptionTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The notebook's two presets on 3,000 MNIST images: the digit-1 model (one quick run), then ten one-vs-rest units at
    /// eight learning rates (eight runs of 300 iterations), so Ctrl+C lands while the second experiment is running.
    /// </summary>
    private string Presets()
    {
        return NotebookSpecs.Write(
            _dir,
            $"""
                name: mnist-1-vs-rest
                positive: 1
                {NotebookSpecs.Data}
                model: logistic
                options:
                  epochs: 20
                  batch_size: 0
                  learning_rate: 0.005
                  reduction: mean
                  divergence_threshold: 0
                  momentum: 0
                select: train_accuracy
                test: runs
                """,
            $"""
                name: mnist-ovr
                {NotebookSpecs.Data}
                model: ovr
                options:
                  epochs: 300
                  batch_size: 0
                  reduction: mean
                  decision: probabilities
                  divergence_threshold: 0
                  momentum: 0
                grid:
                  learning_rate: [0.002, 0.0015, 0.001, 0.0007, 0.0005, 0.0003, 0.0002, 0.0001]
                select: train_accuracy
                test: runs
                """);
    }

    [SkippableFact]
    public void Ctrl_c_during_reproduce_leaves_a_resumable_folder_and_a_rerun_with_resume_completes_it()
    {
        var env = Fixtures.Cli.WithRealDataIn(_dir);
        var specs = Presets();
        var output = _dir.File("notebook");
        int finished;
        using (var process = CliProcess.Start(env, "reproduce", "mnist-notebook", "--specs", specs, "--out", output))
        {
            // The first of the ten-unit runs has finished: seven are left to interrupt.
            Assert.True(process.WaitForOutput(l => l.StartsWith("[1/8]", StringComparison.Ordinal), Generous), process.Output + process.Error);

            process.Signal(CliProcess.SigInt);

            var code = process.WaitForExit(Generous);
            Assert.True(code == 130, $"exit code {code} (130 expected: the runs must outlast the signal)\n{process.Output}\n{process.Error}");
            Assert.Contains("interrupted: rerun with --resume to finish the remaining", process.Error, StringComparison.Ordinal);
        }

        // What was finished is kept whole, and the document is written, marked incomplete.
        CompleteFiles.AssertAllComplete(output);
        finished = Directory.GetFiles(Path.Combine(output, "mnist-ovr"), "metrics.json", SearchOption.AllDirectories).Length;
        Assert.InRange(finished, 1, 7);
        Assert.Single(Directory.GetFiles(Path.Combine(output, "mnist-1-vs-rest"), "metrics.json", SearchOption.AllDirectories));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "reproduction.json"))))
        {
            Assert.True(json.RootElement.GetProperty("interrupted").GetBoolean());
            Assert.Equal(1 + finished, json.RootElement.GetProperty("runs_finished").GetInt32());
            Assert.Equal(9, json.RootElement.GetProperty("runs_total").GetInt32());
        }

        Assert.Contains("<strong>Incomplete.</strong>", File.ReadAllText(Path.Combine(output, "reproduction.html")), StringComparison.Ordinal);

        var resumed = Fixtures.Cli.Run(env, "reproduce", "mnist-notebook", "--specs", specs, "--out", output, "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("mnist-1-vs-rest: 1 of 1 runs finished (1 already done)", resumed.Output, StringComparison.Ordinal);
        Assert.Contains($"mnist-ovr: 8 of 8 runs finished ({finished} already done)", resumed.Output, StringComparison.Ordinal);
        using var done = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "reproduction.json")));
        Assert.False(done.RootElement.GetProperty("interrupted").GetBoolean());
        Assert.Equal(9, done.RootElement.GetProperty("runs_finished").GetInt32());
        Assert.DoesNotContain("<strong>Incomplete.</strong>", File.ReadAllText(Path.Combine(output, "reproduction.html")), StringComparison.Ordinal);
    }
}
