using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Limited-memory BFGS on the full batch (two-loop recursion, backtracking line search with the Armijo condition). It
/// finds the optimum of the smooth regularised objective, the exact reference point that SGD runs approach. Stops when
/// the largest gradient component falls below Tol (as scikit-learn's lbfgs), the loss changes by less than LossTol
/// (relative), no step decreases the loss any more (float precision reached), or after MaxIterations iterations.
/// </summary>
internal sealed class LbfgsOptimizer
{
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;

    private readonly Objective _objective;
    private readonly EpochTracker _tracker;

    public LbfgsOptimizer(Objective objective, EpochTracker tracker)
    {
        _objective = objective;
        _tracker = tracker;
    }

    /// <summary>Largest gradient component at the end (the ∞-norm), for tests and reports.</summary>
    public double FinalGradientNorm { get; private set; }

    /// <summary>Objective and gradient evaluations so far (one per iteration when every first step is accepted).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Loss and accuracy of the data at the last point evaluated.</summary>
    private EvaluationSums _lastSums;

    public StopReason Minimize(LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = _objective.Options;
        var n = parameters.Weights.Length + parameters.Bias.Length;
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
        var direction = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);

        Flatten(parameters, x);
        var f = Evaluate(x, parameters, gradient, g);
        FinalGradientNorm = Norm(g);
        if (!double.IsFinite(f))
        {
            return _tracker.Diverged(1, f, 0);
        }

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Unflatten(x, parameters);
                return StopReason.Interrupted;
            }

            if (FinalGradientNorm < options.Tol)
            {
                Unflatten(x, parameters);
                if (iteration == 1)
                {
                    _tracker.EndEpoch(0, 0);
                }

                return StopReason.Converged;
            }

            TwoLoop(g, s, y, rho, alpha, stored, newest, memory, direction);
            var slope = Dot(g, direction);
            if (!(slope < 0))
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                stored = 0;
                for (var i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = -Dot(g, g);
            }

            var step = stored == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            double fNew = double.NaN;
            var accepted = false;
            for (var k = 0; k < MaxBacktracks; k++)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + step * direction[i];
                }

                fNew = Evaluate(xNew, parameters, gradient, gNew);
                if (double.IsFinite(fNew) && fNew <= f + Armijo * step * slope)
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                // No decrease is possible along the best direction: we are at the optimum to float precision.
                Unflatten(x, parameters);
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
                newest = (newest - 1 + memory) % memory; // skip a pair that would break positive definiteness
            }

            var relativeChange = Math.Abs(f - fNew) / Math.Max(Math.Max(Math.Abs(f), Math.Abs(fNew)), 1);
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            FinalGradientNorm = Norm(g);
            Unflatten(x, parameters);
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

    private double Evaluate(double[] point, LinearParameters parameters, LinearParameters gradient, double[] g)
    {
        Unflatten(point, parameters);
        Evaluations++;
        var value = _objective.ValueAndGradient(Rows, parameters, gradient, out _lastSums);
        Flatten(gradient, g);
        return value;
    }

    private int[] Rows => _rows ??= Enumerable.Range(0, _objective.Problem.Rows).ToArray();

    private int[]? _rows;

    /// <summary>d = −H·g from the stored (s, y) pairs, newest first, with the usual γ = sᵀy / yᵀy initial scaling.</summary>
    internal static void TwoLoop(double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored, int newest, int memory, double[] d)
    {
        var n = g.Length;
        for (var i = 0; i < n; i++)
        {
            d[i] = -g[i];
        }

        if (stored == 0)
        {
            return;
        }

        for (var k = 0; k < stored; k++)
        {
            var j = (newest - k + memory) % memory;
            alpha[j] = rho[j] * Dot(s[j], d);
            for (var i = 0; i < n; i++)
            {
                d[i] -= alpha[j] * y[j][i];
            }
        }

        var gamma = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
        for (var i = 0; i < n; i++)
        {
            d[i] *= gamma;
        }

        for (var k = stored - 1; k >= 0; k--)
        {
            var j = (newest - k + memory) % memory;
            var beta = rho[j] * Dot(y[j], d);
            for (var i = 0; i < n; i++)
            {
                d[i] += (alpha[j] - beta) * s[j][i];
            }
        }
    }

    internal static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    internal static double Norm(double[] a)
    {
        double max = 0;
        foreach (var v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    internal static void Flatten(LinearParameters parameters, double[] x)
    {
        var w = parameters.Weights;
        for (var i = 0; i < w.Length; i++)
        {
            x[i] = w[i];
        }

        for (var i = 0; i < parameters.Bias.Length; i++)
        {
            x[w.Length + i] = parameters.Bias[i];
        }
    }

    internal static void Unflatten(double[] x, LinearParameters parameters)
    {
        var w = parameters.Weights;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = (float)x[i];
        }

        for (var i = 0; i < parameters.Bias.Length; i++)
        {
            parameters.Bias[i] = (float)x[w.Length + i];
        }
    }
}
