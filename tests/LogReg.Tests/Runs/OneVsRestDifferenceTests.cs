using LogReg.Core;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Runs;

public sealed class OneVsRestDifferenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static TrainingOutcome PairOutcome(Dataset train) =>
        TrainingPipeline.Train(PreparedData.Prepare(train, null, new DataPreparation { Classes = ClassSubset.Pair(0, 2) }), ModelKind.Logistic, new TrainingOptions { Epochs = 3, BatchSize = 16 });

    [Fact]
    public void It_is_the_weights_of_positive_vs_rest_minus_negative_vs_rest_trained_like_the_pair_model()
    {
        var train = Synthetic.Images(150, 3, seed: 4);
        var pair = PairOutcome(train).Model;

        var difference = OneVsRestDifference.Train(pair, train);

        float[] Fit(int positive) => TrainingPipeline.Train(
            PreparedData.Prepare(train, null, new DataPreparation { Classes = ClassSubset.OneVsRest(positive) }),
            ModelKind.Logistic,
            pair.Options with { Threads = 0 }).Model.Model.WeightsOf(0).ToArray();
        var (two, zero) = (Fit(2), Fit(0));
        Assert.Equal(Enumerable.Range(0, two.Length).Select(i => two[i] - zero[i]), difference.Weights);
        Assert.Equal(("0", "2", 150), (difference.NegativeClass, difference.PositiveClass, difference.TrainingImages));
    }

    [Fact]
    public void It_applies_to_logistic_models_of_a_class_pair_only()
    {
        var train = Synthetic.Images(90, 3, seed: 4);
        var softmax = TrainingPipeline.Train(PreparedData.Prepare(train, null, new DataPreparation()), ModelKind.Softmax, new TrainingOptions { Epochs = 1, BatchSize = 16 }).Model;

        Assert.True(OneVsRestDifference.AppliesTo(PairOutcome(train).Model));
        Assert.False(OneVsRestDifference.AppliesTo(softmax));
        Assert.Throws<ArgumentException>(() => OneVsRestDifference.Train(softmax, train));
    }

    [Fact]
    public void A_saved_difference_reads_back_exactly_and_a_missing_one_reads_as_none()
    {
        var saved = new OneVsRestDifference("zero", "two", 12, [0.1f, -3e-8f, float.MaxValue, -1.5f]);

        Assert.Null(OneVsRestDifference.Read(_dir.Path, 4));
        saved.Write(_dir.Path);
        var read = OneVsRestDifference.Read(_dir.Path, 4)!;

        Assert.Equal((saved.NegativeClass, saved.PositiveClass, saved.TrainingImages), (read.NegativeClass, read.PositiveClass, read.TrainingImages));
        Assert.Equal(saved.Weights, read.Weights);
    }

    [Theory]
    [InlineData("not json", "is not a valid one-vs-rest difference file")]
    [InlineData("{\"format\":\"something else\",\"weights\":[1,2]}", "is not a one-vs-rest difference file")]
    [InlineData("{\"format\":\"logreg-ovr-difference\",\"negative_class\":\"a\",\"positive_class\":\"b\",\"training_images\":3,\"weights\":[1,2,3]}", "must hold 2 weights, one per feature of the model")]
    [InlineData("{\"format\":\"logreg-ovr-difference\",\"negative_class\":\"a\",\"positive_class\":\"b\",\"training_images\":3,\"weights\":[1,\"x\"]}", "weight 1 is not a finite number")]
    [InlineData("{\"format\":\"logreg-ovr-difference\",\"negative_class\":\"a\",\"positive_class\":\"b\",\"training_images\":3,\"weights\":[1,1e300]}", "weight 1 is not a finite number")]
    [InlineData("{\"format\":\"logreg-ovr-difference\",\"weights\":[1,2]}", "is not a valid one-vs-rest difference file")]
    public void A_damaged_file_is_a_data_error_naming_the_file(string content, string problem)
    {
        File.WriteAllText(_dir.File(OneVsRestDifference.FileName), content);

        var error = Assert.Throws<LogRegDataException>(() => OneVsRestDifference.Read(_dir.Path, 2));

        Assert.Equal(_dir.File(OneVsRestDifference.FileName), error.FilePath);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_run_in_the_folder_removes_the_difference_of_the_old_one()
    {
        var train = Synthetic.Images(90, 3, seed: 4);
        new OneVsRestDifference("0", "2", 1, new float[16]).Write(_dir.Path);

        RunFiles.Write(_dir.Path, PairOutcome(train));

        Assert.False(File.Exists(_dir.File(OneVsRestDifference.FileName)));
    }
}

public sealed class TrainingPipelineTestEvaluationTests
{
    [Fact]
    public void The_test_split_is_scored_once_and_the_metrics_are_that_evaluations()
    {
        var data = PreparedData.Prepare(Synthetic.Images(150, 3, seed: 4), Synthetic.Images(60, 3, seed: 5), new DataPreparation());

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Epochs = 3, BatchSize = 16 });

        var evaluation = Assert.IsType<EvaluationReport>(outcome.TestEvaluation);
        Assert.Equal(60, evaluation.Count);
        Assert.Equal(evaluation.Accuracy, outcome.Metrics.TestAccuracy);
        Assert.Equal(evaluation.MeanLoss, outcome.Metrics.TestLoss);
        Assert.Equal(evaluation.Accuracy, evaluation.Confusion.Accuracy);
        Assert.True(evaluation.ConfidentMistakes.Count <= TrainingPipeline.KeptMistakes);
        Assert.Equal(outcome.Result.History.Epochs[^1].TestAccuracy!.Value, evaluation.Accuracy, 12);
    }

    [Fact]
    public void Without_a_test_split_there_is_no_test_evaluation()
    {
        var data = PreparedData.Prepare(Synthetic.Images(90, 3, seed: 4), null, new DataPreparation());

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Epochs = 1, BatchSize = 16 });

        Assert.Null(outcome.TestEvaluation);
        Assert.Null(outcome.Metrics.TestAccuracy);
    }
}
