using LogReg.Common;
using LogReg.Core;
using LogReg.Estimators;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

public sealed class EstimatorArgumentTests
{
    private static readonly float[,] FourRows = { { 0, 1 }, { 1, 0 }, { 2, 1 }, { 3, 0 } };

    [Fact]
    public void The_binary_estimator_refuses_three_classes_and_names_the_alternatives()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogisticRegression().Fit(FourRows, [0, 1, 2, 2]));

        Assert.Equal("y", e.ParamName);
        Assert.Contains("LogisticRegression is binary but y holds 3 classes (0, 1, 2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("use SoftmaxRegression or OneVsRestRegression", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_class_only_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression<string>().Fit(FourRows, ["a", "a", "a", "a"]));

        Assert.Contains("needs at least two classes but y holds only 'a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_and_rows_of_different_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression().Fit(FourRows, [0, 1, 1]));

        Assert.Equal("y", e.ParamName);
        Assert.Contains("y has 3 labels but X has 4 rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_whose_length_is_not_rows_times_features_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression().Fit(new float[7], 4, 2, [0, 1, 0, 1]));

        Assert.Contains("the features hold 7 values but 4 rows × 2 features need 8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void Non_finite_features_are_refused_with_their_position(float value, string shown)
    {
        var x = (float[,])FourRows.Clone();
        x[2, 1] = value;

        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression().Fit(x, [0, 1, 0, 1]));

        Assert.Contains($"the features hold {shown} at row 2, column 1; every value must be finite", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_labels_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxRegression<string>().Fit(FourRows, ["a", null!, "b", "a"]));

        Assert.Contains("y[1] is null", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<Func<LinearClassifier<int>>, string, string> BadOptions => new()
    {
        { () => new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, LearningRate = -1 }, "LearningRate", "LearningRate must be > 0 (was -1); typical values are 0.001 to 1" },
        { () => new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, Momentum = 1.5 }, "Momentum", "Momentum must be in [0, 1) (was 1.5); 0.9 is usual" },
        { () => new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, Epochs = 0 }, "Epochs", "Epochs must be ≥ 1 (was 0); 10 is usual for SGD" },
        { () => new SoftmaxRegression { MaxIterations = -5 }, "MaxIterations", "MaxIterations must be ≥ 1 (was -5); the default 500 reaches the optimum" },
        { () => new SoftmaxRegression { Lambda = 0.1 }, "Lambda", "Lambda is 0.1 but Penalty is None; choose a penalty" },
        { () => new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, BatchSize = -2 }, "BatchSize", "BatchSize must be ≥ 0" },
        { () => new SoftmaxRegression { Threads = -1 }, "Threads", "Threads must be between 0 (one per core) and 256 (was -1)" },
        { () => new SoftmaxRegression { Options = new TrainingOptions { EarlyStopping = true } }, "options", "EarlyStopping needs a validation set: set ValidationFraction (e.g. 0.1)" },
        { () => new SoftmaxRegression { Options = new TrainingOptions { ValidationFraction = 1.5 } }, "ValidationFraction", "ValidationFraction must be in [0, 1) (was 1.5); e.g. 0.1 holds out 10 %" },
        { () => new SoftmaxRegression { Options = new TrainingOptions { Decision = Decision.Probabilities } }, "options", "Decision Probabilities applies to one-vs-rest models only" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_values_are_refused_at_Fit_naming_the_option_the_range_and_the_value(Func<LinearClassifier<int>> make, string option, string message)
    {
        var model = make(); // the options are only checked at Fit, when the data size is known

        var e = Assert.ThrowsAny<ArgumentException>(() => model.Fit(FourRows, [0, 1, 0, 1]));

        Assert.Equal(option, e.ParamName);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.False(model.IsFitted);
    }

    [Fact]
    public void A_batch_larger_than_the_data_is_cut_to_the_data()
    {
        var model = new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, BatchSize = 1000 }.Fit(FourRows, [0, 1, 0, 1]);

        Assert.Equal(10, model.NIter);
    }

    [Fact]
    public void PartialFit_refuses_the_probabilities_decision_for_softmax_as_Fit_does()
    {
        var model = new SoftmaxRegression { Options = new TrainingOptions { Decision = Decision.Probabilities } };

        var e = Assert.Throws<InvalidSettingException>(() => model.PartialFit(FourRows, [0, 1, 0, 1], [0, 1]));

        Assert.Contains("Decision Probabilities applies to one-vs-rest models only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_vs_rest_keeps_the_decision_it_was_fitted_with()
    {
        var fitted = new OneVsRestRegression { Options = new TrainingOptions { Decision = Decision.Probabilities } }.Fit(FourRows, [0, 1, 2, 1]);
        var partial = new OneVsRestRegression { Options = new TrainingOptions { Decision = Decision.Probabilities } };
        partial.PartialFit(FourRows, [0, 1, 2, 1], [0, 1, 2]);

        Assert.Equal(Decision.Probabilities, Assert.IsType<LogReg.Models.OneVsRestModel>(fitted.Model).Decision);
        Assert.Equal(Decision.Probabilities, Assert.IsType<LogReg.Models.OneVsRestModel>(partial.Model).Decision);
    }

    [Fact]
    public void PartialFit_refuses_the_Lbfgs_optimizer()
    {
        var e = Assert.Throws<InvalidSettingException>(() => new SoftmaxRegression { Optimizer = OptimizerKind.Lbfgs }.PartialFit(FourRows, [0, 1, 0, 1], [0, 1]));

        Assert.Contains("PartialFit runs SGD but Optimizer is Lbfgs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicting_before_Fit_says_to_fit_first()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new SoftmaxRegression().Predict(FourRows));

        Assert.Contains("call Fit or PartialFit first", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicting_with_another_number_of_features_is_refused()
    {
        var model = new SoftmaxRegression().Fit(FourRows, [0, 1, 0, 1]);

        var e = Assert.Throws<ArgumentException>(() => model.PredictProba(new float[3, 5]));

        Assert.Contains("the model was fitted on 2 features but x has 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicting_on_NaN_features_is_refused()
    {
        var model = new SoftmaxRegression().Fit(FourRows, [0, 1, 0, 1]);

        var e = Assert.Throws<ArgumentException>(() => model.Predict(new float[,] { { 1, float.NaN } }));

        Assert.Contains("NaN at row 0, column 1", e.Message, StringComparison.Ordinal);
    }
}
