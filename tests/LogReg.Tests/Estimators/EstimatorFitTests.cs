using LogReg.Estimators;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

public sealed class EstimatorFitTests
{
    public static TheoryData<string> Kinds => ["logistic", "softmax", "ovr"];

    private static LinearClassifier<int> Make(string kind, int classes) => kind switch
    {
        "logistic" => new LogisticRegression(),
        "softmax" => new SoftmaxRegression(),
        _ => new OneVsRestRegression(),
    };

    private static int ClassesFor(string kind) => kind == "logistic" ? 2 : 3;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Fit_gives_fitted_state_and_outputs_of_the_documented_shapes(string kind)
    {
        var classes = ClassesFor(kind);
        var (x, y) = Blobs.Make(n: 90, d: 5, classes, seed: 3);
        var outputs = kind == "logistic" ? 1 : classes;

        var model = Make(kind, classes).Fit(x, y);

        Assert.True(model.IsFitted);
        Assert.Equal(Enumerable.Range(0, classes), model.Classes);
        Assert.Equal(5, model.FeatureCount);
        Assert.Equal([outputs, 5], new[] { model.Coef.GetLength(0), model.Coef.GetLength(1) });
        Assert.Equal(outputs, model.Intercept.Length);
        Assert.Equal(90, model.Predict(x).Length);
        Assert.Equal([90, classes], new[] { model.PredictProba(x).GetLength(0), model.PredictProba(x).GetLength(1) });
        Assert.Equal([90, classes], new[] { model.PredictLogProba(x).GetLength(0), model.PredictLogProba(x).GetLength(1) });
        Assert.Equal([90, outputs], new[] { model.DecisionFunction(x).GetLength(0), model.DecisionFunction(x).GetLength(1) });
        Assert.True(model.Score(x, y) > 0.9, $"accuracy {model.Score(x, y)} on well-separated blobs");
        Assert.Equal(model.NIter, model.History.Epochs.Count);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PredictProba_rows_sum_to_one_and_PredictLogProba_is_their_logarithm(string kind)
    {
        var (x, y) = Blobs.Make(n: 60, d: 4, ClassesFor(kind), seed: 5, spread: 1, noise: 1);
        var model = Make(kind, ClassesFor(kind)).Fit(x, y);

        var p = model.PredictProba(x);
        var logP = model.PredictLogProba(x);

        for (var i = 0; i < p.GetLength(0); i++)
        {
            double sum = 0;
            for (var k = 0; k < p.GetLength(1); k++)
            {
                sum += p[i, k];
                Assert.Equal(p[i, k], Math.Exp(logP[i, k]), tolerance: 1e-6);
            }

            Assert.Equal(1.0, sum, tolerance: 1e-5);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Predict_is_the_class_of_the_largest_probability(string kind)
    {
        var (x, y) = Blobs.Make(n: 60, d: 4, ClassesFor(kind), seed: 6, spread: 1);
        var model = Make(kind, ClassesFor(kind)).Fit(x, y);

        var predicted = model.Predict(x);
        var p = model.PredictProba(x);

        for (var i = 0; i < predicted.Length; i++)
        {
            var best = Enumerable.Range(0, p.GetLength(1)).MaxBy(k => p[i, k]);
            Assert.Equal(model.Classes[best], predicted[i]);
        }
    }

    [Fact]
    public void String_labels_are_sorted_ordinally_and_predicted_as_strings()
    {
        var (x, ints) = Blobs.Make(n: 90, d: 3, classes: 3, seed: 7, spread: 5);
        string[] names = ["cat", "Bee", "ant"];
        var y = ints.Select(i => names[i]).ToArray();

        var model = new SoftmaxRegression<string>().Fit(x, y);

        Assert.Equal(["Bee", "ant", "cat"], model.Classes);
        Assert.Equal(y, model.Predict(x));
        Assert.Equal(1.0, model.Score(x, y));
    }

    [Fact]
    public void Int_labels_need_not_be_0_to_k_minus_1()
    {
        var (x, ints) = Blobs.Make(n: 60, d: 3, classes: 2, seed: 8, spread: 5);
        var y = ints.Select(i => i == 0 ? 7 : -3).ToArray();

        var model = new LogisticRegression().Fit(x, y);

        Assert.Equal([-3, 7], model.Classes);
        Assert.Equal(y, model.Predict(x));
        // The single weight row scores Classes[1] (7): its decision is positive exactly where 7 is predicted.
        var scores = model.DecisionFunction(x);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.Equal(y[i] == 7, scores[i, 0] >= 0);
        }
    }

    [Fact]
    public void The_span_overloads_agree_with_the_array_overloads()
    {
        var (x, y) = Blobs.Make(n: 50, d: 4, classes: 3, seed: 9);
        var flat = Blobs.RowMajor(x);

        var fromArray = new OneVsRestRegression().Fit(x, y);
        var fromSpan = new OneVsRestRegression().Fit(flat, 50, 4, y);

        Assert.Equal(Blobs.Flatten(fromArray.Coef), Blobs.Flatten(fromSpan.Coef));
        Assert.Equal(fromArray.Predict(x), fromSpan.Predict(flat, 50, 4));
        Assert.Equal(Blobs.Flatten(fromArray.PredictProba(x)), Blobs.Flatten(fromSpan.PredictProba(flat, 50, 4)));
        Assert.Equal(fromArray.Score(x, y), fromSpan.Score(flat, 50, 4, y));
    }

    [Fact]
    public void Small_problems_default_to_Lbfgs_and_report_convergence()
    {
        var (x, y) = Blobs.Make(n: 100, d: 4, classes: 3, seed: 10, spread: 1);

        var model = new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 0.01 }.Fit(x, y);

        Assert.Equal(OptimizerKind.Lbfgs, model.FittedOptimizer);
        Assert.True(model.Converged, $"stopped: {model.StopReason} after {model.NIter}");
        Assert.True(model.NIter < 100);
    }

    [Fact]
    public void The_same_seed_gives_the_same_SGD_model()
    {
        var (x, y) = Blobs.Make(n: 80, d: 4, classes: 3, seed: 11);

        float[] Fit() => Blobs.Flatten(new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, BatchSize = 8, Seed = 4, Threads = 1 }.Fit(x, y).Coef);

        Assert.Equal(Fit(), Fit());
    }

