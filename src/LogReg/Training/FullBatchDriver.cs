using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// The one loop every full-batch optimizer runs (L-BFGS, OWL-QN, Newton-CG): evaluate the objective and its gradient on
/// the whole training set, ask the <see cref="DescentDirection"/> for a direction, backtrack from its first step until
/// the Armijo condition holds, hand the accepted step back to the direction (its curvature memory), record the
/// iteration. The stopping rules live here only: the largest component of the direction's stationarity measure (the
/// gradient, or OWL-QN's pseudo-gradient) below Tol (as scikit-learn's lbfgs), a relative change of the objective
/// below LossTol, no step that decreases it strictly any more (the optimum to float precision: the search stops as soon
/// as its trial point rounds to the current float weights), cancellation, or MaxIterations iterations. The point is kept in double; the model's float parameters hold it whenever the loop returns.
/// </summary>
internal sealed class FullBatchDriver
{
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;

    private readonly Objective _objective;
    private readonly EpochTracker _tracker;
    private int[]? _rows;

    /// <summary>Loss and accuracy of the data at the last point evaluated.</summary>
    private EvaluationSums _lastSums;

    public FullBatchDriver(Objective objective, EpochTracker tracker)
    {
        _objective = objective;
        _tracker = tracker;
    }

    /// <summary>Largest component of the stationarity measure at the end (the ∞-norm), for tests and reports.</summary>
    public double FinalGradientNorm { get; private set; }

    /// <summary>The objective at the end (with an L1 part, if any).</summary>
    public double FinalObjective { get; private set; }

    /// <summary>Objective and gradient evaluations so far: passes over the data, one per iteration when every first step is accepted.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Minimises the objective from <paramref name="parameters"/> (changed in place) along <paramref name="direction"/>'s steps.</summary>
    public StopReason Minimize(LinearParameters parameters, DescentDirection direction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(direction);
        var options = _objective.Options;
        var n = parameters.Weights.Length + parameters.Bias.Length;
        var x = new double[n];
        var g = new double[n];
        var d = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
        direction.Start(parameters);

        FlatVector.Flatten(parameters, x);
        var f = Evaluate(x, parameters, gradient, g);
        FinalObjective = f;
        FinalGradientNorm = direction.Stationarity(x, g);
        if (!double.IsFinite(f))
        {
            return _tracker.Diverged(1, f, 0);
        }

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                FlatVector.Unflatten(x, parameters);
                return StopReason.Interrupted;
            }

            if (FinalGradientNorm < options.Tol)
            {
                FlatVector.Unflatten(x, parameters);
                if (iteration == 1)
                {
                    _tracker.EndEpoch(0, 0);
                }

                return StopReason.Converged;
            }

            // The parameters hold x here (the last accepted point), as a direction that evaluates curvature needs.
            var slope = direction.Compute(x, g, parameters, d, cancellationToken);
            var step = direction.FirstStep(slope);
            double fNew = double.NaN;
            var accepted = false;
            for (var k = 0; k < MaxBacktracks; k++)
            {
                var predicted = direction.TrialPoint(x, d, step, slope, xNew);
                if (SameInFloat(x, xNew))
                {
                    // The model holds its weights in float: this step, and every shorter one, evaluates x itself.
                    break;
                }

                fNew = Evaluate(xNew, parameters, gradient, gNew);

                // A strict decrease: at float precision the Armijo bound rounds to f itself, and a point of equal value
                // is no progress (accepting it would repeat the same vanishing steps until MaxIterations).
                if (double.IsFinite(fNew) && fNew <= f + Armijo * predicted && fNew < f)
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                // No decrease is possible along the best direction: we are at the optimum to float precision.
                FlatVector.Unflatten(x, parameters);
                _tracker.EndEpoch(iteration, 0);
                return StopReason.Converged;
            }

            var acceptedSums = _lastSums;
            direction.Accepted(x, xNew, g, gNew);
            var relativeChange = Math.Abs(f - fNew) / Math.Max(Math.Max(Math.Abs(f), Math.Abs(fNew)), 1);
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            FinalObjective = f;
            FinalGradientNorm = direction.Stationarity(x, g);
            FlatVector.Unflatten(x, parameters);
            if (_tracker.EndEpoch(iteration, step, acceptedSums) is { } stop)
            {
                return stop;
            }

            if (FinalGradientNorm < options.Tol || relativeChange < options.LossTol)
            {
                return StopReason.Converged;
            }
        }

        return StopReason.Completed;
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> round to the same float parameters.</summary>
    private static bool SameInFloat(double[] a, double[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if ((float)a[i] != (float)b[i])
            {
                return false;
            }
        }

        return true;
    }

    private double Evaluate(double[] point, LinearParameters parameters, LinearParameters gradient, double[] g)
    {
        FlatVector.Unflatten(point, parameters);
        Evaluations++;
        var value = _objective.ValueAndGradient(_rows ??= Enumerable.Range(0, _objective.Problem.Rows).ToArray(), parameters, gradient, out _lastSums);
        FlatVector.Flatten(gradient, g);
        return value;
    }
}

/// <summary>
/// How a full-batch optimizer chooses its step: the part of L-BFGS, OWL-QN and Newton-CG that differs, plugged into
/// <see cref="FullBatchDriver"/>. Vectors are the flattened parameters (weights, then biases) in double.
/// </summary>
internal abstract class DescentDirection
{
    /// <summary>Readies the direction's buffers for parameters shaped like <paramref name="parameters"/>.</summary>
    public abstract void Start(LinearParameters parameters);

    /// <summary>
    /// The ∞-norm of what must vanish at the optimum: the gradient <paramref name="g"/> of a smooth objective, the
    /// pseudo-gradient with an L1 part. Called once per accepted point, before <see cref="Compute"/>.
    /// </summary>
    public virtual double Stationarity(double[] x, double[] g) => FlatVector.Norm(g);

    /// <summary>
    /// Writes the search direction at <paramref name="x"/> into <paramref name="d"/> and returns its slope (the
    /// directional derivative, negative for a descent direction). <paramref name="current"/> holds x in float.
    /// </summary>
    public abstract double Compute(double[] x, double[] g, LinearParameters current, double[] d, CancellationToken cancellationToken);

    /// <summary>The first step length the line search tries.</summary>
    public virtual double FirstStep(double slope) => 1;

    /// <summary>
    /// Writes the trial point x + step·d into <paramref name="xNew"/> and returns the first-order change of the
    /// objective it predicts, which the Armijo condition scales.
    /// </summary>
    public virtual double TrialPoint(double[] x, double[] d, double step, double slope, double[] xNew)
    {
        for (var i = 0; i < x.Length; i++)
        {
            xNew[i] = x[i] + step * d[i];
        }

        return step * slope;
    }

    /// <summary>The line search accepted <paramref name="xNew"/> (gradient <paramref name="gNew"/>) after <paramref name="x"/>.</summary>
    public virtual void Accepted(double[] x, double[] xNew, double[] g, double[] gNew)
    {
    }

    /// <summary>Steepest descent −<paramref name="g"/> into <paramref name="d"/>; returns its slope −‖g‖².</summary>
    internal static double SteepestDescent(double[] g, double[] d)
    {
        for (var i = 0; i < g.Length; i++)
        {
            d[i] = -g[i];
        }

        return -FlatVector.Dot(g, g);
    }
}
