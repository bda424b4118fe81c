using System.Numerics.Tensors;
using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Trains a linear classifier on a prepared problem: mini-batch gradient descent (full batch, mini-batch or per sample,
/// with classical or Nesterov momentum, penalties and a learning-rate schedule), or to the optimum on the full batch by
/// L-BFGS, OWL-QN (with an L1 part) or Newton-CG. The data part of every step
/// goes through one <see cref="ILinearKernel"/>, so faster kernels change nothing here.
/// </summary>
internal sealed class LinearTrainer
{
    private readonly ILinearKernel? _kernel;

    /// <param name="kernel">The kernel to use; by default the shared fast kernel with <see cref="TrainingOptions.Threads"/> threads.</param>
    public LinearTrainer(ILinearKernel? kernel = null)
    {
        _kernel = kernel;
    }

    /// <summary>
    /// Trains on <paramref name="train"/>. With <paramref name="validation"/> the best epoch by the monitored metric is
    /// kept (and early stopping watches it); <paramref name="test"/> is only evaluated for the history. Cancellation
    /// stops at the next batch and returns the best weights so far with <see cref="StopReason.Interrupted"/>.
    /// <paramref name="initial"/> starts from given parameters instead of <see cref="TrainingOptions.Init"/> (warm
    /// start; it is copied, not changed); <paramref name="stopWhen"/> sees every epoch's record after
    /// <paramref name="progress"/> and ends training with <see cref="StopReason.Stopped"/> when it returns true.
    /// </summary>
    public TrainingResult Fit(
        LinearProblem train,
        TrainingOptions options,
        LinearProblem? validation = null,
        LinearProblem? test = null,
        IProgress<EpochRecord>? progress = null,
        LinearParameters? initial = null,
        Func<EpochRecord, bool>? stopWhen = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(train.Rows);
        if (options.EarlyStopping && validation is null)
        {
            throw new InvalidSettingException("EarlyStopping needs a validation set: set ValidationFraction (e.g. 0.1) or give one", nameof(options));
        }

        foreach (var other in new[] { validation, test })
        {
            if (other is not null && (other.Kind != train.Kind || other.FeatureCount != train.FeatureCount || other.ClassCount != train.ClassCount))
            {
                throw new ArgumentException($"validation and test problems must match the training problem ({train.Kind}, {train.FeatureCount} features, {train.ClassCount} classes)", nameof(validation));
            }
        }

        CheckDecision(train.Kind, options);
        if (options.Optimizer == OptimizerKind.Cdn)
        {
            CdnOptimizer.Check(train.Kind);
        }


        if (initial is not null && (initial.Outputs != train.Outputs || initial.Features != train.FeatureCount))
        {
            throw new ArgumentException($"the initial parameters have {initial.Outputs} outputs of {initial.Features} features but the problem needs {train.Outputs} of {train.FeatureCount}", nameof(initial));
        }

        var kernel = WithDecision(_kernel ?? LinearKernels.ForThreads(options.Threads), options);
        var parameters = initial?.Clone() ?? Initialize(train, options);
        var tracker = new EpochTracker(options, kernel, train, validation, test, parameters, progress, stopWhen);
        var objective = new Objective(kernel, train, options.Optimizer == OptimizerKind.Owlqn ? options with { L1Mode = L1Mode.Proximal } : options);
        tracker.Start();
        var reason = options.Optimizer switch
        {
            OptimizerKind.Lbfgs => new FullBatchDriver(objective, tracker).Minimize(parameters, new LbfgsDirection(options.LbfgsMemory), cancellationToken),
            OptimizerKind.Owlqn => new FullBatchDriver(objective, tracker).Minimize(parameters, new OwlqnDirection(objective.Options), cancellationToken),
            OptimizerKind.Newton => RunNewton(objective, tracker, parameters, cancellationToken),
            OptimizerKind.Cdn => CdnOptimizer.Run(objective, tracker, parameters, cancellationToken),
            _ => RunSgd(objective, tracker, parameters, cancellationToken),
        };
        tracker.ChooseFinal(reason);
        return new TrainingResult(parameters, tracker.History, reason, tracker.BestEpoch, tracker.Warning, tracker.Seconds);
    }

    /// <summary>The decision by probabilities is one-vs-rest's only; the other kinds decide by their scores.</summary>
    internal static void CheckDecision(ModelKind kind, TrainingOptions options)
    {
        if (options.Decision == Decision.Probabilities && kind != ModelKind.OneVsRest)
        {
            throw new InvalidSettingException("Decision Probabilities applies to one-vs-rest models only (--model ovr); other kinds decide by their scores", nameof(options));
        }
    }

    /// <summary>The kernel that counts accuracy by the options' decision rule.</summary>
    internal static ILinearKernel WithDecision(ILinearKernel kernel, TrainingOptions options) =>
        options.Decision == Decision.Probabilities ? new SigmoidArgMaxKernel(kernel) : kernel;

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

    private static StopReason RunNewton(Objective objective, EpochTracker tracker, LinearParameters parameters, CancellationToken cancellationToken)
    {
        using var hessian = new HessianVectorKernel(objective.Options.Threads == 0 ? Environment.ProcessorCount : objective.Options.Threads);
        return new FullBatchDriver(objective, tracker).Minimize(parameters, new NewtonDirection(objective, hessian), cancellationToken);
    }

    private static StopReason RunSgd(Objective objective, EpochTracker tracker, LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = objective.Options;
        var epochs = new SgdEpochs(objective, parameters);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var learningRate = options.Schedule.At(options.LearningRate, epoch, options.Epochs);
            var (stop, loss) = epochs.Run(learningRate, cancellationToken);
            if (stop == StopReason.Interrupted)
            {
                return StopReason.Interrupted;
            }

            if (stop == StopReason.Diverged)
            {
                return tracker.Diverged(epoch + 1, loss, learningRate);
            }

            if (tracker.EndEpoch(epoch + 1, learningRate) is { } end)
            {
                return end;
            }
        }

        return StopReason.Completed;
    }

    /// <summary>
    /// w ← w − ηg without momentum; classical momentum v ← μv − ηg, w ← w + v; Nesterov (the look-ahead form used by
    /// CS231n): v' ← μv − ηg, w ← w − μv + (1 + μ)v', computed as w ← w + μ²v − (1 + μ)ηg, v ← μv − ηg. Penalty
    /// gradients (2λw, and λ·sign(w) in subgradient mode) join g here, and the proximal L1 threshold follows the step.
    /// </summary>
    internal sealed class MomentumStep : Kernels.IGradientStep
    {
        private readonly LinearParameters _parameters;
        private readonly TrainingOptions _options;
        private readonly float _momentum;
        private readonly bool _nesterov;
        private readonly LinearParameters? _velocity;
        private readonly float[] _row;
        private LinearParameters? _gradient;
        private float _eta;
        private float _twoL2;
        private float _l1;
        private float? _proximal;

        public MomentumStep(LinearParameters parameters, TrainingOptions options)
        {
            _parameters = parameters;
            _options = options;
            _momentum = (float)options.Momentum;
            _nesterov = options.Nesterov;
            _velocity = _momentum > 0 ? new LinearParameters(parameters.Outputs, parameters.Features) : null;
            _row = new float[parameters.Features];
        }

        /// <summary>
        /// Readies the step of one batch, whose data gradient the kernel will leave in <paramref name="gradient"/> as a
        /// plain sum that <paramref name="gradientScale"/> turns into the objective's (1/rows for the mean): the step
        /// uses η·scale·g, so the mean costs no pass of its own, and the penalty gradient joins g divided by the same
        /// scale. The L1 soft-threshold follows the step in proximal mode. <paramref name="penaltyCount"/> is how many
        /// times the batch counts the penalty (<see cref="TrainingOptions.PenaltyCount"/>).
        /// </summary>
        public Kernels.IGradientStep ForBatch(LinearParameters gradient, double learningRate, double gradientScale, double penaltyCount = 1)
        {
            _gradient = gradient;
            _eta = (float)(learningRate * gradientScale);
            (_twoL2, _l1) = Penalties.GradientTerms(_options, penaltyCount / gradientScale);
            _proximal = Penalties.ProximalThreshold(_options, learningRate * penaltyCount);
            return this;
        }

        public void StepWeights(int start, int end)
        {
            var w = _parameters.Weights.AsSpan(start, end - start);
            var g = _gradient!.Weights.AsSpan(start, end - start);
            if (_twoL2 != 0 || _l1 != 0)
            {
                Penalties.Add(w, g, _twoL2, _l1);
            }

            Update(w, g, _velocity is null ? default : _velocity.Weights.AsSpan(start, end - start), _eta);
            if (_proximal is { } threshold)
            {
                Penalties.SoftThreshold(w, threshold);
            }
        }

        public void StepBias()
        {
            var b = _parameters.Bias.AsSpan();
            var g = _gradient!.Bias.AsSpan();
            if (!_options.FitIntercept)
            {
                g.Clear();
            }

            if (_options.PenalizeBias && (_twoL2 != 0 || _l1 != 0))
            {
                Penalties.Add(b, g, _twoL2, _l1);
            }

            Update(b, g, _velocity is null ? default : _velocity.Bias.AsSpan(), _eta);
            if (_options.PenalizeBias && _proximal is { } threshold)
            {
                Penalties.SoftThreshold(b, threshold);
            }
        }

        /// <summary>One per-sample step with the gradient delta ⊗ x (plus the penalty gradient), row by row.</summary>
        public void ApplyRankOne(ReadOnlySpan<float> delta, ReadOnlySpan<float> x, double learningRate)
        {
            var eta = (float)learningRate;
            var twoL2 = (float)(2 * _options.L2Strength);
            var l1 = _options.L1Mode == L1Mode.Subgradient ? (float)_options.L1Strength : 0f;
            var penalised = twoL2 != 0 || l1 != 0;
            for (var k = 0; k < delta.Length; k++)
            {
                var w = _parameters.Row(k);
                if (_velocity is null && !penalised)
                {
                    TensorPrimitives.MultiplyAdd(x, -eta * delta[k], w, w);
                }
                else
                {
                    var g = _row.AsSpan();
                    TensorPrimitives.Multiply(x, delta[k], g);
                    if (penalised)
                    {
                        AddPenalty(w, g, twoL2, l1);
                    }

                    Update(w, g, _velocity is null ? default : _velocity.Row(k), eta);
                }
            }

            if (!_options.FitIntercept)
            {
                return;
            }

            for (var k = 0; k < delta.Length; k++)
            {
                var g = delta[k];
                if (_options.PenalizeBias)
                {
                    var b = _parameters.Bias[k];
                    g += twoL2 * b + l1 * Math.Sign(b);
                }

                Update(_parameters.Bias.AsSpan(k, 1), new ReadOnlySpan<float>(in g), _velocity is null ? default : _velocity.Bias.AsSpan(k, 1), eta);
            }
        }

        private void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float eta)
        {
            if (v.IsEmpty)
            {
                TensorPrimitives.MultiplyAdd(g, -eta, w, w);
                return;
            }

            var mu = _momentum;
            if (_nesterov)
            {
                TensorPrimitives.MultiplyAdd(v, mu * mu, w, w);
                TensorPrimitives.MultiplyAdd(g, -(1 + mu) * eta, w, w);
            }

            TensorPrimitives.Multiply(v, mu, v);
            TensorPrimitives.MultiplyAdd(g, -eta, v, v);
            if (!_nesterov)
            {
                TensorPrimitives.Add(w, v, w);
            }
        }

        private static void AddPenalty(ReadOnlySpan<float> w, Span<float> g, float twoL2, float l1)
        {
            for (var j = 0; j < g.Length; j++)
            {
                g[j] += twoL2 * w[j] + l1 * Math.Sign(w[j]);
            }
        }
    }
}