    [Fact]
    public void Features_are_copied_so_changing_the_callers_array_after_Fit_changes_nothing()
    {
        var (x, y) = Blobs.Make(n: 40, d: 3, classes: 2, seed: 12);
        var model = new LogisticRegression().Fit(x, y);
        var coef = Blobs.Flatten(model.Coef);

        x[0, 0] = 1e6f;

        Assert.Equal(coef, Blobs.Flatten(model.Coef));
    }

    [Fact]
    public void Warm_start_continues_from_the_fitted_weights()
    {
        // Full-batch gradient descent at a constant rate without momentum is a fixed sequence of steps: two warm fits
        // of 3 epochs must land exactly where one cold fit of 6 epochs does.
        var (x, y) = Blobs.Make(n: 64, d: 4, classes: 3, seed: 13, spread: 1);
        var options = new TrainingOptions { Schedule = LearningRateSchedule.Constant, Threads = 1 };
        var warm = new SoftmaxRegression { Options = options, Optimizer = OptimizerKind.Sgd, BatchSize = 0, Momentum = 0, Epochs = 3, WarmStart = true };
        var cold = new SoftmaxRegression { Options = options, Optimizer = OptimizerKind.Sgd, BatchSize = 0, Momentum = 0, Epochs = 6 };

        warm.Fit(x, y);
        var afterFirst = warm.History.Epochs[^1].TrainLoss;
        warm.Fit(x, y);
        cold.Fit(x, y);

        Assert.Equal(Blobs.Flatten(cold.Coef), Blobs.Flatten(warm.Coef));
        Assert.Equal(cold.Intercept, warm.Intercept);
        Assert.True(warm.History.Epochs[0].TrainLoss < afterFirst, "the second fit starts below where the first ended");
    }

    [Fact]
    public void Without_warm_start_a_second_fit_starts_afresh()
    {
        var (x, y) = Blobs.Make(n: 64, d: 4, classes: 3, seed: 13, spread: 1);
        var model = new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, BatchSize = 16, Epochs = 2, Threads = 1 };

        var first = Blobs.Flatten(model.Fit(x, y).Coef);
        var second = Blobs.Flatten(model.Fit(x, y).Coef);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Warm_start_refuses_data_with_other_classes()
    {
        var (x, y) = Blobs.Make(n: 60, d: 3, classes: 3, seed: 14);
        var model = new SoftmaxRegression { WarmStart = true };
        model.Fit(x, y);

        var e = Assert.Throws<ArgumentException>(() => model.Fit(x, y.Select(v => v + 1).ToArray()));

        Assert.Contains("WarmStart continues the fitted model (3 classes: 0, 1, 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("fit it without WarmStart", e.Message, StringComparison.Ordinal);
    }
}
