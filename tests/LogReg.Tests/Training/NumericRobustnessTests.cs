using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>Options and data at the edges: training reports what went wrong, or does the right thing, never NaN.</summary>
public sealed class NumericRobustnessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PreparedData Prepared(Dataset train, ScalingKind scaling = ScalingKind.Divide255) =>
        PreparedData.Prepare(train, null, new DataPreparation { Scaling = scaling });

    /// <summary>Images whose labels have nothing to do with their pixels: no weights separate them, so a huge step overshoots.</summary>
    private static Dataset Unlearnable()
    {
        var images = Synthetic.Images(300, 3, seed: 1);
        var random = new Random(5);
        return images.WithLabels(Enumerable.Range(0, images.Count).Select(_ => random.Next(3)).ToArray(), images.ClassNames, "shuffled labels");
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    public void A_learning_rate_of_a_million_is_reported_as_divergence_and_the_best_weights_are_kept(ModelKind kind)
    {
        var data = Prepared(Unlearnable());

        var outcome = TrainingPipeline.Train(data, kind, new TrainingOptions { LearningRate = 1e6, Epochs = 5, BatchSize = 16 });

        Assert.Equal(StopReason.Diverged, outcome.Metrics.StopReason);
        Assert.Contains("training diverged in epoch", outcome.Result.Warning, StringComparison.Ordinal);
        Assert.True(outcome.Result.Parameters.IsFinite());
        Assert.True(double.IsFinite(outcome.Metrics.TrainLoss));
    }

    [SkippableFact]
    public void A_learning_rate_of_a_million_through_the_cli_warns_keeps_the_model_and_exits_0()
    {
        var result = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "train", "--train-first", "2000", "--learning-rate", "1e6", "--epochs", "5", "--out", "run", "--no-report");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: training diverged in epoch 1", result.Error, StringComparison.Ordinal);
        Assert.True(ModelFile.Load(_dir.File("run/model.json")).Model.ToParameters().IsFinite());
    }

    [Fact]
    public void A_training_set_of_one_class_is_a_clear_error_for_softmax_and_for_a_class_pair()
    {
        var oneClass = Synthetic.Images(30, 3, seed: 1).Select(Enumerable.Range(0, 30).Where(i => i % 3 == 1).ToArray(), "class 1 only");
        var firstOnly = Synthetic.Images(60, 3, seed: 1);

        var softmax = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Prepared(oneClass));
        var pair = Assert.Throws<LogReg.Common.InvalidSettingException>(() => PreparedData.Prepare(Subsets.First(firstOnly, 1), null, new DataPreparation { Classes = ClassSubset.Pair(0, 2) }));

        Assert.Contains("holds only class 1 (10 images); a classifier needs images of at least two classes", softmax.Message, StringComparison.Ordinal);
        Assert.Contains("holds only class", pair.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_training_set_of_one_class_through_the_cli_is_one_line_and_exit_2()
    {
        var data = SyntheticFolder.Write(_dir.File("data"), train: 200, test: 50, classes: 3);

        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "train", "--dataset", data, "--classes", "0,1", "--train-first", "1", "--out", "run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a classifier needs images of at least two classes", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("run")));
    }

    [Theory]
    [InlineData(ScalingKind.ZScore)]
    [InlineData(ScalingKind.MinMax)]
    public void Constant_images_scale_to_zero_features_and_train_without_nan(ScalingKind scaling)
    {
        var pixels = new byte[60 * 16];
        pixels.AsSpan().Fill(7);
        var labels = Enumerable.Range(0, 60).Select(i => i % 3).ToArray();
        var constant = new Dataset(pixels, labels, new ImageShape(4, 4), Dataset.NumberedClassNames(3), DatasetProvenance.ForFiles("constant", "train"));

        var outcome = TrainingPipeline.Train(Prepared(constant, scaling), ModelKind.Softmax, new TrainingOptions { Epochs = 3, BatchSize = 8 });

        Assert.True(outcome.Result.Parameters.IsFinite());
        Assert.Equal(Math.Log(3), outcome.Metrics.TrainLoss, 3); // nothing to learn from: every class equally likely
        Assert.Equal(StopReason.Completed, outcome.Metrics.StopReason);
    }

    [Fact]
    public void A_huge_l2_penalty_drives_the_weights_to_zero_with_lbfgs()
    {
        var data = Prepared(Synthetic.Images(200, 3, seed: 1));

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, Momentum = 0, Penalty = Penalty.L2, Lambda = 1e6, MaxIterations = 100 });

        Assert.All(outcome.Model.Model.Weights.ToArray(), w => Assert.True(Math.Abs(w) < 1e-6, $"weight {w}"));
        Assert.Equal(Math.Log(3), outcome.Metrics.TrainLoss, 3);
    }

    [Fact]
    public void A_huge_l1_penalty_makes_every_weight_exactly_zero_with_proximal_sgd()
    {
        var data = Prepared(Synthetic.Images(200, 3, seed: 1));

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Penalty = Penalty.L1, Lambda = 1e3, Epochs = 3, BatchSize = 16 });

        Assert.All(outcome.Model.Model.Weights.ToArray(), w => Assert.Equal(0f, w));
    }

    [Fact]
    public void A_huge_l2_penalty_with_sgd_is_reported_as_divergence_rather_than_returning_nan()
    {
        var data = Prepared(Unlearnable());

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Penalty = Penalty.L2, Lambda = 1e6, Epochs = 5, BatchSize = 16 });

        Assert.True(outcome.Result.Parameters.IsFinite());
        Assert.Equal(StopReason.Diverged, outcome.Metrics.StopReason);
        Assert.Contains("try a smaller learning rate", outcome.Result.Warning, StringComparison.Ordinal);
    }
}
