using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Proximal Newton with coordinate descent over features (CDN, the newGLMNET method of Yuan, Ho and Lin 2012, which
/// LIBLINEAR's <c>-s 6</c> runs) on the full batch: the optimum of the cross-entropy plus λ1‖w‖₁ + λ2‖w‖² (L1, elastic
/// net, L2 or none), with exact zeros. Each iteration takes the loss's gradient and Hessian diagonal weights
/// D = c·p(1 − p), minimises the quadratic model plus the L1 part by cyclic coordinate descent over the features (in a
/// seeded random order, on a column-major sparse copy of the data), and takes the longest step 1, ½, ¼, … along the
/// result that decreases the whole (non-smooth) objective enough. Features at zero whose gradient lies well inside
/// [−λ1, λ1] are left out of the coordinate descent (shrinking); the inner tolerance tightens when an inner solve ends
/// after one sweep. Binary and one-vs-rest models only: one-vs-rest is one binary problem per class (its objective is
/// their sum), solved side by side, a class per thread. Softmax couples the classes and is refused (OWL-QN solves it).
/// Stops as the other full-batch solvers: the largest minimum-norm subgradient component below Tol, a relative
/// objective change below LossTol, no decrease possible, or MaxIterations iterations. Deterministic: every sum has a
/// fixed order (fixed blocks of rows, one feature per sum), so the thread count changes nothing.
/// </summary>
internal sealed class CdnOptimizer : IDisposable
{
    private readonly Objective _objective;
    private readonly EpochTracker _tracker;
    private readonly WorkerPool? _pool;
    private readonly CdnOutput[] _outputs;
    private readonly Action<int, int> _iterateOne;
    private readonly int[] _running;

    /// <summary>A solver for <paramref name="objective"/>'s problem from <paramref name="parameters"/> (copied in, not changed yet).</summary>
    public CdnOptimizer(Objective objective, EpochTracker tracker, LinearParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(parameters);
        Check(objective.Problem.Kind);
        _objective = objective;
        _tracker = tracker;
        var options = objective.Options;
        var problem = objective.Problem;
        var threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        _pool = threads > 1 ? new WorkerPool(threads) : null;
        var columns = SparseColumns.From(problem);
        _outputs = new CdnOutput[parameters.Outputs];
        for (var k = 0; k < _outputs.Length; k++)
        {
            var positive = problem.Kind == ModelKind.Logistic ? 1 : k;
            _outputs[k] = new CdnOutput(columns, problem, options, positive, SeededRandom.ForStream(options.Seed, 7919 + k));
            _outputs[k].Start(parameters.Row(k), parameters.Bias[k], _outputs.Length == 1 ? _pool : null, alone: _outputs.Length == 1);
        }

        _running = new int[_outputs.Length];
        _iterateOne = (item, _) => _outputs[_running[item]].Iterate();
    }

    /// <summary>The objective (with its penalty, as <see cref="Objective"/> defines it) at the end.</summary>
    public double FinalObjective { get; private set; }

    /// <summary>Largest minimum-norm subgradient component at the last check, in the objective's units.</summary>
    public double FinalGradientNorm { get; private set; }

    /// <summary>Coordinate-descent sweeps over the features, all iterations and outputs together.</summary>
    public long InnerSweeps { get; private set; }

    /// <summary>How many inner solves formed the Hessian of their active coordinates, all outputs together.</summary>
    public int HessiansFormed => _outputs.Sum(o => o.HessiansFormed);

    /// <summary>The binary problem of output <paramref name="k"/>.</summary>
    internal CdnOutput Output(int k) => _outputs[k];

    /// <summary>Refuses the models CDN does not solve: softmax, whose classes share each sample's loss.</summary>
    public static void Check(ModelKind kind)
    {
        if (kind == ModelKind.Softmax)
        {
            throw new InvalidSettingException("the cdn optimizer solves binary and one-vs-rest models (one binary problem per class); for softmax with an L1 part use --optimizer owlqn", nameof(TrainingOptions.Optimizer));
        }
    }

    /// <summary>Runs a solver from <paramref name="parameters"/> and leaves its result there.</summary>
    public static StopReason Run(Objective objective, EpochTracker tracker, LinearParameters parameters, CancellationToken cancellationToken)
    {
        using var solver = new CdnOptimizer(objective, tracker, parameters);
        return solver.Minimize(parameters, cancellationToken);
    }

    public StopReason Minimize(LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = _objective.Options;
        var scale = _objective.DataScale(_objective.Problem.Rows);
        Report(parameters, scale);
        if (!double.IsFinite(FinalObjective))
        {
            return _tracker.Diverged(1, FinalObjective, 0);
        }

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return StopReason.Interrupted;
            }

            var running = 0;
            for (var k = 0; k < _outputs.Length; k++)
            {
                if (!_outputs[k].Done)
                {
                    _running[running++] = k;
                }
            }

            if (_pool is null || running == 1)
            {
                for (var r = 0; r < running; r++)
                {
                    _outputs[_running[r]].Iterate();
                }
            }
            else
            {
                // One-vs-rest: the classes are independent problems, a class per worker (each class's own sums are
                // serial, so which worker runs it changes nothing).
                _pool.Run(running, _iterateOne);
            }

            Report(parameters, scale);
            var step = 1.0;
            var done = true;
            for (var k = 0; k < _outputs.Length; k++)
            {
                step = Math.Min(step, _outputs[k].LastStep);
                done &= _outputs[k].Done;
            }

            if (_tracker.EndEpoch(iteration, step) is { } stop)
            {
                return stop;
            }

            if (done)
            {
                return StopReason.Converged;
            }
        }

        return StopReason.Completed;
    }

    public void Dispose() => _pool?.Dispose();

    private void Report(LinearParameters parameters, double scale)
    {
        double objective = 0, largest = 0;
        long sweeps = 0;
        for (var k = 0; k < _outputs.Length; k++)
        {
            var output = _outputs[k];
            output.CopyTo(parameters.Row(k), ref parameters.Bias[k]);
            objective += output.Value;
            largest = Math.Max(largest, output.LargestViolation);
            sweeps += output.Sweeps;
        }

        FinalObjective = scale * objective;
        FinalGradientNorm = scale * largest;
        InnerSweeps = sweeps;
    }
}
