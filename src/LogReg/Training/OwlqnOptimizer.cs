using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Orthant-wise limited-memory quasi-Newton (OWL-QN, Andrew and Gao 2007) on the full batch: the optimum of the smooth
/// objective plus λ1‖w‖₁. L-BFGS's curvature pairs come from the smooth part's gradients; the L1 part enters through the
/// pseudo-gradient (the steepest-descent subgradient: g ± λ1 where a weight is non-zero, the gap's nearer end or 0 where
/// it is zero), the direction is kept to the pseudo-gradient's orthant, and every trial point of the line search is
/// projected onto the orthant of the current point, so weights that would cross zero stop at exactly zero. The bias is
/// penalised (and projected) only with PenalizeBias, as in every other optimizer. Stops when the largest
/// pseudo-gradient component falls below Tol, the objective changes by less than LossTol (relative), no step
/// decreases it any more, or after MaxIterations iterations. Deterministic: the data part is the kernel's full-batch
/// gradient, whose sums do not depend on the thread count.
/// </summary>
internal sealed class OwlqnOptimizer
{
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;

    private readonly Objective _objective;
    private readonly EpochTracker _tracker;
    private EvaluationSums _lastSums;
    private int[]? _rows;

    /// <param name="objective">The objective with the L1 part in its value but not its gradient (<see cref="L1Mode.Proximal"/>).</param>
    public OwlqnOptimizer(Objective objective, EpochTracker tracker)
    {
        if (objective.Options.L1Mode != L1Mode.Proximal)
        {
            throw new ArgumentException("OWL-QN takes the objective whose gradient leaves the L1 part out (L1Mode.Proximal)", nameof(objective));
        }

        _objective = objective;
        _tracker = tracker;
    }

    /// <summary>Largest pseudo-gradient component at the end (the ∞-norm), for tests and reports.</summary>
    public double FinalGradientNorm { get; private set; }

    /// <summary>The objective (with its L1 part) at the end.</summary>
    public double FinalObjective { get; private set; }

    public StopReason Minimize(LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = _objective.Options;
        var weightCount = parameters.Weights.Length;
        var n = weightCount + parameters.Bias.Length;
        var l1 = options.L1Strength;
        var penalised = l1 == 0 ? 0 : options.PenalizeBias ? n : weightCount;
        var memory = options.LbfgsMemory;
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        for (var i = 0; i < memory; i++)
        {
            s[i] = new double[n];
            y[i] = new double[n];
        }

        var alpha = new double[memory];
        var stored = 0;
        var newest = -1;

        var x = new double[n];
        var g = new double[n];
        var pg = new double[n];
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);

        LbfgsOptimizer.Flatten(parameters, x);
        var f = Evaluate(x, parameters, gradient, g);
        FinalObjective = f;
        PseudoGradient(x, g, pg, penalised, l1);
        FinalGradientNorm = LbfgsOptimizer.Norm(pg);
        if (!double.IsFinite(f))
        {
            return _tracker.Diverged(1, f, 0);
        }

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                LbfgsOptimizer.Unflatten(x, parameters);
                return StopReason.Interrupted;
            }

            if (FinalGradientNorm < options.Tol)
            {
                LbfgsOptimizer.Unflatten(x, parameters);
                if (iteration == 1)
                {
                    _tracker.EndEpoch(0, 0);
                }

                return StopReason.Converged;
            }

            // The quasi-Newton direction for the pseudo-gradient, with every component that does not point against it
            // dropped: the step then stays in the orthant where the objective is smooth and the model holds.
            LbfgsOptimizer.TwoLoop(pg, s, y, rho, alpha, stored, newest, memory, direction);
            for (var i = 0; i < n; i++)
            {
                if (direction[i] * pg[i] >= 0)
                {
                    direction[i] = 0;
                }
            }

            var slope = LbfgsOptimizer.Dot(pg, direction);
            if (!(slope < 0))
            {
                stored = 0;
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -pg[i];
                }

                slope = -LbfgsOptimizer.Dot(pg, pg);
            }

            var step = stored == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            double fNew = double.NaN;
            var accepted = false;
            for (var k = 0; k < MaxBacktracks; k++)
            {
                double decrease = 0;
                for (var i = 0; i < n; i++)
                {
                    var value = (double)(float)(x[i] + step * direction[i]);
                    if (i < penalised)
                    {
                        // The orthant of x (of −pg where x is zero); a trial value outside it is zero.
                        var orthant = x[i] != 0 ? Math.Sign(x[i]) : -Math.Sign(pg[i]);
                        if (Math.Sign(value) != orthant)
                        {
                            value = 0;
                        }
                    }

                    xNew[i] = value;
                    decrease += pg[i] * (value - x[i]);
                }

                fNew = Evaluate(xNew, parameters, gradient, gNew);
                if (double.IsFinite(fNew) && fNew <= f + Armijo * decrease)
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                // No decrease is possible along the best direction: the optimum to float precision.
                LbfgsOptimizer.Unflatten(x, parameters);
                _tracker.EndEpoch(iteration, 0);
                return StopReason.Converged;
            }

            var acceptedSums = _lastSums;

            newest = (newest + 1) % memory;
            double sy = 0, yy = 0;
            for (var i = 0; i < n; i++)
            {
                s[newest][i] = xNew[i] - x[i];
                y[newest][i] = gNew[i] - g[i];
                sy += s[newest][i] * y[newest][i];
                yy += y[newest][i] * y[newest][i];
            }

            if (sy > 1e-12 * yy)
            {
                rho[newest] = 1 / sy;
                stored = Math.Min(stored + 1, memory);
            }
            else
            {
                newest = (newest - 1 + memory) % memory;
            }

            var relativeChange = Math.Abs(f - fNew) / Math.Max(Math.Max(Math.Abs(f), Math.Abs(fNew)), 1);
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            FinalObjective = f;
            PseudoGradient(x, g, pg, penalised, l1);
            FinalGradientNorm = LbfgsOptimizer.Norm(pg);
            LbfgsOptimizer.Unflatten(x, parameters);
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

    /// <summary>
    /// The pseudo-gradient of f + λ1‖x‖₁ over the first <paramref name="penalised"/> components (the rest are smooth):
    /// the one-sided derivative in the direction of steepest descent, zero where 0 is in the subdifferential.
    /// </summary>
    internal static void PseudoGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> g, Span<double> pg, int penalised, double l1)
    {
        for (var i = 0; i < x.Length; i++)
        {
            if (i >= penalised || l1 == 0)
            {
                pg[i] = g[i];
            }
            else if (x[i] > 0)
            {
                pg[i] = g[i] + l1;
            }
            else if (x[i] < 0)
            {
                pg[i] = g[i] - l1;
            }
            else
            {
                pg[i] = g[i] + l1 < 0 ? g[i] + l1 : g[i] - l1 > 0 ? g[i] - l1 : 0;
            }
        }
    }

    private double Evaluate(double[] point, LinearParameters parameters, LinearParameters gradient, double[] g)
    {
        LbfgsOptimizer.Unflatten(point, parameters);
        var value = _objective.ValueAndGradient(_rows ??= Enumerable.Range(0, _objective.Problem.Rows).ToArray(), parameters, gradient, out _lastSums);
        LbfgsOptimizer.Flatten(gradient, g);
        return value;
    }
}
