using LogReg.Core;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Models;

/// <summary>One-vs-rest's two decision rules: the highest score (default) and the highest sigmoid, ties to the first.</summary>
public sealed class DecisionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Saturated_sigmoids_tie_at_one_and_the_first_unit_wins_where_the_highest_score_would_not()
    {
        float[] scores = [-3f, 40f, 55f, 2f];

        Assert.Equal(1, DecisionRules.FirstHighestSigmoid(scores));
        Assert.Equal(2, DecisionRules.PredictFromLogits(ModelKind.OneVsRest, scores, 0f));
        Assert.Equal(2, DecisionRules.FirstHighestSigmoid([-3f, 4f, 5f, 2f]));
    }

    [Fact]
    public void A_one_vs_rest_model_predicts_by_its_decision_and_the_model_file_keeps_it()
    {
        var trained = ModelFileTests.TrainSmall(ModelKind.OneVsRest);
        var byProbabilities = trained.Model with
        {
            Model = LinearModel.Create(ModelKind.OneVsRest, new LinearParameters(trained.Model.Model.Weights.ToArray(), trained.Model.Model.Bias.ToArray(), trained.Model.Model.FeatureCount), trained.Model.Model.ClassNames, decision: Decision.Probabilities),
            Options = trained.Model.Options with { Decision = Decision.Probabilities },
        };
        var path = _dir.File("model.json");

        ModelFile.Save(byProbabilities, path);
        var loaded = ModelFile.Load(path);

        var model = Assert.IsType<OneVsRestModel>(loaded.Model);
        Assert.Equal(Decision.Probabilities, model.Decision);
        Assert.Equal(1, model.PredictFromScores([-3f, 40f, 55f, 2f]));
        Assert.Equal(2, Assert.IsType<OneVsRestModel>(trained.Model.Model).PredictFromScores([-3f, 40f, 55f, 2f]));
    }

    [Fact]
    public void The_sigmoid_decision_is_refused_for_models_that_decide_by_score_alone()
    {
        var data = PreparedData.Prepare(Synthetic.Images(60, 4, seed: 1), null, new DataPreparation());

        var error = Assert.ThrowsAny<ArgumentException>(() => TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Epochs = 1, BatchSize = 0, Decision = Decision.Probabilities }));

        Assert.Contains("one-vs-rest models only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_by_the_sigmoid_decision_changes_only_the_accuracy_it_reports()
    {
        // Raw pixels and a large rate saturate the units, where the two rules part; losses and weights stay the same.
        var data = PreparedData.Prepare(Synthetic.Images(200, 4, seed: 3), null, new DataPreparation { Scaling = ScalingKind.None });
        var options = new TrainingOptions { Epochs = 3, BatchSize = 0, Momentum = 0, LearningRate = 0.05, Schedule = LearningRateSchedule.Constant, DivergenceThreshold = 0 };

        var byScores = TrainingPipeline.Train(data, ModelKind.OneVsRest, options, new ScalarReferenceKernel());
        var byProbabilities = TrainingPipeline.Train(data, ModelKind.OneVsRest, options with { Decision = Decision.Probabilities }, new ScalarReferenceKernel());

        Assert.Equal(byScores.Model.Model.Weights.ToArray(), byProbabilities.Model.Model.Weights.ToArray());
        Assert.Equal(byScores.Result.History.Epochs.Select(e => e.TrainLoss), byProbabilities.Result.History.Epochs.Select(e => e.TrainLoss));
        var model = (OneVsRestModel)byProbabilities.Model.Model;
        var features = data.TrainProblem(ModelKind.OneVsRest).Features;
        var scores = new float[features.Rows * model.Outputs];
        new ScalarReferenceKernel().Scores(features, model.Outputs, model.Weights, model.Bias, scores);
        var expected = Enumerable.Range(0, features.Rows).Count(i => DecisionRules.FirstHighestSigmoid(scores.AsSpan(i * model.Outputs, model.Outputs)) == data.TrainProblem(ModelKind.OneVsRest).Labels[i]);
        Assert.Equal((double)expected / features.Rows, byProbabilities.Metrics.TrainAccuracy, 12);
    }

    [Fact]
    public void The_sigmoid_decision_counts_a_mini_batch_by_its_own_rows_and_leaves_the_gradient_alone()
    {
        // Rows (1, 0) of class 0 score 40 and 55 on units 0 and 1: both sigmoids are exactly 1.0, so the sigmoid rule
        // picks unit 0 (right) and the score rule unit 1 (wrong). Rows (0, 1) of class 2 score 20 on unit 2 alone.
        var features = Enumerable.Range(0, 90).Select(i => i % 3 == 0 ? new[] { 0f, 1f } : new[] { 1f, 0f }).ToArray();
        var problem = Fixtures.Synthetic.FromRows(ModelKind.OneVsRest, 4, features, [.. Enumerable.Range(0, 90).Select(i => i % 3 == 0 ? 2 : 0)]);
        float[] w = [40f, 0f, 55f, 0f, 0f, 20f, 0f, 0f];
        float[] b = [0f, 0f, 0f, -5f];
        var inner = new ScalarReferenceKernel();
        var kernel = new SigmoidArgMaxKernel(inner);
        int[] rows = [5, 17, 3, 88, 40, 41, 60];
        var (g1, gb1, g2, gb2) = (new float[w.Length], new float[4], new float[w.Length], new float[4]);

        var counted = kernel.LossAndGradient(problem, rows, w, b, g1, gb1);
        var plain = inner.LossAndGradient(problem, rows, w, b, g2, gb2);

        var scores = new float[problem.Rows * 4];
        inner.Scores(problem.Features, 4, w, b, scores);
        var expected = rows.Count(r => DecisionRules.FirstHighestSigmoid(scores.AsSpan(r * 4, 4)) == problem.Labels[r]);
        Assert.Equal(expected, counted.Correct);
        Assert.NotEqual(plain.Correct, counted.Correct); // saturated units: the two rules part on these rows
        Assert.Equal(plain.LossSum, counted.LossSum);
        Assert.Equal(g2, g1);
        Assert.Equal(gb2, gb1);
        Assert.Equal(kernel.Evaluate(problem, w, b, 0).Correct, Enumerable.Range(0, problem.Rows).Count(r => DecisionRules.FirstHighestSigmoid(scores.AsSpan(r * 4, 4)) == problem.Labels[r]));
    }
}
