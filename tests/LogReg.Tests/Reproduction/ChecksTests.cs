using LogReg.Reproduction;
using LogReg.Training;
using static LogReg.Reproduction.Checks;

namespace LogReg.Tests.Reproduction;

/// <summary>Every kind of check on constructed results: it passes when it should, fails when it must, and is not applicable without its data.</summary>
public sealed class ChecksTests
{
    private const string Sweep = "sweep.yaml";
    private const string Pair = "pair.yaml";
    private const string Classes = "classes.yaml";

    private static PointData Point(string parameters, double testAccuracy, double weightNorm = 1, params double[] trainHistory)
    {
        var pairs = parameters.Length == 0 ? new Dictionary<string, string>() : parameters.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        var history = trainHistory.Select((a, i) => new EpochRecord(i + 1, 0.5, a, null, null, null, null, 0.1, 0, 0, 0)).ToList();
        return new PointData(pairs, new Dictionary<string, double> { ["test_accuracy"] = testAccuracy, ["weight_norm"] = weightNorm }, history, 1);
    }

    /// <summary>A λ sweep where L1 collapses at λ 0.1 and the weight norm shrinks with λ; a class pair; a 4-class model's per-class scores and weights.</summary>
    private static ReproductionData Data(double l1At01 = 0.60, double l2NormAt01 = 0.5)
    {
        var sweep = new ExperimentData(Sweep, "mnist",
        [
            Point("penalty=l1,lambda=0.0001", 0.97, 9), Point("penalty=l1,lambda=0.001", 0.96, 5), Point("penalty=l1,lambda=0.1", l1At01, 0.2),
            Point("penalty=l2,lambda=0.0001", 0.975, 8), Point("penalty=l2,lambda=0.001", 0.97, 4), Point("penalty=l2,lambda=0.1", 0.95, l2NormAt01),
        ], null);
        var best = Point("", 0.99, 1, 0.7, 0.72, 0.68);
        var pair = new ExperimentData(Pair, "mnist", [best], best);
        var classes = new ExperimentData(Classes, "fashion-mnist", [], null)
        {
            PerClass = [new("Shirt", 0.55, 100), new("Pullover", 0.70, 100), new("Coat", 0.72, 100), new("Bag", 0.95, 100), new("Trouser", 0.97, 100)],
            Weights = [new("a", [1, 2, 3], [1, 2, 3.5], 0.99), new("b", [1, 0, 1], [0, 1, 0], -1)],
        };
        return new ReproductionData(new Dictionary<string, ExperimentData> { [Sweep] = sweep, [Pair] = pair, [Classes] = classes });
    }

    private static readonly ReproductionData Empty = new(new Dictionary<string, ExperimentData>());

    private static Verdict Run(Func<ReproductionData, ClaimResult> check, ReproductionData data) => check(data).Verdict;

    [Fact]
    public void Greater_passes_when_L1_underfits_at_0_1_and_fails_when_it_does_not()
    {
        var check = Greater(PointRef.At(Sweep, "penalty=l2", "lambda=0.1"), PointRef.At(Sweep, "penalty=l1", "lambda=1e-1"), "test_accuracy", 0.05);

        Assert.Equal(Verdict.Pass, Run(check, Data(l1At01: 0.60)));
        Assert.Equal(Verdict.Fail, Run(check, Data(l1At01: 0.93)));
        Assert.Equal(Verdict.NotApplicable, Run(check, Empty));
        Assert.Equal(Verdict.NotApplicable, Run(Greater(PointRef.At(Sweep, "penalty=l2", "lambda=1"), PointRef.At(Sweep, "penalty=l1", "lambda=0.1"), "test_accuracy"), Data()));
    }

    [Fact]
    public void Trend_passes_when_the_weight_norm_shrinks_as_lambda_grows_and_fails_when_it_grows_back()
    {
        var check = Trend(Sweep, "lambda", "weight_norm", Direction.Decreasing, 0, "penalty=l2");

        var pass = check(Data(l2NormAt01: 0.5));
        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal([8.0, 4.0, 0.5], pass.Values.Select(v => v.Value!.Value));
        Assert.Equal(Verdict.Fail, Run(check, Data(l2NormAt01: 6)));
        Assert.Equal(Verdict.NotApplicable, Run(check, Empty));
        Assert.Equal(Verdict.NotApplicable, Run(Trend(Sweep, "lambda", "weight_norm", Direction.Decreasing, 0, "penalty=elasticnet"), Data()));
    }

    [Fact]
    public void Trend_fails_on_a_flat_series_that_never_moves()
    {
        var flat = new ReproductionData(new Dictionary<string, ExperimentData> { [Sweep] = new(Sweep, "mnist", [Point("epochs=1", 0.8), Point("epochs=2", 0.8)], null) });

        Assert.Equal(Verdict.Fail, Run(Trend(Sweep, "epochs", "test_accuracy", Direction.Increasing), flat));
    }

