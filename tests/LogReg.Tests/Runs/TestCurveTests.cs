using LogReg.Core;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Runs;

/// <summary>The per-epoch test curve is optional; the final test metrics are not.</summary>
public sealed class TestCurveTests
{
    private static readonly TrainingOptions Options = new() { Epochs = 3, BatchSize = 16, Seed = 5 };

    [Fact]
    public void Without_the_test_curve_the_history_has_no_test_columns_but_the_final_metrics_keep_the_test_accuracy()
    {
        var data = PreparedData.Prepare(Synthetic.Images(120, 3, seed: 2), Synthetic.Images(40, 3, seed: 9), new DataPreparation());

        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, Options with { TestCurve = false });

        Assert.Equal(3, outcome.Result.History.Epochs.Count);
        Assert.All(outcome.Result.History.Epochs, e => Assert.Null(e.TestAccuracy));
        Assert.NotNull(outcome.Metrics.TestAccuracy);
    }

    [Fact]
    public void Leaving_out_the_test_curve_changes_neither_the_weights_nor_the_final_metrics()
    {
        var data = PreparedData.Prepare(Synthetic.Images(120, 3, seed: 2), Synthetic.Images(40, 3, seed: 9), new DataPreparation());

        var with = TrainingPipeline.Train(data, ModelKind.Softmax, Options);
        var without = TrainingPipeline.Train(data, ModelKind.Softmax, Options with { TestCurve = false });

        Assert.All(with.Result.History.Epochs, e => Assert.NotNull(e.TestAccuracy));
        Assert.Equal(with.Model.Model.Weights.ToArray(), without.Model.Model.Weights.ToArray());
        Assert.Equal(with.Metrics.TestAccuracy, without.Metrics.TestAccuracy);
        Assert.Equal(with.Metrics.TestLoss, without.Metrics.TestLoss);
    }
}
