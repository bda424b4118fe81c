using LogReg.Estimators;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Cli;

/// <summary>
/// logreg train without training options follows the library's size rule: small data is solved by L-BFGS to the
/// L2 optimum at scikit-learn's C = 1, the same model the estimators' defaults fit; --class-weight balanced weighs it.
/// </summary>
public sealed class TrainDefaultsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (CliResult Result, TrainedModel Model) Train(params string[] options)
    {
        var folder = SyntheticFolder.Write(_dir.File("data"), train: 150, test: 60, classes: 3);
        var outDir = _dir.File("run" + options.Length);
        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, ["train", "--dataset", folder, "--out", outDir, "--no-report", .. options]);
        Assert.True(result.ExitCode == 0, result.Error);
        return (result, ModelFile.Load(Path.Combine(outDir, "model.json")));
    }

    [Fact]
    public void With_no_options_small_data_is_solved_to_the_C_1_optimum_as_the_library_default_solves_it()
    {
        var (_, model) = Train();

        Assert.Equal(OptimizerKind.Lbfgs, model.Options.Optimizer);
        Assert.Equal(Penalty.L2, model.Options.Penalty);
        Assert.Equal(1.0 / (2 * 150), model.Options.Lambda, 12);
        Assert.Equal(DefaultSolver.LbfgsTol, model.Options.Tol);
        Assert.Equal(StopReason.Converged, model.Metrics.StopReason);

        var train = Synthetic.Images(150, 3, seed: 1);
        var library = new ImageClassifier<int>(new SoftmaxRegression()).Fit(train.Pixels, 16, train.Labels.ToArray());
        var expected = library.Estimator.Model;
        Assert.Equal(expected.Weights.Length, model.Model.Weights.Length);
        for (var i = 0; i < expected.Weights.Length; i++)
        {
            Assert.True(Math.Abs(expected.Weights[i] - model.Model.Weights[i]) <= 2e-3 * Math.Max(1, Math.Abs(expected.Weights[i])), $"weight {i}: library {expected.Weights[i]}, CLI {model.Model.Weights[i]}");
        }
    }

    [Fact]
    public void A_training_option_keeps_the_options_defaults()
    {
        var (_, model) = Train("--epochs", "3", "--batch-size", "16");

        Assert.Equal(OptimizerKind.Sgd, model.Options.Optimizer);
        Assert.Equal(Penalty.None, model.Options.Penalty);
        Assert.Equal(3, model.Metrics.EpochsRun);
    }

    [Fact]
    public void Class_weight_balanced_is_recorded_and_weighs_the_classes()
    {
        var (result, model) = Train("--class-weight", "balanced", "--classes", "0,1", "--epochs", "2", "--batch-size", "16");

        Assert.Equal(ClassWeighting.Balanced, model.Options.ClassWeight);
        Assert.Contains("class weight balanced", result.Output, StringComparison.Ordinal);
    }
}