    [Fact]
    public void Flat_passes_within_the_spread_and_fails_beyond_it()
    {
        Assert.Equal(Verdict.Pass, Run(Flat(Sweep, "lambda", "test_accuracy", 0.03, "penalty=l2"), Data()));
        Assert.Equal(Verdict.Fail, Run(Flat(Sweep, "lambda", "test_accuracy", 0.03, "penalty=l1"), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(Flat(Sweep, "lambda", "test_accuracy", 0.03), Empty));
    }

    [Fact]
    public void BestAtOrBelow_passes_when_the_best_lambda_is_small_and_fails_when_it_is_large()
    {
        Assert.Equal(Verdict.Pass, Run(BestAtOrBelow(Sweep, "lambda", "test_accuracy", 0.001, "penalty=l1"), Data()));
        Assert.Equal(Verdict.Fail, Run(BestAtOrBelow(Sweep, "lambda", "test_accuracy", 0.001, "penalty=l1"), Data(l1At01: 0.999)));
        Assert.Equal(Verdict.NotApplicable, Run(BestAtOrBelow("other.yaml", "lambda", "test_accuracy", 0.001), Data()));
    }

    [Fact]
    public void BestAtOrBelow_fails_on_a_flat_series_where_lambda_changes_nothing()
    {
        var flat = new ReproductionData(new Dictionary<string, ExperimentData> { [Sweep] = new(Sweep, "mnist", [Point("lambda=0.0001", 0.95), Point("lambda=0.1", 0.95)], null) });

        Assert.Equal(Verdict.Fail, Run(BestAtOrBelow(Sweep, "lambda", "test_accuracy", 0.001), flat));
    }

    [Fact]
    public void Close_compares_two_metrics_of_one_point()
    {
        var point = new PointData(new Dictionary<string, string>(), new Dictionary<string, double> { ["val_accuracy"] = 0.95, ["test_accuracy"] = 0.966 }, [], 1);
        var data = new ReproductionData(new Dictionary<string, ExperimentData> { [Pair] = new(Pair, "mnist", [point], point) });

        Assert.Equal(Verdict.Pass, Run(Close(PointRef.At(Pair), "val_accuracy", "test_accuracy", 0.02), data));
        Assert.Equal(Verdict.Fail, Run(Close(PointRef.At(Pair), "val_accuracy", "test_accuracy", 0.01), data));
        Assert.Equal(Verdict.NotApplicable, Run(Close(PointRef.At(Pair), "val_accuracy", "train_accuracy", 0.02), data));
    }

    [Fact]
    public void Near_and_Bound_compare_one_value_with_a_published_one()
    {
        var best = PointRef.At(Pair);

        Assert.Equal(Verdict.Pass, Run(Near(best, "test_accuracy", 0.9901, 0.0005), Data()));
        Assert.Equal(Verdict.Fail, Run(Near(best, "test_accuracy", 0.98, 0.0005), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(Near(best, "val_accuracy", 0.99, 0.01), Data()));
        Assert.Equal(Verdict.Pass, Run(Bound(best, "test_accuracy", 0.98), Data()));
        Assert.Equal(Verdict.Fail, Run(Bound(best, "test_accuracy", 0.995), Data()));
        Assert.Equal(Verdict.Fail, Run(Bound(best, "test_accuracy", 0.98, atMost: true), Data()));
    }

    [Fact]
    public void History_checks_read_the_epochs_of_the_first_run()
    {
        var best = PointRef.At(Pair);

        Assert.Equal(Verdict.Pass, Run(Near(best, "train_accuracy@2", 0.72, 1e-9), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(Near(best, "train_accuracy@9", 0.72, 1e-9), Data()));
        Assert.Equal(Verdict.Pass, Run(Falls(best, "train_accuracy@2", "train_accuracy@3"), Data()));
        Assert.Equal(Verdict.Fail, Run(Falls(best, "train_accuracy@1", "train_accuracy@2"), Data()));
        Assert.Equal(Verdict.Pass, Run(Sequence(best, "train_accuracy", [0.7, 0.72], 1e-9), Data()));
        Assert.Equal(Verdict.Fail, Run(Sequence(best, "train_accuracy", [0.7, 0.73], 1e-9), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(Sequence(best, "train_accuracy", [0.7, 0.72, 0.68, 0.7], 1e-9), Data()));
    }

    [Fact]
    public void EpochTrend_reads_one_runs_history_at_several_epoch_counts()
    {
        // The pair's history: train accuracy 0.7, 0.72, 0.68 after epochs 1, 2, 3.
        var best = PointRef.At(Pair);

        Assert.Equal(Verdict.Pass, Run(EpochTrend(best, "train_accuracy", [1, 2], Direction.Increasing), Data()));
        Assert.Equal(Verdict.Fail, Run(EpochTrend(best, "train_accuracy", [1, 2, 3], Direction.Increasing), Data()));
        Assert.Equal(Verdict.Pass, Run(EpochTrend(best, "train_accuracy", [2, 3], Direction.Decreasing), Data()));
        Assert.Equal(Verdict.Fail, Run(EpochTrend(best, "train_accuracy", [1, 3], Direction.Increasing), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(EpochTrend(best, "train_accuracy", [1, 2, 9], Direction.Increasing), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(EpochTrend(PointRef.At(Sweep, "penalty=l1", "lambda=0.1"), "train_accuracy", [1, 2], Direction.Increasing), Data()));
    }

    [Fact]
    public void WhenDistinct_is_not_applicable_when_the_two_settings_gave_the_same_model_and_checks_otherwise()
    {
        // L2 vs L1 at one λ: the same accuracy and weight length within 0.1 % means the penalty changed nothing.
        ReproductionData Sweep2(double l1Accuracy, double l1Norm) => new(new Dictionary<string, ExperimentData>
        {
            [Sweep] = new(Sweep, "mnist", [Point("penalty=l2,lambda=0.0001", 0.9235, 101.40), Point("penalty=l1,lambda=0.0001", l1Accuracy, l1Norm)], null),
        });
        var (l2, l1) = (PointRef.At(Sweep, "penalty=l2", "lambda=0.0001"), PointRef.At(Sweep, "penalty=l1", "lambda=0.0001"));
        var check = WhenDistinct(l2, l1, "test_accuracy", 0.001, Greater(l2, l1, "test_accuracy"));

        var same = check(Sweep2(0.9235, 101.39));
        Assert.Equal(Verdict.NotApplicable, same.Verdict);
        Assert.Contains("same model", same.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, Run(check, Sweep2(0.9100, 101.39)));
        Assert.Equal(Verdict.Fail, Run(check, Sweep2(0.9235, 90.0)));
        Assert.Equal(Verdict.NotApplicable, Run(check, Empty));
    }

    [Fact]
    public void LowestClass_names_Shirt_least_accurate_and_fails_for_a_class_that_is_not()
    {
        Assert.Equal(Verdict.Pass, Run(LowestClass(Classes, "Shirt"), Data()));
        Assert.Equal(Verdict.Pass, Run(LowestClass(Classes, "Pullover", 2), Data()));
        Assert.Equal(Verdict.Pass, Run(LowestClass(Classes, "Coat", 3), Data()));
        var fail = LowestClass(Classes, "Coat")(Data());
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.StartsWith("number 1 from the bottom is Shirt, not Coat (72 %)", fail.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.NotApplicable, Run(LowestClass(Classes, "Sandal"), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(LowestClass(Pair, "Shirt"), Data()));
    }

    [Fact]
    public void TopClassesAmong_fails_when_a_top_class_is_outside_the_set()
    {
        Assert.Equal(Verdict.Pass, Run(TopClassesAmong(Classes, 2, "Bag", "Trouser"), Data()));
        Assert.Equal(Verdict.Fail, Run(TopClassesAmong(Classes, 2, "Bag", "Sandal"), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(TopClassesAmong(Classes, 9, "Bag"), Data()));
    }

    [Fact]
    public void WeightsResembleAverages_fails_when_one_class_does_not_correlate()
    {
        var check = WeightsResembleAverages(Classes, 0.3)(Data());

        Assert.Equal(Verdict.Fail, check.Verdict);
        Assert.Contains("(b)", check.Reason, StringComparison.Ordinal);
        Assert.Equal(Verdict.Pass, Run(WeightsResembleAverages(Classes, -1), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(WeightsResembleAverages(Pair, 0.3), Data()));
    }

    [Fact]
    public void Both_passes_only_when_both_pass_and_is_not_applicable_when_either_is()
    {
        var yes = Bound(PointRef.At(Pair), "test_accuracy", 0.9);
        var no = Bound(PointRef.At(Pair), "test_accuracy", 0.999);
        var missing = Bound(PointRef.At("none.yaml"), "test_accuracy", 0.9);

        Assert.Equal(Verdict.Pass, Run(Both(yes, yes), Data()));
        Assert.Equal(Verdict.Fail, Run(Both(yes, no), Data()));
        Assert.Equal(Verdict.NotApplicable, Run(Both(no, missing), Data()));
    }

    [Fact]
    public void Correlation_is_pearson_r()
    {
        Assert.Equal(1, ExperimentDataReader.Correlation([1f, 2f, 3f], [10.0, 20.0, 30.0]), 12);
        Assert.Equal(-1, ExperimentDataReader.Correlation([1f, 2f, 3f], [3.0, 2.0, 1.0]), 12);
        Assert.Equal(0, ExperimentDataReader.Correlation([1f, 1f, 1f], [3.0, 2.0, 1.0]));
        Assert.Equal(1 / Math.Sqrt(3), ExperimentDataReader.Correlation([1f, 0f, 0f, 1f], [1.0, 0.0, 1.0, 1.0]), 12);
    }
}
