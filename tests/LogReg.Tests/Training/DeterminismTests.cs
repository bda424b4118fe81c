using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

public sealed class DeterminismTests
{
    private static PreparedData Mnist(int trainFirst)
    {
        var loader = new DatasetLoader(new DataLocator(null, RealData.Require(), Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null));
        return PreparedData.Prepare(loader.Load("mnist", DatasetSplit.Train), null, new DataPreparation { TrainFirst = trainFirst, Scaling = ScalingKind.ZScore });
    }

    [SkippableTheory]
    [InlineData(128)]
    [InlineData(0)]
    [InlineData(1)]
    public void Weights_after_3_epochs_are_bitwise_identical_for_1_2_and_4_threads(int batchSize)
    {
        var data = Mnist(batchSize == 1 ? 3000 : 12000);
        float[]? reference = null;
        foreach (var threads in new[] { 1, 2, 4 })
        {
            using var kernel = LinearKernels.Create(threads);
            var options = new TrainingOptions { Epochs = 3, BatchSize = batchSize, Seed = 5, LearningRate = batchSize == 1 ? 0.01 : 0.1 };
            var weights = new LinearTrainer(kernel).Fit(data.TrainProblem(ModelKind.Softmax), options).Parameters.Weights;
            if (reference is null)
            {
                reference = weights;
            }
            else
            {
                Assert.Equal(reference, weights);
            }
        }
    }

    [SkippableFact]
    public void The_threads_option_selects_a_kernel_with_that_many_threads_and_changes_nothing()
    {
        var data = Mnist(6000);
        var one = new LinearTrainer().Fit(data.TrainProblem(ModelKind.OneVsRest), new TrainingOptions { Epochs = 2, Threads = 1 }).Parameters.Weights;
        var two = new LinearTrainer().Fit(data.TrainProblem(ModelKind.OneVsRest), new TrainingOptions { Epochs = 2, Threads = 2 }).Parameters.Weights;

        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.Softmax, 5)]
    [InlineData(ModelKind.OneVsRest, 5)]
    public void Training_with_the_fused_kernel_matches_the_scalar_reference_closely(ModelKind kind, int classes)
    {
        var problem = Synthetic.Problem(kind, n: 400, d: 30, classes, seed: 3, spread: 1);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Seed = 1 };

        var reference = new LinearTrainer(LinearKernels.Reference).Fit(problem, options);
        using var fused = LinearKernels.Create(2);
        var fast = new LinearTrainer(fused).Fit(problem, options);

        for (var i = 0; i < reference.Parameters.Weights.Length; i++)
        {
            Assert.Equal(reference.Parameters.Weights[i], fast.Parameters.Weights[i], 3);
        }

        Assert.Equal(reference.History.Epochs[^1].TrainAccuracy, fast.History.Epochs[^1].TrainAccuracy, 2);
    }
}
