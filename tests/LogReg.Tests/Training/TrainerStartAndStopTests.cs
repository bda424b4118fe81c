using LogReg.Core;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

public sealed class TrainerStartAndStopTests
{
    private static readonly TrainingOptions Options = new() { BatchSize = 10, Epochs = 4, Threads = 1 };

    [Fact]
    public void Initial_parameters_are_the_starting_point_and_are_not_changed()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 40, d: 3, classes: 3, seed: 41);
        var initial = new LinearTrainer().Fit(problem, Options).Parameters;
        var before = initial.Clone();

        var zeroEpochs = new LinearTrainer().Fit(problem, Options, initial: initial, cancellationToken: new CancellationToken(true));

        Assert.Equal(before.Weights, initial.Weights);
        Assert.Equal(initial.Weights, zeroEpochs.Parameters.Weights);
        Assert.NotSame(initial, zeroEpochs.Parameters);
    }

    [Fact]
    public void Initial_parameters_of_another_shape_are_refused()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 40, d: 3, classes: 3, seed: 42);

        var e = Assert.Throws<ArgumentException>(() => new LinearTrainer().Fit(problem, Options, initial: new LinearParameters(2, 3)));

        Assert.Contains("the initial parameters have 2 outputs of 3 features but the problem needs 3 of 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StopWhen_returning_true_ends_with_Stopped_after_that_epoch()
    {
        var problem = Synthetic.Problem(ModelKind.OneVsRest, n: 40, d: 3, classes: 3, seed: 43);

        var result = new LinearTrainer().Fit(problem, Options, stopWhen: e => e.Epoch == 2);

        Assert.Equal(StopReason.Stopped, result.StopReason);
        Assert.Equal(2, result.EpochsRun);
    }
}
