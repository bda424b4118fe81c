using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// Newton's method with the step from conjugate gradients (Newton-CG, "truncated Newton"), run by
/// <see cref="FullBatchDriver"/>: each iteration solves H·d = −g only as far as a relative residual of
/// min(0.1, √‖g‖) (loose far from the optimum, tightening near it, which keeps the convergence superlinear) using
/// Hessian-vector products from <see cref="HessianVectorKernel"/>, preconditioned by the Hessian's diagonal (pixels
/// differ in scale by orders of magnitude: border pixels are almost always 0, so their curvature is little more than
/// 2λ); the line search then starts from the full step 1 (taken near the optimum). For smooth objectives (no penalty,
/// L2): the Hessian of the penalised mean cross-entropy is positive definite with an L2 part, positive semi-definite
/// without.
/// </summary>
internal sealed class NewtonDirection(Objective objective, HessianVectorKernel hessian) : DescentDirection
{
    private const double MaxForcing = 0.1;

    private int _maxSteps;
    private double[] _residual = [];
    private double[] _p = [];
    private double[] _hp = [];
    private double[] _z = [];
    private double[] _preconditioner = [];
    private LinearParameters _vector = null!;
    private LinearParameters _product = null!;

    /// <summary>Hessian-vector products so far (conjugate-gradient steps over all iterations).</summary>
    public int HessianProducts { get; private set; }

    public override void Start(LinearParameters parameters)
    {
        var n = parameters.Weights.Length + parameters.Bias.Length;
        _maxSteps = Math.Max(10, n);
        _residual = new double[n];
        _p = new double[n];
        _hp = new double[n];
        _z = new double[n];
        _preconditioner = new double[n];
        _vector = new LinearParameters(parameters.Outputs, parameters.Features);
        _product = new LinearParameters(parameters.Outputs, parameters.Features);
    }

    public override double Compute(double[] x, double[] g, LinearParameters current, double[] d, CancellationToken cancellationToken)
    {
        hessian.SetPoint(objective.Problem, current.Weights, current.Bias);
        Preconditioner(_preconditioner, _vector);
        ConjugateGradient(g, d, cancellationToken);
        var slope = FlatVector.Dot(g, d);
        return slope < 0 ? slope : SteepestDescent(g, d);
    }

    /// <summary>
    /// d ≈ −H⁻¹g by conjugate gradients from d = 0, stopped when the residual's norm falls below the forcing term
    /// times ‖g‖, at a direction of non-positive curvature (which a penalised logistic Hessian does not have, but float
    /// rounding might fake), or after as many steps as there are parameters (at least 10).
    /// </summary>
    private void ConjugateGradient(double[] g, double[] d, CancellationToken cancellationToken)
    {
        var (residual, p, hp, z, preconditioner) = (_residual, _p, _hp, _z, _preconditioner);
        var n = g.Length;
        Array.Clear(d);
        for (var i = 0; i < n; i++)
        {
            residual[i] = -g[i];
            z[i] = residual[i] / preconditioner[i];
            p[i] = z[i];
        }

        var rz = FlatVector.Dot(residual, z);
        var rr = FlatVector.Dot(residual, residual);
        var gNorm = Math.Sqrt(rr);
        var target = Math.Min(MaxForcing, Math.Sqrt(gNorm)) * gNorm;
        for (var step = 0; step < _maxSteps && Math.Sqrt(rr) > target && !cancellationToken.IsCancellationRequested; step++)
        {
            Multiply(p, hp);
            var curvature = FlatVector.Dot(p, hp);
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

            rr = FlatVector.Dot(residual, residual);
            var rzNew = FlatVector.Dot(residual, z);
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
        hessian.Diagonal(buffer.Weights, buffer.Bias);
        FlatVector.Flatten(buffer, diagonal);
        ToObjective(diagonal, null);
        for (var i = 0; i < diagonal.Length; i++)
        {
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
    private void Multiply(double[] v, double[] result)
    {
        HessianProducts++;
        var options = objective.Options;
        FlatVector.Unflatten(v, _vector);
        hessian.Multiply(_vector.Weights, _vector.Bias, _product.Weights, _product.Bias);
        FlatVector.Flatten(_product, result);
        ToObjective(result, v);
        if (!options.FitIntercept)
        {
            Array.Clear(result, _vector.Weights.Length, _vector.Bias.Length);
        }
    }

    /// <summary>
    /// The data part's curvature (of a sum) made the objective's: scaled as the objective reduces the data, plus the L2
    /// penalty's 2λ2 times <paramref name="v"/> (a product H·v) or times 1 (the diagonal, <paramref name="v"/> null).
    /// </summary>
    private void ToObjective(double[] values, double[]? v)
    {
        var options = objective.Options;
        var scale = objective.DataScale(objective.Problem.Rows);
        var twoL2 = 2 * options.L2Strength;
        var weights = _vector.Weights.Length;
        for (var i = 0; i < values.Length; i++)
        {
            var penalised = i < weights || options.PenalizeBias;
            values[i] = values[i] * scale + (penalised ? twoL2 * (v is null ? 1 : v[i]) : 0);
        }
    }
}
