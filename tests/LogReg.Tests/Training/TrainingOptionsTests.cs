using LogReg.Training;

namespace LogReg.Tests.Training;

public sealed class TrainingOptionsTests
{
    public static TheoryData<TrainingOptions, string> BadOptions() => new()
    {
        { new TrainingOptions { LearningRate = 0 }, "LearningRate must be > 0 (was 0); typical values are 0.001 to 1" },
        { new TrainingOptions { BatchSize = -1 }, "BatchSize must be ≥ 0 and at most the number of training samples (was -1)" },
        { new TrainingOptions { Epochs = 0 }, "Epochs must be ≥ 1 (was 0)" },
        { new TrainingOptions { Momentum = 1 }, "Momentum must be in [0, 1) (was 1)" },
        { new TrainingOptions { Momentum = 0, Nesterov = true }, "Nesterov needs Momentum > 0" },
        { new TrainingOptions { Lambda = 0.1 }, "Lambda is 0.1 but Penalty is None" },
        { new TrainingOptions { Penalty = Penalty.L2, Lambda = -1 }, "Lambda must be ≥ 0 (was -1)" },
        { new TrainingOptions { Penalty = Penalty.ElasticNet, L1Ratio = 1.5 }, "L1Ratio must be in [0, 1] (was 1.5)" },
        { new TrainingOptions { ValidationFraction = 1 }, "ValidationFraction must be in [0, 1) (was 1)" },
        { new TrainingOptions { Patience = 0 }, "Patience must be ≥ 1 (was 0)" },
        { new TrainingOptions { Threshold = 1 }, "Threshold must be in (0, 1) (was 1)" },
        { new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, Momentum = 0, Penalty = Penalty.L1, Lambda = 0.1 }, "L-BFGS needs a smooth objective" },
        { new TrainingOptions { Schedule = LearningRateSchedule.InverseTime(0) }, "DecayEpochs must be > 0 (was 0)" },
        { new TrainingOptions { Schedule = LearningRateSchedule.Exponential(1.5) }, "DecayRate must be in (0, 1] (was 1.5)" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_names_the_option_the_range_and_the_value(TrainingOptions options, string message)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => options.Validate());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_bounds_the_batch_size_by_the_training_samples()
    {
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => new TrainingOptions { BatchSize = 500 }.Validate(trainingSamples: 100));

        Assert.Contains("use 0 < BatchSize ≤ 100 (the training samples), or 0 for full-batch GD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var defaults = new TrainingOptions();
        defaults.Validate(60000);

        Assert.Equal(0.1, defaults.LearningRate);
        Assert.Equal(128, defaults.BatchSize);
        Assert.Equal(10, defaults.Epochs);
        Assert.Equal(0.9, defaults.Momentum);
        Assert.Equal(ScheduleKind.Cosine, defaults.Schedule.Kind);
        Assert.Equal(Penalty.None, defaults.Penalty);
        Assert.Equal(L1Mode.Proximal, defaults.L1Mode);
        Assert.Equal(Reduction.Mean, defaults.Reduction);
    }
}
