using LogReg.Core;
using LogReg.Data;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>Accuracy floors on the real datasets with LogReg's default hyperparameters.</summary>
public sealed class RealDataTrainingTests
{
    private static DatasetLoader Loader() =>
        new(new DataLocator(null, RealData.Require(), Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null));

    private static TrainingOutcome Train(string dataset, DataPreparation preparation, ModelKind kind)
    {
        var loader = Loader();
        var data = PreparedData.Prepare(loader.Load(dataset, DatasetSplit.Train), loader.Load(dataset, DatasetSplit.Test), preparation);
        return TrainingPipeline.Train(data, kind, new TrainingOptions());
    }

    [SkippableTheory]
    [InlineData(2, 3, 0.975)]
    [InlineData(2, 8, 0.965)]
    public void Mnist_class_pairs_as_in_seed_002_reach_their_accuracy_floor(int negative, int positive, double floor)
    {
        var outcome = Train("mnist", new DataPreparation { Classes = ClassSubset.Pair(negative, positive), TrainFirst = 20000, TestLast = 2000 }, ModelKind.Logistic);

        Assert.True(outcome.Metrics.TestAccuracy >= floor, $"{negative} vs {positive}: test accuracy {outcome.Metrics.TestAccuracy}");
    }

    [SkippableFact]
    public void FashionMnist_softmax_with_the_defaults_reaches_0_835_on_the_full_test_set()
    {
        var outcome = Train("fashion-mnist", new DataPreparation(), ModelKind.Softmax);

        Assert.True(outcome.Metrics.TestAccuracy >= 0.835, $"test accuracy {outcome.Metrics.TestAccuracy}");
    }

    [SkippableFact]
    public void Mnist_one_vs_rest_learns_all_ten_classes()
    {
        var outcome = Train("mnist", new DataPreparation { TrainFirst = 10000 }, ModelKind.OneVsRest);

        Assert.True(outcome.Metrics.TestAccuracy >= 0.85, $"test accuracy {outcome.Metrics.TestAccuracy}");
    }
}
