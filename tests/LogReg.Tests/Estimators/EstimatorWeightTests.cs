using LogReg.Estimators;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

/// <summary>
/// Sample and class weights, the default penalty and the hold-out validation of the estimators, on tiny data.
/// </summary>
public sealed class EstimatorWeightTests
{
    /// <summary>Two overlapping classes, 30 of class 0 and 10 of class 1.</summary>
    private static (float[,] X, int[] Y) Imbalanced()
    {
        var (x, y) = Blobs.Make(60, 2, 2, seed: 4, spread: 0.8, noise: 1);
        var keep = Enumerable.Range(0, 60).Where(i => y[i] == 0 || i % 6 == 1).ToArray(); // all 30 zeros, 10 ones
        var part = new float[keep.Length, 2];
        for (var i = 0; i < keep.Length; i++)
        {
            part[i, 0] = x[keep[i], 0];
            part[i, 1] = x[keep[i], 1];
        }

        return (part, keep.Select(i => y[i]).ToArray());
    }

    [Fact]
    public void A_heavier_class_is_predicted_more_often()
    {
        var (x, y) = Imbalanced();
        Assert.Equal(10, y.Count(v => v == 1));
        var plain = new LogisticRegression().Fit(x, y);
        var weighted = new LogisticRegression { ClassWeight = ClassWeights.Of(new Dictionary<int, double> { [1] = 5 }) }.Fit(x, y);

        var plainOnes = plain.Predict(x).Count(v => v == 1);
        var weightedOnes = weighted.Predict(x).Count(v => v == 1);
        Assert.True(weightedOnes > plainOnes + 5, $"class 1 predicted {plainOnes} times without weights, {weightedOnes} with weight 5");
        Assert.True(weighted.Intercept[0] > plain.Intercept[0], $"intercept {plain.Intercept[0]} -> {weighted.Intercept[0]}");
    }

    [Fact]
    public void Balanced_weighs_each_class_n_over_k_times_its_count()
    {
        var (x, y) = Imbalanced();
        Assert.Equal([40.0 / (2 * 30), 40.0 / (2 * 10)], ClassWeights.Balanced<int>().For([0, 1], y));

        var balanced = new LogisticRegression { ClassWeight = ClassWeights.Balanced<int>() }.Fit(x, y);
        var explicitWeights = new LogisticRegression { ClassWeight = ClassWeights.Of(new Dictionary<int, double> { [0] = 40.0 / 60, [1] = 2 }) }.Fit(x, y);
        var perSample = new LogisticRegression().Fit(x, y, y.Select(v => v == 0 ? 40f / 60 : 2f).ToArray());

        Assert.Equal(Blobs.Flatten(explicitWeights.Coef), Blobs.Flatten(balanced.Coef));
        Assert.Equal(Blobs.Flatten(perSample.Coef), Blobs.Flatten(balanced.Coef), (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1, Math.Abs(a)));
        Assert.True(balanced.Predict(x).Count(v => v == 1) > new LogisticRegression().Fit(x, y).Predict(x).Count(v => v == 1));
    }

    [Fact]
    public void Class_and_sample_weights_multiply()
    {
        var (x, y) = Blobs.Make(30, 3, 3, seed: 2, spread: 1);
        var sampleWeight = Enumerable.Range(0, 30).Select(i => 1f + (i % 3)).ToArray();
        var classWeight = new Dictionary<string, double> { ["b"] = 3, ["c"] = 0.5 };
        var names = y.Select(v => "abc"[v].ToString()).ToArray();

        var both = new SoftmaxRegression<string> { ClassWeight = ClassWeights.Of(classWeight) }.Fit(x, names, sampleWeight);
        var product = new SoftmaxRegression<string>().Fit(x, names, names.Select((c, i) => sampleWeight[i] * (float)classWeight.GetValueOrDefault(c, 1)).ToArray());

        Assert.Equal(Blobs.Flatten(product.Coef), Blobs.Flatten(both.Coef), (a, b) => Math.Abs(a - b) <= 1e-5f * Math.Max(1, Math.Abs(a)));
    }

