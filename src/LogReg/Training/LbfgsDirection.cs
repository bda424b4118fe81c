using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// Limited-memory BFGS (two-loop recursion over the last <see cref="TrainingOptions.LbfgsMemory"/> curvature pairs):
/// the quasi-Newton direction of the smooth objective, run by <see cref="FullBatchDriver"/>. It finds the optimum of the
/// smooth regularised objective, the exact reference point that SGD runs approach.
/// </summary>
internal sealed class LbfgsDirection(int memory) : DescentDirection
{
    private CurvatureMemory _memory = null!;

    public override void Start(LinearParameters parameters) => _memory = new CurvatureMemory(memory, parameters.Weights.Length + parameters.Bias.Length);

    public override double Compute(double[] x, double[] g, LinearParameters current, double[] d, CancellationToken cancellationToken)
    {
        _memory.TwoLoop(g, d);
        return _memory.SlopeOrRestart(g, d);
    }

    public override double FirstStep(double slope) => _memory.FirstStep(slope);

    public override void Accepted(double[] x, double[] xNew, double[] g, double[] gNew) => _memory.Add(x, xNew, g, gNew);
}

/// <summary>
/// L-BFGS's memory: the last few steps s = x' − x and gradient changes y = g' − g, in a ring, and the two-loop
/// recursion that turns them into an approximate inverse Hessian times a vector. Shared by L-BFGS and OWL-QN.
/// </summary>
internal sealed class CurvatureMemory
{
    private readonly double[][] _s;
    private readonly double[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private int _newest = -1;

    public CurvatureMemory(int memory, int length)
    {
        _s = new double[memory][];
        _y = new double[memory][];
        for (var i = 0; i < memory; i++)
        {
            _s[i] = new double[length];
            _y[i] = new double[length];
        }

        _rho = new double[memory];
        _alpha = new double[memory];
    }

    /// <summary>Pairs held (up to the memory); 0 at the start and after <see cref="Clear"/>.</summary>
    public int Stored { get; private set; }

    private int Memory => _rho.Length;

    /// <summary>Forgets every pair (the next direction is steepest descent).</summary>
    public void Clear() => Stored = 0;

    /// <summary>
    /// Keeps the pair of an accepted step in place of the oldest, unless it would break positive definiteness (sᵀy not
    /// positive): then every stored pair stays as it was.
    /// </summary>
    public void Add(double[] x, double[] xNew, double[] g, double[] gNew)
    {
        double sy = 0, yy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var si = xNew[i] - x[i];
            var yi = gNew[i] - g[i];
            sy += si * yi;
            yy += yi * yi;
        }

        if (!(sy > 1e-12 * yy))
        {
            return;
        }

        var newest = (_newest + 1) % Memory;
        var s = _s[newest];
        var y = _y[newest];
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = xNew[i] - x[i];
            y[i] = gNew[i] - g[i];
        }

        _rho[newest] = 1 / sy;
        _newest = newest;
        Stored = Math.Min(Stored + 1, Memory);
    }

    /// <summary>
    /// The slope gᵀd of direction <paramref name="d"/>; when it is not a descent direction (the curvature pairs went
    /// stale), forgets them and restarts from steepest descent: d = −g.
    /// </summary>
    public double SlopeOrRestart(double[] g, double[] d)
    {
        var slope = FlatVector.Dot(g, d);
        if (slope < 0)
        {
            return slope;
        }

        Clear();
        return DescentDirection.SteepestDescent(g, d);
    }

    /// <summary>1 once there is curvature to scale the direction; before, a step of length at most 1 along −g.</summary>
    public double FirstStep(double slope) => Stored == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;

    /// <summary>d = −H·g from the stored pairs, newest first, with the usual γ = sᵀy / yᵀy initial scaling.</summary>
    public void TwoLoop(double[] g, double[] d)
    {
        var n = g.Length;
        for (var i = 0; i < n; i++)
        {
            d[i] = -g[i];
        }

        if (Stored == 0)
        {
            return;
        }

        var memory = Memory;
        for (var k = 0; k < Stored; k++)
        {
            var j = (_newest - k + memory) % memory;
            _alpha[j] = _rho[j] * FlatVector.Dot(_s[j], d);
            var y = _y[j];
            for (var i = 0; i < n; i++)
            {
                d[i] -= _alpha[j] * y[i];
            }
        }

        var gamma = FlatVector.Dot(_s[_newest], _y[_newest]) / FlatVector.Dot(_y[_newest], _y[_newest]);
        for (var i = 0; i < n; i++)
        {
            d[i] *= gamma;
        }

        for (var k = Stored - 1; k >= 0; k--)
        {
            var j = (_newest - k + memory) % memory;
            var beta = _rho[j] * FlatVector.Dot(_y[j], d);
            var s = _s[j];
            for (var i = 0; i < n; i++)
            {
                d[i] += (_alpha[j] - beta) * s[i];
            }
        }
    }
}
