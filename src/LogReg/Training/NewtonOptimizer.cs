using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Newton's method on the full batch with the step from conjugate gradients (Newton-CG, "truncated Newton"): each
/// iteration solves H·d = −g only as far as a relative residual of min(0.1, √‖g‖) (loose far from the optimum,
/// tightening near it, which keeps the convergence superlinear) using Hessian-vector products from
/// <see cref="HessianVectorKernel"/>, preconditioned by the Hessian's diagonal (pixels differ in scale by orders of
/// magnitude: border pixels are almost always 0, so their curvature is little more than 2λ), then takes the longest step 1, ½, ¼, … that meets the Armijo condition (the full
/// step near the optimum). For smooth objectives (no penalty, L2): the Hessian of the penalised mean cross-entropy is
/// positive definite with an L2 part, positive semi-definite without. Stops as L-BFGS does: the largest gradient
/// component below Tol, a relative loss change below LossTol, no decrease possible, or MaxIterations iterations.
/// </summary>
internal sealed class NewtonOptimizer
{
    private const double Armijo = 1e-4;
    private const int MaxBacktracks = 40;
    private const double MaxForcing = 0.1;

    private readonly Objective _objective;
    private readonly HessianVectorKernel _hessian;
    private readonly EpochTracker _tracker;
    private EvaluationSums _lastSums;
    private int[]? _rows;

    public NewtonOptimizer(Objective objective, HessianVectorKernel hessian, EpochTracker tracker)
    {
        _objective = objective;
        _hessian = hessian;
        _tracker = tracker;
    }

    /// <summary>Largest gradient component at the end (the ∞-norm).</summary>
    public double FinalGradientNorm { get; private set; }

    /// <summary>Hessian-vector products so far (conjugate-gradient steps over all iterations).</summary>
    public int HessianProducts { get; private set; }

