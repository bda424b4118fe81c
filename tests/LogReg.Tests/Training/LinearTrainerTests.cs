using LogReg.Core;
using LogReg.Kernels;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

public sealed class LinearTrainerTests
{
    private static readonly TrainingOptions Plain = new() { Momentum = 0, Schedule = LearningRateSchedule.Constant };

    /// <summary>x = +1: three positives and one negative; x = −1: the mirror image. The optimum is b = 0, w = ln 3.</summary>
    private static LinearProblem OneDimensional() => Synthetic.FromRows(
        ModelKind.Logistic,
        2,
        [[1], [1], [1], [1], [-1], [-1], [-1], [-1]],
        [1, 1, 1, 0, 0, 0, 0, 1]);

    private static double Accuracy(LinearProblem problem, TrainingResult result, float threshold = 0) =>
        ScalarReferenceKernel.Instance.Evaluate(problem, result.Parameters.Weights, result.Parameters.Bias, threshold).Accuracy;

    [Theory]
    [InlineData(ModelKind.Logistic, 2, OptimizerKind.Sgd)]
    [InlineData(ModelKind.Softmax, 4, OptimizerKind.Sgd)]
    [InlineData(ModelKind.OneVsRest, 4, OptimizerKind.Sgd)]
    [InlineData(ModelKind.Logistic, 2, OptimizerKind.Lbfgs)]
    [InlineData(ModelKind.Softmax, 4, OptimizerKind.Lbfgs)]
    [InlineData(ModelKind.OneVsRest, 4, OptimizerKind.Lbfgs)]
    public void Separable_data_reaches_100_percent(ModelKind kind, int classes, OptimizerKind optimizer)
    {
        var problem = Synthetic.Problem(kind, n: 200, d: 6, classes, seed: 11, spread: 6, noise: 0.5);
        var options = optimizer == OptimizerKind.Lbfgs
            ? new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, BatchSize = 0, Momentum = 0, MaxIterations = 200 }
            : new TrainingOptions { Epochs = 20, BatchSize = 16 };

        var result = new LinearTrainer().Fit(problem, options);

