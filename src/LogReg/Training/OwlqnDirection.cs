using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// Orthant-wise limited-memory quasi-Newton (OWL-QN, Andrew and Gao 2007), run by <see cref="FullBatchDriver"/>: the
/// optimum of the smooth objective plus λ1‖w‖₁. L-BFGS's curvature pairs come from the smooth part's gradients; the L1
/// part enters through the pseudo-gradient (the steepest-descent subgradient: g ± λ1 where a weight is non-zero, the
/// gap's nearer end or 0 where it is zero), the direction is kept to the pseudo-gradient's orthant, and every trial
/// point of the line search is projected onto the orthant of the current point, so weights that would cross zero stop
/// at exactly zero. The bias is penalised (and projected) only with PenalizeBias, as in every other optimizer. The
/// driver's Tol applies to the pseudo-gradient. Deterministic: the data part is the kernel's full-batch gradient, whose
/// sums do not depend on the thread count.
/// </summary>
internal sealed class OwlqnDirection : DescentDirection
{
    private readonly TrainingOptions _options;
    private CurvatureMemory _memory = null!;
    private double[] _pg = [];
    private int _penalised;

    /// <param name="options">The objective's options, with the L1 part in its value but not its gradient (<see cref="L1Mode.Proximal"/>).</param>
    public OwlqnDirection(TrainingOptions options)
    {
        if (options.L1Mode != L1Mode.Proximal)
        {
            throw new ArgumentException("OWL-QN takes the objective whose gradient leaves the L1 part out (L1Mode.Proximal)", nameof(options));
        }

        _options = options;
    }

    public override void Start(LinearParameters parameters)
    {
        var weights = parameters.Weights.Length;
        var n = weights + parameters.Bias.Length;
        _memory = new CurvatureMemory(_options.LbfgsMemory, n);
        _pg = new double[n];
        _penalised = _options.L1Strength == 0 ? 0 : _options.PenalizeBias ? n : weights;
    }

    /// <summary>The pseudo-gradient's ∞-norm (kept for the next direction).</summary>
    public override double Stationarity(double[] x, double[] g)
    {
        PseudoGradient(x, g, _pg, _penalised, _options.L1Strength);
        return FlatVector.Norm(_pg);
    }

    public override double Compute(double[] x, double[] g, LinearParameters current, double[] d, CancellationToken cancellationToken)
    {
        // The quasi-Newton direction for the pseudo-gradient, with every component that does not point against it
        // dropped: the step then stays in the orthant where the objective is smooth and the model holds.
        var pg = _pg;
        _memory.TwoLoop(pg, d);
        for (var i = 0; i < d.Length; i++)
        {
            if (d[i] * pg[i] >= 0)
            {
                d[i] = 0;
            }
        }

        return _memory.SlopeOrRestart(pg, d);
    }

    public override double FirstStep(double slope) => _memory.FirstStep(slope);

    /// <summary>
    /// x + step·d rounded to the model's float and projected onto x's orthant (−pg's where x is zero): a component that
    /// would leave it is zero. Returns the decrease the pseudo-gradient predicts for the projected step.
    /// </summary>
    public override double TrialPoint(double[] x, double[] d, double step, double slope, double[] xNew)
    {
        var pg = _pg;
        double decrease = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var value = (double)(float)(x[i] + step * d[i]);
            if (i < _penalised)
            {
                var orthant = x[i] != 0 ? Math.Sign(x[i]) : -Math.Sign(pg[i]);
                if (Math.Sign(value) != orthant)
                {
                    value = 0;
                }
            }

            xNew[i] = value;
            decrease += pg[i] * (value - x[i]);
        }

        return decrease;
    }

    /// <summary>The curvature pair from the smooth part's gradients (the L1 part has no curvature).</summary>
    public override void Accepted(double[] x, double[] xNew, double[] g, double[] gNew) => _memory.Add(x, xNew, g, gNew);

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
}