    public StopReason Minimize(LinearParameters parameters, CancellationToken cancellationToken)
    {
        var options = _objective.Options;
        var maxSteps = Math.Max(10, parameters.Weights.Length + parameters.Bias.Length);
        var n = parameters.Weights.Length + parameters.Bias.Length;
        var x = new double[n];
        var g = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var d = new double[n];
        var residual = new double[n];
        var p = new double[n];
        var hp = new double[n];
        var z = new double[n];
        var preconditioner = new double[n];
        var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
        var vector = new LinearParameters(parameters.Outputs, parameters.Features);
        var product = new LinearParameters(parameters.Outputs, parameters.Features);

        LbfgsOptimizer.Flatten(parameters, x);
        var f = Evaluate(x, parameters, gradient, g);
        FinalGradientNorm = LbfgsOptimizer.Norm(g);
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

            LbfgsOptimizer.Unflatten(x, parameters);
            _hessian.SetPoint(_objective.Problem, parameters.Weights, parameters.Bias);
            Preconditioner(preconditioner, vector);
            ConjugateGradient(g, d, residual, p, hp, z, preconditioner, vector, product, maxSteps, cancellationToken);
            var slope = LbfgsOptimizer.Dot(g, d);
            if (!(slope < 0))
            {
                for (var i = 0; i < n; i++)
                {
                    d[i] = -g[i];
                }

                slope = -LbfgsOptimizer.Dot(g, g);
            }

            var step = 1.0;
            double fNew = double.NaN;
            var accepted = false;
            for (var k = 0; k < MaxBacktracks; k++)
            {
                for (var i = 0; i < n; i++)
                {
                    xNew[i] = x[i] + step * d[i];
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
                LbfgsOptimizer.Unflatten(x, parameters);
                _tracker.EndEpoch(iteration, 0);
                return StopReason.Converged;
            }

            var acceptedSums = _lastSums;
            var relativeChange = Math.Abs(f - fNew) / Math.Max(Math.Max(Math.Abs(f), Math.Abs(fNew)), 1);
            (x, xNew) = (xNew, x);
            (g, gNew) = (gNew, g);
            f = fNew;
            FinalGradientNorm = LbfgsOptimizer.Norm(g);
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
    /// d ≈ −H⁻¹g by conjugate gradients from d = 0, stopped when the residual's norm falls below the forcing term
    /// times ‖g‖, at a direction of non-positive curvature (which a penalised logistic Hessian does not have, but float
    /// rounding might fake), or after <paramref name="maxSteps"/> steps.
    /// </summary>
    private void ConjugateGradient(double[] g, double[] d, double[] residual, double[] p, double[] hp, double[] z, double[] preconditioner, LinearParameters vector, LinearParameters product, int maxSteps, CancellationToken cancellationToken)
    {
        var n = g.Length;
        Array.Clear(d);
        for (var i = 0; i < n; i++)
        {
            residual[i] = -g[i];
            z[i] = residual[i] / preconditioner[i];
            p[i] = z[i];
        }

        var rz = LbfgsOptimizer.Dot(residual, z);
        var rr = LbfgsOptimizer.Dot(residual, residual);
        var gNorm = Math.Sqrt(rr);
        var target = Math.Min(MaxForcing, Math.Sqrt(gNorm)) * gNorm;
        for (var step = 0; step < maxSteps && Math.Sqrt(rr) > target && !cancellationToken.IsCancellationRequested; step++)
        {
            Multiply(p, hp, vector, product);
            var curvature = LbfgsOptimizer.Dot(p, hp);
            if (!(curvature > 0))
            {
                if (step == 0)
                {
                    Array.Copy(z, d, n);
                }

                return;
            }

            var alpha = rz / curvature;
            for (var i = 0; i < n; i++)
            {
                d[i] += alpha * p[i];
                residual[i] -= alpha * hp[i];
                z[i] = residual[i] / preconditioner[i];
            }

            rr = LbfgsOptimizer.Dot(residual, residual);
            var rzNew = LbfgsOptimizer.Dot(residual, z);
            var beta = rzNew / rz;
            rz = rzNew;
            for (var i = 0; i < n; i++)
            {
                p[i] = z[i] + beta * p[i];
            }
        }
    }

    /// <summary>The objective's Hessian diagonal (data part scaled as the objective reduces it, plus 2λ2), floored above zero.</summary>
    private void Preconditioner(double[] diagonal, LinearParameters buffer)
    {
        var options = _objective.Options;
        _hessian.Diagonal(buffer.Weights, buffer.Bias);
        LbfgsOptimizer.Flatten(buffer, diagonal);
        var scale = _objective.DataScale(_objective.Problem.Rows);
        var twoL2 = 2 * options.L2Strength;
        var weights = buffer.Weights.Length;
        for (var i = 0; i < diagonal.Length; i++)
        {
            var penalised = i < weights || options.PenalizeBias;
            diagonal[i] = diagonal[i] * scale + (penalised ? twoL2 : 0);
            if (!(diagonal[i] > 1e-12))
            {
                diagonal[i] = 1e-12; // a feature that is zero in every row and unpenalised: any positive value will do
            }
        }
    }

    /// <summary>
    /// The objective's Hessian times <paramref name="v"/>: the data part's (scaled as the objective reduces it), plus
    /// 2λ2·v from the L2 penalty; the bias part is zero without an intercept.
    /// </summary>
    internal void Multiply(double[] v, double[] result, LinearParameters vector, LinearParameters product)
    {
        HessianProducts++;
        var options = _objective.Options;
        LbfgsOptimizer.Unflatten(v, vector);
        _hessian.Multiply(vector.Weights, vector.Bias, product.Weights, product.Bias);
        LbfgsOptimizer.Flatten(product, result);
        var scale = _objective.DataScale(_objective.Problem.Rows);
        var twoL2 = 2 * options.L2Strength;
        var weights = vector.Weights.Length;
        for (var i = 0; i < result.Length; i++)
        {
            var penalised = i < weights || options.PenalizeBias;
            result[i] = result[i] * scale + (penalised ? twoL2 * v[i] : 0);
        }

        if (!options.FitIntercept)
        {
            Array.Clear(result, weights, result.Length - weights);
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