        Assert.Equal(1.0, Accuracy(problem, result));
    }

    [Theory]
    [InlineData(Penalty.L1, L1Mode.Subgradient, 0)]
    [InlineData(Penalty.L1, L1Mode.Proximal, 0)]
    [InlineData(Penalty.L2, L1Mode.Proximal, 0)]
    [InlineData(Penalty.L2, L1Mode.Proximal, 25)]
    public void A_summed_loss_with_the_penalty_per_sample_trains_as_the_mean_loss_at_n_times_the_rate(Penalty penalty, L1Mode mode, int batch)
    {
        // Σₙ (ℓₙ + λR) at rate η steps exactly as mean ℓ + λR at rate η·N (N the rows of each batch): the penalty is
        // counted per sample in the training steps too, not only in the objective.
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 100, d: 6, classes: 3, seed: 4, spread: 2, noise: 1);
        var n = batch == 0 ? problem.Rows : batch;
        var common = Plain with { Penalty = penalty, Lambda = 0.05, L1Mode = mode, BatchSize = batch, Epochs = 5, Shuffle = false };

        var summed = new LinearTrainer().Fit(problem, common with { Reduction = Reduction.Sum, PenaltyPerSample = true, LearningRate = 0.002 });
        var mean = new LinearTrainer().Fit(problem, common with { Reduction = Reduction.Mean, LearningRate = 0.002 * n });
        var once = new LinearTrainer().Fit(problem, common with { Reduction = Reduction.Sum, LearningRate = 0.002 });

        for (var i = 0; i < summed.Parameters.Weights.Length; i++)
        {
            Assert.Equal(mean.Parameters.Weights[i], summed.Parameters.Weights[i], 4);
        }

        var differs = summed.Parameters.Weights.Zip(once.Parameters.Weights).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(differs > 1e-3, $"counting the penalty once per batch should step differently (largest difference {differs})");
    }

    /// <summary>Records what a weights-aware progress sink is told, in order.</summary>
    private sealed class WeightsRecorder : IEpochWeightsProgress
    {
        public List<string> Calls { get; } = [];

        public float[] LastWeights { get; private set; } = [];

        public void ReportWeights(int epoch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
        {
            Calls.Add($"weights {epoch}");
            LastWeights = weights.ToArray();
        }

        public void Report(EpochRecord value) => Calls.Add($"record {value.Epoch}");
    }

    [Fact]
    public void A_weights_aware_progress_sink_gets_each_epochs_weights_just_before_its_record()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 120, d: 5, classes: 3, seed: 3);
        var recorder = new WeightsRecorder();

        var result = new LinearTrainer().Fit(problem, new TrainingOptions { Epochs = 3, BatchSize = 16 }, progress: recorder);

        Assert.Equal(["weights 1", "record 1", "weights 2", "record 2", "weights 3", "record 3"], recorder.Calls);
        Assert.Equal(result.Parameters.Weights, recorder.LastWeights); // no validation split: the last epoch is kept
    }

    [Fact]
    public void Lbfgs_finds_the_known_optimum_of_a_one_dimensional_problem_to_gradient_norm_below_1e_5()
    {
        var problem = OneDimensional();
        var options = new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, BatchSize = 0, Momentum = 0, MaxIterations = 100, Tol = 1e-6, LossTol = 0 };

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.Equal(Math.Log(3), result.Parameters.Weights[0], 5);
        Assert.Equal(0, result.Parameters.Bias[0], 5);
        Assert.True(GradientNorm(problem, options, result.Parameters) < 1e-5);
    }

    [Fact]
    public void Lbfgs_with_L2_reaches_the_penalised_optimum()
    {
        // Mean loss gradient is σ(w) − 3/4; with λw² the optimum solves σ(w) − 3/4 + 2λw = 0.
        const double lambda = 0.1;
        var options = new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, BatchSize = 0, Momentum = 0, MaxIterations = 100, Penalty = Penalty.L2, Lambda = lambda, FitIntercept = false, Tol = 1e-6, LossTol = 0 };

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(OneDimensional(), options);

        double lo = 0, hi = 2;
        for (var i = 0; i < 100; i++)
        {
            var mid = (lo + hi) / 2;
            if (1 / (1 + Math.Exp(-mid)) - 0.75 + 2 * lambda * mid > 0)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        Assert.Equal(lo, result.Parameters.Weights[0], 5);
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    public void Lbfgs_reaches_gradient_norm_below_1e_5_on_an_overlapping_problem(ModelKind kind)
    {
        var problem = Synthetic.Problem(kind, n: 300, d: 8, classes: 3, seed: 5, spread: 1, noise: 1);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, BatchSize = 0, Momentum = 0, MaxIterations = 500, Penalty = Penalty.L2, Lambda = 1e-3, LossTol = 0, Tol = 1e-6 };

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        var norm = GradientNorm(problem, options, result.Parameters);
        Assert.True(result.StopReason == StopReason.Converged && norm < 1e-5, $"{result.StopReason} after {result.EpochsRun} iterations, gradient norm {norm}");
    }

    [Fact]
    public void L1_proximal_gives_exact_zeros_and_sparsity_grows_with_lambda()
    {
        // 20 features, of which only the first 3 carry the class; proximal L1 should zero the rest.
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 400, d: 20, classes: 2, seed: 9, spread: 0.5, noise: 1);
        var zeros = new List<int>();
        foreach (var lambda in new[] { 0.0, 0.06, 0.12, 0.2 })
        {
            var options = Plain with { Epochs = 30, BatchSize = 32, LearningRate = 0.1, Penalty = lambda == 0 ? Penalty.None : Penalty.L1, Lambda = lambda };
            var weights = new LinearTrainer().Fit(problem, options).Parameters.Weights;
            zeros.Add(weights.Count(w => w == 0f));
        }

        Assert.True(zeros[0] == 0, $"zeros per λ: {string.Join(", ", zeros)}");
        Assert.True(zeros[1] > 0, $"some exact zeros with a small λ: {string.Join(", ", zeros)}");
        Assert.True(zeros[1] <= zeros[2] && zeros[2] <= zeros[3] && zeros[1] < zeros[3], $"sparsity grows with λ: {string.Join(", ", zeros)}");
    }

    [Fact]
    public void L1_subgradient_mode_hovers_near_zero_without_exact_zeros()
    {
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 200, d: 10, classes: 2, seed: 9, spread: 0.5);
        var options = Plain with { Epochs = 10, BatchSize = 32, Penalty = Penalty.L1, Lambda = 0.05, L1Mode = L1Mode.Subgradient };

        var weights = new LinearTrainer().Fit(problem, options).Parameters.Weights;

        Assert.True(weights.Count(w => w == 0f) < weights.Length / 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Momentum_and_nesterov_follow_the_hand_computed_two_step_trajectory(bool nesterov)
    {
        // One sample x = 1, y = 1, no bias: the gradient of the loss at w is σ(w) − 1.
        var problem = Synthetic.FromRows(ModelKind.Logistic, 2, [[1f], [1f]], [1, 1]);
        const double eta = 0.5, mu = 0.9;
        var options = Plain with { LearningRate = eta, Momentum = mu, Nesterov = nesterov, BatchSize = 0, Epochs = 2, FitIntercept = false };
        static double Gradient(double w) => 1 / (1 + Math.Exp(-w)) - 1;

        double w0 = 0, v0 = 0;
        var v1 = mu * v0 - eta * Gradient(w0);
        var w1 = nesterov ? w0 - mu * v0 + (1 + mu) * v1 : w0 + v1;
        var v2 = mu * v1 - eta * Gradient(w1);
        var w2 = nesterov ? w1 - mu * v1 + (1 + mu) * v2 : w1 + v2;

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        Assert.Equal(w1, result.History.Epochs[0].L2Norm, 5);
        Assert.Equal(w2, result.Parameters.Weights[0], 5);
        Assert.Equal(nesterov ? 1.0418 : 0.6939, w2, 4); // worked by hand: the two rules really differ
    }

    [Theory]
    [InlineData(ScheduleKind.Constant, 0.1, 0.1, 0.1)]
    [InlineData(ScheduleKind.InverseTime, 0.1, 0.075, 0.0375)]
    [InlineData(ScheduleKind.Step, 0.1, 0.1, 0.025)]
    [InlineData(ScheduleKind.Exponential, 0.1, 0.05, 0.003125)]
    [InlineData(ScheduleKind.Cosine, 0.1, 0.09755282581, 0.05)]
    public void Schedules_give_the_expected_rate_at_epochs_0_1_and_5(ScheduleKind kind, double at0, double at1, double at5)
    {
        var schedule = new LearningRateSchedule { Kind = kind, DecayEpochs = kind == ScheduleKind.Step ? 2 : 3, DecayRate = 0.5 };

        Assert.Equal(at0, schedule.At(0.1, 0, 10), 10);
        Assert.Equal(at1, schedule.At(0.1, 1, 10), 10);
        Assert.Equal(at5, schedule.At(0.1, 5, 10), 10);
    }

    [Fact]
    public void Seed_002_inverse_time_schedule_matches_its_formula()
    {
        var schedule = LearningRateSchedule.InverseTime(3);

        Assert.Equal(0.0015, schedule.At(0.0015, 0, 100), 12);
        Assert.Equal(0.0015 / (1 + 1 / 3.0), schedule.At(0.0015, 1, 100), 12);
        Assert.Equal(0.0015 / (1 + 5 / 3.0), schedule.At(0.0015, 5, 100), 12);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_epochs_weights()
    {
        var train = Synthetic.Problem(ModelKind.Logistic, n: 100, d: 4, classes: 2, seed: 3, spread: 3);
        // The same samples with every label flipped: validation loss only gets worse as training succeeds.
        var flipped = new LinearProblem(ModelKind.Logistic, train.Features, train.Labels.Select(l => 1 - l).ToArray(), 2);
        var options = Plain with { Epochs = 50, BatchSize = 10, LearningRate = 0.05, EarlyStopping = true, Patience = 2 };

        var result = new LinearTrainer().Fit(train, options, validation: flipped);
        var oneEpoch = new LinearTrainer().Fit(train, options with { Epochs = 1, EarlyStopping = false });

        Assert.Equal(StopReason.EarlyStopped, result.StopReason);
        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(oneEpoch.Parameters.Weights, result.Parameters.Weights);
    }

    [Fact]
    public void Best_validation_epoch_is_kept_by_accuracy_when_asked()
    {
        var train = Synthetic.Problem(ModelKind.Softmax, n: 120, d: 4, classes: 3, seed: 8, spread: 2);
        var validation = Synthetic.Problem(ModelKind.Softmax, n: 60, d: 4, classes: 3, seed: 9, spread: 2);
        var options = Plain with { Epochs = 8, BatchSize = 20, Monitor = MonitorMetric.ValidationAccuracy };

        var result = new LinearTrainer().Fit(train, options, validation);

        var best = result.History.Epochs.MaxBy(e => e.ValidationAccuracy!.Value)!;
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(StopReason.Completed, result.StopReason);
    }

    [Fact]
    public void A_huge_learning_rate_is_reported_as_divergence_and_the_initial_weights_are_kept()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 100, d: 5, classes: 3, seed: 2, spread: 1);

        var result = new LinearTrainer().Fit(problem, Plain with { LearningRate = 1e6, Epochs = 5, BatchSize = 10 });

        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.Equal(1, result.EpochsRun);
        Assert.Contains("training diverged in epoch 1", result.Warning, StringComparison.Ordinal);
        Assert.Contains("kept the weights of the initialisation; try a smaller learning rate (was 1e+06)", result.Warning, StringComparison.Ordinal);
        Assert.All(result.Parameters.Weights, w => Assert.Equal(0f, w));
    }

    [Fact]
    public void A_divergence_threshold_of_zero_lets_a_growing_but_finite_loss_run_every_epoch()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 100, d: 5, classes: 3, seed: 2, spread: 1);

        var result = new LinearTrainer().Fit(problem, Plain with { LearningRate = 1e6, Epochs = 5, BatchSize = 10, DivergenceThreshold = 0 });

        Assert.Equal(StopReason.Completed, result.StopReason);
        Assert.Equal(5, result.EpochsRun);
        Assert.Null(result.Warning);
        Assert.True(result.History.Epochs[^1].TrainLoss > 100 * Math.Log(3));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_divergence_threshold_must_be_zero_or_above_one(double threshold)
    {
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => new TrainingOptions { DivergenceThreshold = threshold }.Validate());

        Assert.Contains("DivergenceThreshold must be 0 (off) or > 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NaN_loss_is_reported_as_divergence_keeping_the_last_good_epoch()
    {
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 40, d: 3, classes: 2, seed: 2);
        var good = new LinearTrainer().Fit(problem, Plain with { Epochs = 2, BatchSize = 10 });
        problem.Features.Row(5)[1] = float.NaN; // corrupt one sample after two good epochs would have run

        var result = new LinearTrainer().Fit(problem, Plain with { Epochs = 2, BatchSize = 10 });

        Assert.Equal(StopReason.Diverged, result.StopReason);
        Assert.Contains("the loss became NaN", result.Warning, StringComparison.Ordinal);
        Assert.True(result.Parameters.IsFinite());
        Assert.NotEqual(good.Parameters.Weights, result.Parameters.Weights);
    }

    [Fact]
    public void The_same_seed_gives_identical_weights_and_another_seed_different_ones()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 200, d: 6, classes: 3, seed: 4, spread: 1);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Init = WeightInit.Normal, InitStd = 0.1, Seed = 42 };

        var a = new LinearTrainer().Fit(problem, options).Parameters;
        var b = new LinearTrainer().Fit(problem, options).Parameters;
        var c = new LinearTrainer().Fit(problem, options with { Seed = 43 }).Parameters;

        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
        Assert.NotEqual(a.Weights, c.Weights);
    }

    [Fact]
    public void Normal_initialisation_has_the_requested_spread()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 10, d: 500, classes: 10, seed: 1);
        var parameters = LinearTrainer.Initialize(problem, new TrainingOptions { Init = WeightInit.Normal, InitStd = 2, Seed = 1 });

        var std = Math.Sqrt(parameters.Weights.Average(w => (double)w * w));
        Assert.InRange(std, 1.95, 2.05);
        Assert.All(parameters.Bias, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Cancellation_stops_at_the_next_batch_and_reports_interrupted()
    {
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 100, d: 3, classes: 2, seed: 6);
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(r =>
        {
            if (r.Epoch == 2)
            {
                cancel.Cancel();
            }
        });

        var result = new LinearTrainer().Fit(problem, Plain with { Epochs = 10, BatchSize = 10 }, progress: progress, cancellationToken: cancel.Token);

        Assert.Equal(StopReason.Interrupted, result.StopReason);
        Assert.Equal(2, result.EpochsRun);
        Assert.True(result.Parameters.IsFinite());
    }

    [Fact]
    public void An_interrupted_run_keeps_the_weights_of_its_last_whole_epoch()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 120, d: 5, classes: 3, seed: 8, spread: 2);
        var options = Plain with { Epochs = 10, BatchSize = 10, Schedule = LearningRateSchedule.Constant };
        using var cancel = new CancellationTokenSource();

        // 12 batches an epoch: cancelled after the 4th batch of epoch 4, as Ctrl+C lands mid-epoch.
        var batches = 0;
        var kernel = new GradientHookKernel(new ScalarReferenceKernel(), () =>
        {
            if (++batches == 3 * 12 + 4)
            {
                cancel.Cancel();
            }
        });
        var interrupted = new LinearTrainer(kernel).Fit(problem, options, cancellationToken: cancel.Token);
        var threeEpochs = new LinearTrainer(new ScalarReferenceKernel()).Fit(problem, options with { Epochs = 3 });

        Assert.Equal(StopReason.Interrupted, interrupted.StopReason);
        Assert.Equal(3, interrupted.EpochsRun);
        Assert.Equal(threeEpochs.Parameters.Weights, interrupted.Parameters.Weights);
        Assert.Equal(threeEpochs.Parameters.Bias, interrupted.Parameters.Bias);
    }

    [Fact]
    public void Per_sample_full_batch_and_mini_batch_all_learn()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 90, d: 4, classes: 3, seed: 12, spread: 4);
        foreach (var batch in new[] { 1, 0, 7 })
        {
            var result = new LinearTrainer().Fit(problem, new TrainingOptions { BatchSize = batch, Epochs = 5, LearningRate = batch == 1 ? 0.01 : 0.1 });
            Assert.True(Accuracy(problem, result) > 0.9, $"batch {batch}");
        }
    }

    [Fact]
    public void History_records_every_split_the_learning_rate_and_the_weight_norms()
    {
        var train = Synthetic.Problem(ModelKind.Softmax, n: 60, d: 4, classes: 3, seed: 1);
        var other = Synthetic.Problem(ModelKind.Softmax, n: 30, d: 4, classes: 3, seed: 2);

        var result = new LinearTrainer().Fit(train, new TrainingOptions { Epochs = 4, BatchSize = 8 }, other, other);

        Assert.Equal([1, 2, 3, 4], result.History.Epochs.Select(e => e.Epoch));
        var last = result.History.Epochs[^1];
        Assert.Equal(last.ValidationLoss, last.TestLoss);
        Assert.Equal(result.Parameters.L2Norm(), result.History.Epochs[result.BestEpoch - 1].L2Norm, 5);
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 3 / 4)) / 2, last.LearningRate, 10);
        Assert.True(result.History.Epochs.Zip(result.History.Epochs.Skip(1)).All(p => p.First.ElapsedSeconds <= p.Second.ElapsedSeconds));
        var csv = result.History.ToCsv().Split('\n');
        Assert.Equal("epoch,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,learning_rate,l1_norm,l2_norm,elapsed_seconds", csv[0]);
        Assert.Equal(6, csv.Length); // header, 4 epochs, final newline
        Assert.Contains("\"val_accuracy\":", result.History.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Early_stopping_without_a_validation_set_is_refused()
    {
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 20, d: 2, classes: 2, seed: 1);

        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => new LinearTrainer().Fit(problem, new TrainingOptions { EarlyStopping = true, BatchSize = 5 }));

        Assert.Contains("EarlyStopping needs a validation set", error.Message, StringComparison.Ordinal);
    }

    private static double GradientNorm(LinearProblem problem, TrainingOptions options, LinearParameters parameters)
    {
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
        new Objective(ScalarReferenceKernel.Instance, problem, options).ValueAndGradient(Enumerable.Range(0, problem.Rows).ToArray(), parameters, gradient, out double _);
        return Math.Sqrt(gradient.Weights.Concat(gradient.Bias).Sum(g => (double)g * g));
    }

    private sealed class Progress(Action<EpochRecord> report) : IProgress<EpochRecord>
    {
        public void Report(EpochRecord value) => report(value);
    }
}