    [Fact]
    public void Integer_sample_weights_fit_the_same_model_as_duplicated_rows_under_the_default_penalty()
    {
        // The default λ = 1 / (2 Σw) follows the copies: n' = Σw rows give the same objective.
        var (x, y) = Blobs.Make(24, 3, 3, seed: 8, spread: 1.2);
        var copies = Enumerable.Range(0, 24).Select(i => i % 4).ToArray(); // labels are i % 3: every class keeps rows
        var rows = Enumerable.Range(0, 24).SelectMany(i => Enumerable.Repeat(i, copies[i])).ToArray();
        var duplicated = new float[rows.Length, 3];
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                duplicated[i, j] = x[rows[i], j];
            }
        }

        var fromCopies = new SoftmaxRegression { Tol = 1e-7 }.Fit(duplicated, rows.Select(r => y[r]).ToArray());
        var fromWeights = new SoftmaxRegression { Tol = 1e-7 }.Fit(x, y, copies.Select(c => (float)c).ToArray());

        Assert.True(fromCopies.Converged && fromWeights.Converged);
        Assert.Equal(Blobs.Flatten(fromCopies.Coef), Blobs.Flatten(fromWeights.Coef), (a, b) => Math.Abs(a - b) <= 1e-4f * Math.Max(1, Math.Abs(a)));
    }

    [Fact]
    public void Uniform_weights_act_as_copies_under_the_default_penalty_and_change_nothing_under_a_given_one()
    {
        // scikit-learn's convention: C multiplies Σ w·loss, so weights of 7 are 7 copies (the default λ = 1 / (2 Σw));
        // with λ given, the mean Σ w·loss / Σ w makes only the weights' ratios matter.
        var (x, y) = Blobs.Make(20, 2, 3, seed: 3, spread: 1);
        var sevens = Enumerable.Repeat(7f, 20).ToArray();
        var asCopies = new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 1.0 / (2 * 140) }.Fit(x, y);
        var weighted = new SoftmaxRegression().Fit(x, y, sevens);
        Assert.Equal(Blobs.Flatten(asCopies.Coef), Blobs.Flatten(weighted.Coef), (a, b) => Math.Abs(a - b) <= 1e-4f * Math.Max(1, Math.Abs(a)));

        var given = new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 0.05 };
        var plain = Blobs.Flatten(given.Fit(x, y).Coef);
        Assert.Equal(plain, Blobs.Flatten(given.Fit(x, y, sevens).Coef), (a, b) => Math.Abs(a - b) <= 1e-4f * Math.Max(1, Math.Abs(a)));
    }

    [Fact]
    public void Bad_weights_are_refused_with_the_sample_and_a_fix()
    {
        var (x, y) = Blobs.Make(10, 2, 2, seed: 1);
        var model = new LogisticRegression();
        Assert.Contains("sampleWeight has 3 values for 10 samples; give one weight per sample", Assert.Throws<ArgumentException>(() => model.Fit(x, y, [1, 2, 3])).Message);
        var negative = Enumerable.Repeat(1f, 10).ToArray();
        negative[4] = -2;
        var message = Assert.Throws<ArgumentException>(() => model.Fit(x, y, negative)).Message;
        Assert.Contains("sample weight 4 is -2; weights must be finite and at least 0", message);
        Assert.Equal("sampleWeight", Assert.Throws<ArgumentException>(() => model.Fit(x, y, negative)).ParamName);
        Assert.Contains("the weight of class '1' is -1; class weights must be finite and at least 0", Assert.Throws<ArgumentException>(() => ClassWeights.Of(new Dictionary<int, double> { [1] = -1 })).Message);
        var unknown = new LogisticRegression { ClassWeight = ClassWeights.Of(new Dictionary<int, double> { [7] = 2 }) };
        Assert.Contains("ClassWeight names class '7', which is not among the classes (0, 1)", Assert.Throws<ArgumentException>(() => unknown.Fit(x, y)).Message);
        var balanced = new LogisticRegression { ClassWeight = ClassWeights.Balanced<int>() };
        Assert.Contains("PartialFit never sees", Assert.Throws<LogReg.Common.InvalidSettingException>(() => balanced.PartialFit(x, y, [0, 1])).Message);
    }

    [Fact]
    public void Without_penalty_options_fit_uses_L2_with_C_1()
    {
        var (x, y) = Blobs.Make(40, 3, 3, seed: 5, spread: 1);
        var automatic = new SoftmaxRegression().Fit(x, y);
        var explicitC1 = new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 1.0 / (2 * 40) }.Fit(x, y);
        var unpenalised = new SoftmaxRegression { Penalty = Penalty.None }.Fit(x, y);
        // An Options record brings its own Tol (1e-4, not the default rule's 1e-6): the same Tol isolates the penalty.
        var fromOptions = new SoftmaxRegression { Options = new TrainingOptions { Tol = DefaultSolver.LbfgsTol } }.Fit(x, y);

        Assert.Equal(Blobs.Flatten(explicitC1.Coef), Blobs.Flatten(automatic.Coef));
        Assert.Equal(Blobs.Flatten(unpenalised.Coef), Blobs.Flatten(fromOptions.Coef));
        Assert.NotEqual(Blobs.Flatten(unpenalised.Coef), Blobs.Flatten(automatic.Coef));
    }

    [Fact]
    public void A_validation_fraction_holds_out_samples_records_them_and_stops_early()
    {
        var (x, y) = Blobs.Make(100, 4, 3, seed: 6, spread: 1);
        LinearClassifier<int> FitWithHoldOut() => new SoftmaxRegression
        {
            Options = new TrainingOptions { ValidationFraction = 0.2, EarlyStopping = true, Patience = 2, Monitor = MonitorMetric.ValidationLoss },
            Optimizer = OptimizerKind.Sgd,
            Epochs = 200,
            LearningRate = 0.5,
            BatchSize = 8,
        }.Fit(x, y);

        var model = FitWithHoldOut();

        Assert.All(model.History.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.Equal(StopReason.EarlyStopped, model.StopReason);
        Assert.True(model.NIter < 200);
        var again = FitWithHoldOut();
        Assert.Equal(model.History.Epochs.Select(e => e.ValidationLoss), again.History.Epochs.Select(e => e.ValidationLoss));

        var tooFew = new SoftmaxRegression { Options = new TrainingOptions { ValidationFraction = 0.01 } };
        Assert.Contains("a stratified hold-out of 0.01 leaves", Assert.Throws<LogReg.Common.InvalidSettingException>(() => tooFew.Fit(Blobs.Rows(x, 0, 3), y[..3])).Message);
    }
}
