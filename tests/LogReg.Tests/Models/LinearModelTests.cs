using LogReg.Models;

namespace LogReg.Tests.Models;

public sealed class LinearModelTests
{
    [Fact]
    public void Logistic_probabilities_follow_the_sigmoid_and_the_threshold_decides()
    {
        var model = new LogisticRegressionModel([2f, -1f], 0.5f, 2, ["neg", "pos"], threshold: 0.9);
        var p = new float[2];

        model.PredictProbabilities([1f, 1f], p); // z = 1.5

        Assert.Equal(1 / (1 + Math.Exp(-1.5)), p[1], 5);
        Assert.Equal(1, p[0] + p[1], 6);
        Assert.Equal(0, model.Predict([1f, 1f])); // 0.82 < 0.9
        Assert.Equal(1, model.Predict([2f, 0f])); // z = 4.5 → 0.989
    }

    [Fact]
    public void Softmax_predicts_the_argmax_with_probabilities_summing_to_one()
    {
        var model = new SoftmaxRegressionModel([1f, 0f, 0f, 1f, -1f, -1f], [0f, 0f, 0f], 2, ["a", "b", "c"]);
        var p = new float[3];

        model.PredictProbabilities([3f, 1f], p);

        Assert.Equal(0, model.Predict([3f, 1f]));
        Assert.Equal(1, p.Sum(), 6);
        Assert.True(p[0] > p[1] && p[1] > p[2]);
    }

    [Fact]
    public void OneVsRest_normalises_the_sigmoids_and_predicts_the_highest_score()
    {
        var model = new OneVsRestModel([1f, -1f, 0.5f], [0f, 0f, 0f], 1, ["a", "b", "c"]);
        var p = new float[3];

        model.PredictProbabilities([2f], p);

        var s = new[] { 1 / (1 + Math.Exp(-2)), 1 / (1 + Math.Exp(2)), 1 / (1 + Math.Exp(-1)) };
        Assert.Equal(s[0] / s.Sum(), p[0], 6);
        Assert.Equal(0, model.Predict([2f]));
        Assert.Equal(1, model.Predict([-2f]));
    }

    [Fact]
    public void OneVsRest_probabilities_stay_exact_when_every_sigmoid_is_below_the_smallest_float()
    {
        // σ(−120) ≈ 8e-53: a float holds none of them, their ratios are still e^0, e^−1, e^−3.
        var model = new OneVsRestModel([0f, 0f, 0f], [-120f, -121f, -123f], 1, ["a", "b", "c"]);
        var p = new float[3];

        model.PredictProbabilities([0f], p);

        var total = 1 + Math.Exp(-1) + Math.Exp(-3);
        Assert.Equal(1 / total, p[0], 1e-6);
        Assert.Equal(Math.Exp(-1) / total, p[1], 1e-6);
        Assert.Equal(Math.Exp(-3) / total, p[2], 1e-6);
    }

    [Fact]
    public void Models_reject_inconsistent_shapes()
    {
        Assert.Throws<ArgumentException>(() => new SoftmaxRegressionModel([1f, 2f, 3f], [0f, 0f], 2, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new LogisticRegressionModel([1f], 0f, 1, ["a", "b", "c"]));
        Assert.Throws<ArgumentException>(() => new OneVsRestModel([1f, 2f], [0f, 0f], 1, ["a", "b", "c"]));
    }
}
