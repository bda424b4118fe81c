using System.Text.Json;
using LogReg.Core;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reproduction;

/// <summary>
/// Seed 003 (the notebook) reproduced exactly on real MNIST: its gradient is a mean over the batch (dw = 1/m X(A−Y)ᵀ),
/// raw pixels, zero initial weights, full-batch steps at a constant rate, 3,000 training and 500 test images.
/// </summary>
public sealed class NotebookExactnessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] Protocol =
    [
        "--train-first", "3000", "--test-first", "500", "--normalize", "none", "--batch-size", "0", "--reduction", "mean",
        "--momentum", "0", "--schedule", "constant", "--divergence-threshold", "0", "--no-report",
    ];

    private (JsonElement Metrics, double[] TrainAccuracies) Train(string name, params string[] args)
    {
        var output = _dir.File(name);
        var result = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), ["train", .. Protocol, .. args, "--out", output]);
        Assert.True(result.ExitCode == 0, result.Error);
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))).RootElement.Clone();
        var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "history.json"))).RootElement;
        return (metrics, [.. history.EnumerateArray().Select(e => e.GetProperty("train_accuracy").GetDouble())]);
    }

    /// <summary>Correct answers out of the 3,000 training images, from an accuracy.</summary>
    private static int OutOf3000(double accuracy) => (int)Math.Round(accuracy * 3000);

    [SkippableFact]
    public void The_digit_1_model_gives_the_notebooks_99_233_and_99_0_percent()
    {
        var (metrics, _) = Train("one", "--positive", "1", "--learning-rate", "0.005", "--epochs", "100");

        Assert.Equal(2977, OutOf3000(metrics.GetProperty("train_accuracy").GetDouble())); // 99.2333 %
        Assert.Equal(495, (int)Math.Round(metrics.GetProperty("test_accuracy").GetDouble() * 500)); // 99.0 %
    }

    [SkippableFact]
    public void The_ten_unit_model_gives_the_float32_rerun_s_first_15_training_accuracies()
    {
        // A float32 re-run of the notebook's own code, printed after every iteration: 70.8, 70.8, 70.8, 72.2, 68.23,
        // 69.6, 66.83, 70.83, 72.97, 78.7, 78.8, 83.03, 74.3, 83.87, 74.27 %, as correct answers out of 3,000.
        int[] expected = [2124, 2124, 2124, 2166, 2047, 2088, 2005, 2125, 2189, 2361, 2364, 2491, 2229, 2516, 2228];

        var (_, accuracies) = Train("ovr", "--model", "ovr", "--learning-rate", "0.002", "--epochs", "15");

        Assert.Equal(expected, accuracies.Select(OutOf3000));
    }

    [SkippableFact]
    public void Under_the_notebooks_own_decision_the_ten_unit_model_prints_its_78_4_and_70_1_percent()
    {
        // The notebook decides by argmax over sigmoid outputs, where saturated units tie at 1.0 and the first wins: that
        // is why it printed 78.4 % after 10 iterations where the highest score gives 78.7 %. Its later figures come from
        // float64 arithmetic, whose trajectory parts from float32's after about 20 of these unstable full-batch steps.
        var (_, byProbabilities) = Train("probabilities", "--model", "ovr", "--learning-rate", "0.002", "--epochs", "20", "--decision", "probabilities");
        var (_, byScores) = Train("scores", "--model", "ovr", "--learning-rate", "0.002", "--epochs", "20");

        Assert.Equal(2352, OutOf3000(byProbabilities[9])); // 78.4 %
        Assert.Equal(2103, OutOf3000(byProbabilities[19])); // 70.1 %
        Assert.Equal(2361, OutOf3000(byScores[9])); // 78.7 %
    }

    [SkippableFact]
    public void The_notebooks_decision_is_refused_for_a_softmax_model_in_one_line()
    {
        var result = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "train", "--train-first", "300", "--test-first", "50", "--epochs", "1", "--decision", "probabilities", "--out", _dir.File("softmax"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: Decision Probabilities applies to one-vs-rest models only (--model ovr); other kinds decide by their scores"], result.ErrorLines);
        Assert.False(File.Exists(Path.Combine(_dir.File("softmax"), "model.json")));
    }
}
