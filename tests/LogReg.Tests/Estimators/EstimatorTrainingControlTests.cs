using LogReg.Core;
using LogReg.Estimators;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

public sealed class EstimatorTrainingControlTests
{
    private static readonly TrainingOptions Sgd = new() { Schedule = LearningRateSchedule.Constant, BatchSize = 16, Momentum = 0.9, Seed = 5, Threads = 1 };

    private static LinearProblem Problem(float[,] x, int[] y, int classes) =>
        new(ModelKind.Softmax, new FeatureMatrix(x.GetLength(0), x.GetLength(1), Blobs.RowMajor(x)), y, classes);

    [Fact]
    public void PartialFit_once_equals_one_epoch_of_the_trainers_SGD_on_the_same_data()
    {
        var (x, y) = Blobs.Make(n: 96, d: 5, classes: 3, seed: 21);
        var model = new SoftmaxRegression { Options = Sgd };

        model.PartialFit(x, y, classes: [0, 1, 2]);
        var trainer = new LinearTrainer().Fit(Problem(x, y, 3), Sgd with { Epochs = 1 });

        Assert.Equal(trainer.Parameters.Weights, Blobs.Flatten(model.Coef));
        Assert.Equal(trainer.Parameters.Bias, model.Intercept);
        Assert.Equal(1, model.NIter);
        Assert.Equal(trainer.History.Epochs[0].TrainLoss, model.History.Epochs[0].TrainLoss, 12);
    }

    [Fact]
    public void PartialFit_on_consecutive_batches_equals_one_unshuffled_epoch_over_all_of_them_momentum_included()
    {
        var (x, y) = Blobs.Make(n: 96, d: 5, classes: 3, seed: 22);
        var options = Sgd with { Shuffle = false };
        var model = new SoftmaxRegression { Options = options };

        model.PartialFit(Blobs.Rows(x, 0, 32), y[..32], classes: [0, 1, 2]);
        model.PartialFit(Blobs.Rows(x, 32, 48), y[32..80]);
        model.PartialFit(Blobs.Rows(x, 80, 16), y[80..]);
        var trainer = new LinearTrainer().Fit(Problem(x, y, 3), options with { Epochs = 1 });

        Assert.Equal(trainer.Parameters.Weights, Blobs.Flatten(model.Coef));
        Assert.Equal(trainer.Parameters.Bias, model.Intercept);
        Assert.Equal([1, 2, 3], model.History.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void PartialFit_needs_the_classes_on_the_first_call_and_refuses_undeclared_labels()
    {
        var (x, y) = Blobs.Make(n: 20, d: 2, classes: 2, seed: 23);
        var model = new LogisticRegression();

        var missing = Assert.Throws<ArgumentException>(() => model.PartialFit(x, y));
        Assert.Contains("first PartialFit call must declare every class", missing.Message, StringComparison.Ordinal);

        var undeclared = Assert.Throws<ArgumentException>(() => model.PartialFit(x, y.Select(v => v * 5).ToArray(), classes: [0, 1]));
        Assert.Contains("is '5', which is not one of the classes (0, 1)", undeclared.Message, StringComparison.Ordinal);

        model.PartialFit(x, y, classes: [0, 1]);
        var changed = Assert.Throws<ArgumentException>(() => model.PartialFit(x, y, classes: [0, 2]));
        Assert.Contains("differ from the fitted classes (0, 1)", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialFit_may_see_only_some_classes_per_batch_once_all_are_declared()
    {
        var (x, y) = Blobs.Make(n: 60, d: 3, classes: 3, seed: 24, spread: 5);
        var model = new OneVsRestRegression<string> { BatchSize = 10 };
        var labels = y.Select(v => "c" + v).ToArray();
        var onlyC0 = Enumerable.Range(0, 60).Where(i => y[i] == 0).ToArray();
        var firstRows = new float[onlyC0.Length, 3];
        for (var i = 0; i < onlyC0.Length; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                firstRows[i, j] = x[onlyC0[i], j];
            }
        }

        model.PartialFit(firstRows, onlyC0.Select(i => labels[i]).ToArray(), classes: ["c2", "c0", "c1"]);
        for (var pass = 0; pass < 20; pass++)
        {
            model.PartialFit(x, labels);
        }

        Assert.Equal(["c0", "c1", "c2"], model.Classes);
        Assert.Equal(21, model.NIter);
        Assert.True(model.Score(x, labels) > 0.95, $"accuracy {model.Score(x, labels)}");
    }

    [Fact]
    public void Cancellation_stops_after_the_current_batch_and_keeps_the_last_whole_epoch()
    {
        var (x, y) = Blobs.Make(n: 96, d: 5, classes: 3, seed: 25);
        using var cancel = new CancellationTokenSource();
        var progress = new Recorder<EpochRecord> { Then = e => { if (e.Epoch == 2) { cancel.Cancel(); } } };
        var model = new SoftmaxRegression { Options = Sgd, Optimizer = OptimizerKind.Sgd, Epochs = 10, Progress = progress };
        var twoEpochs = new SoftmaxRegression { Options = Sgd, Optimizer = OptimizerKind.Sgd, Epochs = 2 };

        model.Fit(x, y, cancel.Token);
        twoEpochs.Fit(x, y);

        Assert.Equal(StopReason.Interrupted, model.StopReason);
        Assert.Equal(2, model.NIter);
        Assert.Equal(Blobs.Flatten(twoEpochs.Coef), Blobs.Flatten(model.Coef));
        Assert.Equal(twoEpochs.Predict(x), model.Predict(x));
    }

    [Fact]
    public void A_fit_cancelled_before_it_starts_keeps_a_usable_initial_model()
    {
        var (x, y) = Blobs.Make(n: 40, d: 3, classes: 3, seed: 26);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var model = new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, BatchSize = 8 }.Fit(x, y, cancel.Token);

        Assert.Equal(StopReason.Interrupted, model.StopReason);
        Assert.Equal(0, model.NIter);
        Assert.All(Blobs.Flatten(model.Coef), w => Assert.Equal(0f, w));
        Assert.Equal(40, model.Predict(x).Length);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void Progress_sees_every_epoch_of_the_history(OptimizerKind optimizer)
    {
        var (x, y) = Blobs.Make(n: 60, d: 4, classes: 3, seed: 27, spread: 1);
        var progress = new Recorder<EpochRecord>();

        var model = new SoftmaxRegression { Optimizer = optimizer, Epochs = 7, MaxIterations = 7, BatchSize = 10, Progress = progress }.Fit(x, y);

        Assert.Equal(7, model.NIter);
        Assert.Equal(Enumerable.Range(1, 7), progress.Seen.Select(e => e.Epoch));
        Assert.Equal(model.History.Epochs, progress.Seen);
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Lbfgs)]
    public void StopWhen_ends_training_at_the_epoch_it_returns_true_and_keeps_those_weights(OptimizerKind optimizer)
    {
        var (x, y) = Blobs.Make(n: 60, d: 4, classes: 3, seed: 28, spread: 1);
        var asked = new List<int>();
        var model = new SoftmaxRegression
        {
            Optimizer = optimizer,
            Epochs = 10,
            MaxIterations = 10,
            BatchSize = 10,
            StopWhen = e =>
            {
                asked.Add(e.Epoch);
                return e.Epoch == 3;
            },
        };

        model.Fit(x, y);

        Assert.Equal(StopReason.Stopped, model.StopReason);
        Assert.Equal([1, 2, 3], asked);
        Assert.Equal(3, model.NIter);
        Assert.Equal(model.History.Epochs[^1].TrainAccuracy, model.Score(x, y), 6);
    }
}
