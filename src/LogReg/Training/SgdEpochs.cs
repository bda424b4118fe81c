using LogReg.Common;
using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// One pass of mini-batch gradient descent over the training data at a time: shuffle (when batches are smaller than
/// the data), then one step per batch. Holds every buffer, so epochs allocate nothing. Used by the trainer, and by
/// benchmarks that time epochs without evaluation.
/// </summary>
internal sealed class SgdEpochs
{
    private readonly LinearParameters _parameters;
    private Objective _objective;
    private int[] _order;
    private int _batchSize;
    private readonly SeededRandom _shuffler;
    private readonly LinearParameters _gradient;
    private readonly LinearTrainer.MomentumStep _step;
    private readonly float[] _delta;

    public SgdEpochs(Objective objective, LinearParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(parameters);
        _objective = objective;
        _parameters = parameters;
        (_order, _batchSize) = Order(objective);
        _shuffler = SeededRandom.ForStream(objective.Options.Seed, 1);
        _gradient = new LinearParameters(parameters.Outputs, parameters.Features);
        _step = new LinearTrainer.MomentumStep(parameters, objective.Options);
        _delta = new float[parameters.Outputs];
    }

    /// <summary>
    /// One epoch over another problem (incremental fitting: each call brings new samples) with the same parameters,
    /// momentum velocity and shuffling stream, so consecutive calls on consecutive batches step exactly as one epoch
    /// over their concatenation would when the batches align. The options must be those this instance was made with.
    /// </summary>
    internal (StopReason? Stop, double Loss) Run(Objective objective, double learningRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Options != _objective.Options || objective.Problem.Outputs != _parameters.Outputs || objective.Problem.FeatureCount != _parameters.Features)
        {
            throw new ArgumentException("the objective must have the same options and shape as the one the epochs were made for", nameof(objective));
        }

        if (!ReferenceEquals(objective, _objective))
        {
            _objective = objective;
            (_order, _batchSize) = Order(objective);
        }

        return Run(learningRate, cancellationToken);
    }

    private static (int[] Order, int BatchSize) Order(Objective objective)
    {
        var n = objective.Problem.Rows;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        return (order, objective.Options.BatchSize == 0 ? n : objective.Options.BatchSize);
    }

    /// <summary>
    /// Runs one epoch at <paramref name="learningRate"/>. Returns null when it completed, Interrupted when cancelled
    /// (at a batch boundary), or Diverged with the non-finite batch loss.
    /// </summary>
    public (StopReason? Stop, double Loss) Run(double learningRate, CancellationToken cancellationToken = default)
    {
        var options = _objective.Options;
        var problem = _objective.Problem;
        var n = problem.Rows;
        if (options.Shuffle && _batchSize < n)
        {
            _shuffler.Shuffle(_order.AsSpan());
        }

        for (var start = 0; start < n; start += _batchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (StopReason.Interrupted, double.NaN);
            }

            double loss;
            if (_batchSize == 1)
            {
                // Per-sample SGD: the gradient is delta ⊗ x; apply it row by row instead of building it.
                var row = _order[start];
                loss = _objective.Kernel.SampleLossAndDelta(problem, row, _parameters.Weights, _parameters.Bias, _delta);
                if (double.IsFinite(loss))
                {
                    _step.ApplyRankOne(_delta, problem.Features.Row(row), learningRate);
                }
            }
            else
            {
                var rows = _order.AsSpan(start, Math.Min(_batchSize, n - start));
                if (start + _batchSize < n)
                {
                    _objective.Kernel.PrefetchRows(problem, _order.AsSpan(start + _batchSize, Math.Min(_batchSize, n - start - _batchSize)));
                }

                // The kernel takes the step (penalty, momentum, L1 threshold) itself, on the cores that summed the
                // gradient, and only when the batch's loss is finite; the mean's 1/rows goes into the step size.
                var step = _step.ForBatch(_gradient, learningRate, _objective.DataScale(rows.Length), options.PenaltyCount(rows.Length));
                loss = _objective.DataLossAndStep(rows, _parameters, _gradient, step).LossSum;
            }

            if (!double.IsFinite(loss))
            {
                return (StopReason.Diverged, loss);
            }

            if (_batchSize == 1)
            {
                Penalties.ApplyProximal(options, _parameters, learningRate);
            }
        }

        return (null, 0);
    }
}
