using LogReg.Core;
using LogReg.Kernels;
using LogReg.Tests.Kernels;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// The fused kernel takes each SGD step on the workers that summed the gradient, a slice of the weights each. That must
/// give bitwise the weights of taking the step afterwards in one piece (the kernel interface's default), for every
/// optimizer setting, thread count, batch size and row layout.
/// </summary>
public sealed class SgdStepTests
{
    public static TheoryData<string> Settings() => new(Options.Keys);

    private static readonly Dictionary<string, TrainingOptions> Options = new()
    {
        ["plain"] = new() { Momentum = 0 },
        ["momentum"] = new() { Momentum = 0.9 },
        ["nesterov"] = new() { Momentum = 0.8, Nesterov = true },
        ["l2"] = new() { Momentum = 0.9, Penalty = Penalty.L2, Lambda = 1e-3 },
        ["l2 bias, summed loss"] = new() { Momentum = 0, Penalty = Penalty.L2, Lambda = 1e-3, PenalizeBias = true, Reduction = Reduction.Sum, LearningRate = 1e-3 },
        ["l1 proximal"] = new() { Momentum = 0.5, Penalty = Penalty.L1, Lambda = 1e-3, PenalizeBias = true },
        ["l1 subgradient per sample, summed loss"] = new() { Momentum = 0, Penalty = Penalty.L1, Lambda = 1e-4, L1Mode = L1Mode.Subgradient, PenaltyPerSample = true, Reduction = Reduction.Sum, LearningRate = 1e-3 },
        ["l2 proximal per sample, summed loss"] = new() { Momentum = 0.5, Penalty = Penalty.ElasticNet, Lambda = 1e-4, PenaltyPerSample = true, Reduction = Reduction.Sum, LearningRate = 1e-3 },
        ["l1 subgradient"] = new() { Momentum = 0, Penalty = Penalty.ElasticNet, Lambda = 1e-3, L1Mode = L1Mode.Subgradient },
        ["no intercept"] = new() { Momentum = 0.9, FitIntercept = false, Penalty = Penalty.L2, Lambda = 1e-3, PenalizeBias = true },
        ["diverging"] = new() { Momentum = 0, LearningRate = 1e30, Reduction = Reduction.Sum },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Steps_taken_on_the_workers_equal_one_step_after_the_gradient(string setting)
    {
        var layouts = new (string Name, LinearProblem Problem, RowLayout Layout)[]
        {
            ("pixels / 255", FusedLinearKernelTests.Problem(ModelKind.Softmax, 700, 83, 10, seed: 2, oneScale: true, zeroFraction: 0.6), RowLayout.Bytes),
            ("per-feature scaling (folded)", FusedLinearKernelTests.Problem(ModelKind.OneVsRest, 700, 40, 3, seed: 3), RowLayout.Bytes),
            ("floats", FusedLinearKernelTests.Problem(ModelKind.Logistic, 700, 37, 2, seed: 4), RowLayout.Floats),
        };
        foreach (var (name, problem, layout) in layouts)
        {
            foreach (var batch in new[] { 128, 40, 300, 0 })
            {
                var options = Options[setting] with { BatchSize = batch, Seed = 9 };
                using var reference = new FusedLinearKernel(1, SimdWidth.Auto, layout);
                var expected = TwoEpochs(new StepAfterGradient(reference), problem, options);
                foreach (var threads in new[] { 1, 2, 3 })
                {
                    using var kernel = new FusedLinearKernel(threads, SimdWidth.Auto, layout);
                    var actual = TwoEpochs(kernel, problem, options);
                    var what = $"{setting}, {name}, batch {batch}, {threads} threads";
                    Assert.True(expected.Stop == actual.Stop, $"{what}: stopped {actual.Stop}, expected {expected.Stop}");
                    Assert.True(expected.Weights.AsSpan().SequenceEqual(actual.Weights), $"{what}: weights differ");
                    Assert.True(expected.Bias.AsSpan().SequenceEqual(actual.Bias), $"{what}: biases differ");
                }
            }
        }
    }

    [Fact]
    public void A_diverging_batch_leaves_the_weights_as_they_were_before_it()
    {
        var problem = FusedLinearKernelTests.Problem(ModelKind.Softmax, 256, 64, 4, seed: 5, oneScale: true);
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        using var kernel = new FusedLinearKernel(2);
        var options = new TrainingOptions { Momentum = 0, BatchSize = 128, Shuffle = false, LearningRate = 1e38, Reduction = Reduction.Sum };
        var epochs = new SgdEpochs(new Objective(kernel, problem, options), parameters);

        var (stop, loss) = epochs.Run(1e38);

        // The first batch's step blows the weights up to ±inf; the second batch's loss is not finite, and its step is skipped.
        Assert.Equal(StopReason.Diverged, stop);
        Assert.False(double.IsFinite(loss));
        var afterFirst = new LinearParameters(problem.Outputs, problem.FeatureCount);
        using var single = new FusedLinearKernel(1);
        var gradient = new LinearParameters(problem.Outputs, problem.FeatureCount);
        single.LossAndGradient(problem, Enumerable.Range(0, 128).ToArray(), afterFirst.Weights, afterFirst.Bias, gradient.Weights, gradient.Bias);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient.Weights, -1e38f, afterFirst.Weights, afterFirst.Weights);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(gradient.Bias, -1e38f, afterFirst.Bias, afterFirst.Bias);
        Assert.Equal(afterFirst.Weights, parameters.Weights);
        Assert.Equal(afterFirst.Bias, parameters.Bias);
    }

    [Fact]
    public void Worker_slices_cover_every_weight_once_and_none_is_shorter_than_16_unless_it_is_all()
    {
        for (var count = 0; count <= 300; count++)
        {
            for (var workers = 1; workers <= 6; workers++)
            {
                var next = 0;
                var slices = 0;
                for (var worker = 0; worker < workers; worker++)
                {
                    var (start, end) = FusedLinearKernel.Slice(count, worker, workers);
                    if (end == start)
                    {
                        continue;
                    }

                    Assert.Equal(next, start);
                    Assert.True(end - start >= 16 || (start == 0 && end == count), $"count {count}, {workers} workers: slice {start}..{end}");
                    next = end;
                    slices++;
                }

                Assert.Equal(count, next);
                Assert.True(slices <= workers);
            }
        }
    }

    private static (StopReason? Stop, float[] Weights, float[] Bias) TwoEpochs(ILinearKernel kernel, LinearProblem problem, TrainingOptions options)
    {
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var random = new LogReg.Common.SeededRandom(1);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            parameters.Weights[i] = (float)(0.01 * random.NextGaussian());
        }

        var epochs = new SgdEpochs(new Objective(kernel, problem, options), parameters);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            if (epochs.Run(options.LearningRate / (epoch + 1)).Stop is { } stop)
            {
                return (stop, parameters.Weights, parameters.Bias);
            }
        }

        return (null, parameters.Weights, parameters.Bias);
    }
}
