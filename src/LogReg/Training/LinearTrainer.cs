using System.Numerics.Tensors;
using LogReg.Common;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Trains a linear classifier on a prepared problem: mini-batch gradient descent (full batch, mini-batch or per sample,
/// with classical or Nesterov momentum, penalties and a learning-rate schedule) or L-BFGS. The data part of every step
/// goes through one <see cref="ILinearKernel"/>, so faster kernels change nothing here.
/// </summary>
public sealed class LinearTrainer
{
    private readonly ILinearKernel _kernel;

    public LinearTrainer(ILinearKernel? kernel = null)
    {
        _kernel = kernel ?? LinearKernels.Default;
    }

    /// <summary>
    /// Trains on <paramref name="train"/>. With <paramref name="validation"/> the best epoch by the monitored metric is
    /// kept (and early stopping watches it); <paramref name="test"/> is only evaluated for the history. Cancellation
    /// stops at the next batch and returns the best weights so far with <see cref="StopReason.Interrupted"/>.
    /// </summary>
    public TrainingResult Fit(
        LinearProblem train,
        TrainingOptions options,
        LinearProblem? validation = null,
        LinearProblem? test = null,
        IProgress<EpochRecord>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(train.Rows);
        if (options.EarlyStopping && validation is null)
        {
            throw new ArgumentException("EarlyStopping needs a validation set: set ValidationFraction (e.g. 0.1) or give one", nameof(options));
        }

        foreach (var other in new[] { validation, test })
        {
            if (other is not null && (other.Kind != train.Kind || other.FeatureCount != train.FeatureCount || other.ClassCount != train.ClassCount))
            {
                throw new ArgumentException($"validation and test problems must match the training problem ({train.Kind}, {train.FeatureCount} features, {train.ClassCount} classes)", nameof(validation));
            }
        }

        var parameters = Initialize(train, options);
        var tracker = new EpochTracker(options, _kernel, train, validation, test, parameters, progress);
        var objective = new Objective(_kernel, train, options);
        tracker.Start();
        var reason = options.Optimizer == OptimizerKind.Lbfgs
            ? new LbfgsOptimizer(objective, tracker).Minimize(parameters, cancellationToken)
            : RunSgd(objective, tracker, parameters, cancellationToken);
        tracker.ChooseFinal(reason);
        return new TrainingResult(parameters, tracker.History, reason, tracker.BestEpoch, tracker.Warning, tracker.Seconds);
    }

    /// <summary>Zeros, or normal(0, σ) weights from the seed; the bias always starts at zero.</summary>
    internal static LinearParameters Initialize(LinearProblem problem, TrainingOptions options)
    {
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        if (options.Init == WeightInit.Normal)
        {
            var random = SeededRandom.ForStream(options.Seed, 0);
            for (var i = 0; i < parameters.Weights.Length; i++)
            {
                parameters.Weights[i] = (float)(options.InitStd * random.NextGaussian());
            }
        }

        return parameters;
    }

    private static StopReason RunSgd(Objective objective, EpochTracker tracker, LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = objective.Options;
        var n = objective.Problem.Rows;
        var batchSize = options.BatchSize == 0 ? n : options.BatchSize;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var shuffler = SeededRandom.ForStream(options.Seed, 1);
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
        var step = new MomentumStep(parameters, options);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var learningRate = options.Schedule.At(options.LearningRate, epoch, options.Epochs);
            if (options.Shuffle && batchSize < n)
            {
                shuffler.Shuffle(order.AsSpan());
            }

            for (var start = 0; start < n; start += batchSize)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return StopReason.Interrupted;
                }

                var rows = order.AsSpan(start, Math.Min(batchSize, n - start));
                objective.ValueAndGradient(rows, parameters, gradient, out var lossSum);
                if (!double.IsFinite(lossSum))
                {
                    return tracker.Diverged(epoch + 1, lossSum, learningRate);
                }

                step.Apply(gradient, learningRate);
                Penalties.ApplyProximal(options, parameters, learningRate);
            }

            if (tracker.EndEpoch(epoch + 1, learningRate) is { } stop)
            {
                return stop;
            }
        }

        return StopReason.Completed;
    }

    /// <summary>
    /// w ← w − ηg without momentum; classical momentum v ← μv − ηg, w ← w + v; Nesterov (the look-ahead form used by
    /// CS231n): v' ← μv − ηg, w ← w − μv + (1 + μ)v'.
    /// </summary>
    internal sealed class MomentumStep
    {
        private readonly LinearParameters _parameters;
        private readonly float _momentum;
        private readonly bool _nesterov;
        private readonly LinearParameters? _velocity;
        private readonly LinearParameters? _previous;

        public MomentumStep(LinearParameters parameters, TrainingOptions options)
        {
            _parameters = parameters;
            _momentum = (float)options.Momentum;
            _nesterov = options.Nesterov;
            if (_momentum > 0)
            {
                _velocity = new LinearParameters(parameters.Outputs, parameters.Features);
                _previous = _nesterov ? new LinearParameters(parameters.Outputs, parameters.Features) : null;
            }
        }

        public void Apply(LinearParameters gradient, double learningRate)
        {
            var eta = (float)learningRate;
            if (_velocity is null)
            {
                TensorPrimitives.MultiplyAdd(gradient.Weights, -eta, _parameters.Weights, _parameters.Weights);
                TensorPrimitives.MultiplyAdd(gradient.Bias, -eta, _parameters.Bias, _parameters.Bias);
                return;
            }

            Update(_parameters.Weights, gradient.Weights, _velocity.Weights, _previous?.Weights, eta);
            Update(_parameters.Bias, gradient.Bias, _velocity.Bias, _previous?.Bias, eta);
        }

        private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> v, Span<float> previous, float eta)
        {
            var mu = _momentum;
            if (!_nesterov)
            {
                for (var i = 0; i < w.Length; i++)
                {
                    v[i] = mu * v[i] - eta * g[i];
                    w[i] += v[i];
                }

                return;
            }

            for (var i = 0; i < w.Length; i++)
            {
                previous[i] = v[i];
                v[i] = mu * v[i] - eta * g[i];
                w[i] += -mu * previous[i] + (1 + mu) * v[i];
            }
        }
    }
}
