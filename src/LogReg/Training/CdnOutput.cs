using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// One binary problem of <see cref="CdnOptimizer"/>: a logistic model's single output, or one class of one-vs-rest
/// against the rest. Works in units where the data part is the plain (sample-weighted) sum of cross-entropies,
/// f(w) = Σ cᵢ ℓ(yᵢ, w·xᵢ + b) + a‖w‖₁ + q‖w‖², with a and q the penalty's λ1 and λ2 divided by the objective's data
/// scale (1/rows for the mean): the objective divided by that scale, the form LIBLINEAR solves (there with a = 1 and the
/// data part times C). The bias is coordinate <c>d</c>, a feature that is 1 in every row, penalised only with
/// PenalizeBias and left alone without FitIntercept. All state is allocated once; an iteration allocates nothing.
/// </summary>
internal sealed class CdnOutput
{
    private const int BlockRows = 4096;
    private const int FeatureChunk = 16;
    private const double Sigma = 0.01;
    private const double Nu = 1e-12;
    private const int MaxBacktracks = 30;
    private const int MaxSweeps = 1000;
    private const double MaxCoordinateStep = 10;
    private const int GramChunks = 4;
    private const int MaxGram = 1024;

    /// <summary>
    /// The cost of one product term of the Hessian over a row relative to one stored value's work in a sparse sweep
    /// (measured on MNIST): the Hessian is formed once sparse sweeps have cost about as much as forming it.
    /// </summary>
    private const double GramCostRatio = 0.25;

    private readonly SparseColumns _x;
    private readonly int[] _labels;
    private readonly float[]? _sampleWeights;
    private readonly int _positive;
    private readonly SeededRandom _random;
    private readonly int _n;
    private readonly int _d;
    private readonly int _coordinates;
    private readonly double _scale;
    private readonly double _tol;
    private readonly double _lossTol;
    private readonly double[] _l1;
    private readonly double[] _l2;

    private readonly double[] _w;
    private readonly double[] _step;
    private readonly double[] _grad;
    private readonly double[] _hdiag;
    private readonly double[] _margin;
    private readonly double[] _xTd;
    private readonly double[] _g;
    private readonly double[] _dd;
    private readonly int[] _active;
    private readonly double[] _blockLoss;
    private readonly double[] _blockG;
    private readonly double[] _blockD;
    private readonly Action<int, int> _derivativesBlock;
    private readonly Action<int, int> _lossBlock;
    private readonly Action<int, int> _featureChunk;
    private readonly Action<int, int> _gramChunk;
    private readonly int[] _position;
    private readonly int[] _gramFeature;
    private readonly int[] _order;
    private readonly double[] _hd;
    private double[][] _gram = [];
    private int[][] _entryPosition = [];
    private double[][] _entryValue = [];
    private int _gramSize;
    private WorkerPool? _pool;
    private double _trial;
    private double _largestOld = double.PositiveInfinity;
    private double _innerEps = 1;
    private double _gnorm1Initial = -1;

    public CdnOutput(SparseColumns x, LinearProblem problem, TrainingOptions options, int positive, SeededRandom random)
    {
        _x = x;
        _labels = problem.Labels;
        _sampleWeights = problem.SampleWeights;
        _positive = positive;
        _random = random;
        _n = x.RowCount;
        _d = x.Features;
        _coordinates = _d + (options.FitIntercept ? 1 : 0);
        _scale = options.Reduction == Reduction.Mean ? 1.0 / Math.Max(1, _n) : 1.0;
        _tol = options.Tol;
        _lossTol = options.LossTol;

        // The penalty per coordinate in the plain-sum units: the objective is scale·f.
        var count = options.PenaltyCount(_n);
        _l1 = new double[_d + 1];
        _l2 = new double[_d + 1];
        Array.Fill(_l1, options.L1Strength * count / _scale);
        Array.Fill(_l2, options.L2Strength * count / _scale);
        if (!options.PenalizeBias)
        {
            _l1[_d] = 0;
            _l2[_d] = 0;
        }

        _w = new double[_d + 1];
        _step = new double[_d + 1];
        _grad = new double[_d + 1];
        _hdiag = new double[_d + 1];
        _active = new int[_d + 1];
        _margin = new double[_n];
        _xTd = new double[_n];
        _g = new double[_n];
        _dd = new double[_n];
        var blocks = (_n + BlockRows - 1) / BlockRows;
        _blockLoss = new double[blocks];
        _blockG = new double[blocks];
        _blockD = new double[blocks];
        _derivativesBlock = (block, _) => DerivativesBlock(block);
        _lossBlock = (block, _) => LossBlock(block);
        _featureChunk = (chunk, _) => FeatureChunkPass(chunk);
        _gramChunk = (chunk, _) => GramChunk(chunk);
        _position = new int[_d + 1];
        _gramFeature = new int[_d + 1];
        _order = new int[_d + 1];
        _hd = new double[_d + 1];
    }

    /// <summary>f at the current weights, in the plain-sum units (the objective divided by its data scale).</summary>
    public double Value { get; private set; }

    /// <summary>The largest minimum-norm subgradient component at the last check, in the plain-sum units (∞ before it).</summary>
    public double LargestViolation { get; private set; } = double.PositiveInfinity;

    /// <summary>Whether a stopping rule has been met.</summary>
    public bool Done { get; private set; }

    /// <summary>The last accepted line-search step (1 when the full Newton step was taken).</summary>
    public double LastStep { get; private set; } = 1;

    /// <summary>Coordinate-descent sweeps so far.</summary>
    public long Sweeps { get; private set; }

    /// <summary>How many inner solves formed the active coordinates' Hessian (the rest swept the sparse columns only).</summary>
    public int HessiansFormed { get; private set; }

    /// <summary>
    /// The smooth part's gradient and Hessian diagonal at the current weights, coordinate d the bias (plain-sum units,
    /// the L2 part included, the L1 part not): what each iteration starts from, for checks against finite differences.
    /// </summary>
    public (double[] Gradient, double[] HessianDiagonal) SmoothDerivatives()
    {
        Derivatives();
        _ = Gradient(out _, out _);
        var diagonal = (double[])_hdiag.Clone();
        for (var j = 0; j < _coordinates; j++)
        {
            diagonal[j] -= Nu;
        }

        return ((double[])_grad.Clone(), diagonal);
    }

    /// <summary>
    /// Starts from <paramref name="weights"/> and <paramref name="bias"/>; <paramref name="pool"/> runs the row and
    /// feature passes when this output is solved alone (null: serially, as one class of several).
    /// </summary>
    public void Start(ReadOnlySpan<float> weights, float bias, WorkerPool? pool, bool alone)
    {
        _pool = pool;

        // The Hessian's blocks of rows: a fixed count for the problem's kind (not the thread count), so that the sums
        // and so the result are the same on any number of threads.
        var chunks = alone ? GramChunks : 1;
        _gram = new double[chunks][];
        _entryPosition = new int[chunks][];
        _entryValue = new double[chunks][];
        for (var c = 0; c < chunks; c++)
        {
            _gram[c] = [];
            _entryPosition[c] = new int[_d + 1];
            _entryValue[c] = new double[_d + 1];
        }

        for (var j = 0; j < _d; j++)
        {
            _w[j] = weights[j];
        }

        _w[_d] = bias;
        Array.Fill(_margin, (double)bias);
        var start = _x.Start;
        var rows = _x.Rows;
        var values = _x.Values;
        for (var j = 0; j < _d; j++)
        {
            var wj = _w[j];
            if (wj == 0)
            {
                continue;
            }

            for (var k = start[j]; k < start[j + 1]; k++)
            {
                _margin[rows[k]] += wj * values[k];
            }
        }

        Array.Clear(_xTd);
        Value = DataLoss(0) + Penalty(0);
    }

    /// <summary>Writes the weights (rounded to float) into <paramref name="weights"/> and <paramref name="bias"/>.</summary>
    public void CopyTo(Span<float> weights, ref float bias)
    {
        for (var j = 0; j < _d; j++)
        {
            weights[j] = (float)_w[j];
        }

        bias = (float)_w[_d];
    }

    /// <summary>One proximal Newton iteration: check convergence, solve the model by coordinate descent, search the step.</summary>
    public void Iterate()
    {
        if (Done)
        {
            return;
        }

        Derivatives();
        var activeCount = Gradient(out var largest, out var gnorm1);
        LargestViolation = largest;
        if (_gnorm1Initial < 0)
        {
            _gnorm1Initial = gnorm1;
        }

        if (_scale * largest < _tol)
        {
            Done = true;
            return;
        }

        var sweeps = Descend(activeCount);
        Sweeps += sweeps;
        var before = Value;
        if (!LineSearch(activeCount))
        {
            // No step along the model's solution decreases f: the optimum to the precision of the sums.
            Done = true;
            return;
        }

        if (sweeps == 1)
        {
            _innerEps *= 0.25;
        }

        _largestOld = largest;
        var change = Math.Abs(before - Value) * _scale / Math.Max(Math.Max(Math.Abs(before), Math.Abs(Value)) * _scale, 1);
        if (change < _lossTol)
        {
            Done = true;
        }
    }

    /// <summary>Per row: the loss derivative gᵢ = cᵢ(pᵢ − yᵢ) and the Hessian weight Dᵢ = cᵢpᵢ(1 − pᵢ), with their block sums (the bias's).</summary>
    private void Derivatives() => RunBlocks(_derivativesBlock);

    private void DerivativesBlock(int block)
    {
        var end = Math.Min(_n, (block + 1) * BlockRows);
        double sumG = 0, sumD = 0;
        for (var i = block * BlockRows; i < end; i++)
        {
            var z = _margin[i];
            double p;
            if (z >= 0)
            {
                p = 1 / (1 + Math.Exp(-z));
            }
            else
            {
                var e = Math.Exp(z);
                p = e / (1 + e);
            }

            var c = _sampleWeights is null ? 1.0 : _sampleWeights[i];
            var g = c * (p - (_labels[i] == _positive ? 1 : 0));
            var d = c * p * (1 - p);
            _g[i] = g;
            _dd[i] = d;
            sumG += g;
            sumD += d;
        }

        _blockG[block] = sumG;
        _blockD[block] = sumD;
    }

    /// <summary>
    /// The gradient and Hessian diagonal of every coordinate, the minimum-norm subgradient's largest component and 1-norm,
    /// and the coordinates coordinate descent will visit (shrinking leaves out those at zero well inside [−a, a]).
    /// </summary>
    private int Gradient(out double largest, out double gnorm1)
    {
        var chunks = (_d + FeatureChunk - 1) / FeatureChunk;
        if (_pool is null)
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                FeatureChunkPass(chunk);
            }
        }
        else
        {
            _pool.Run(chunks, _featureChunk);
        }

        if (_coordinates > _d)
        {
            double sumG = 0, sumD = 0;
            for (var b = 0; b < _blockG.Length; b++)
            {
                sumG += _blockG[b];
                sumD += _blockD[b];
            }

            _grad[_d] = sumG + 2 * _l2[_d] * _w[_d];
            _hdiag[_d] = sumD + 2 * _l2[_d] + Nu;
        }

        largest = 0;
        gnorm1 = 0;
        var active = 0;
        var margin = _largestOld / _n;
        for (var j = 0; j < _coordinates; j++)
        {
            var gj = _grad[j];
            var a = _l1[j];
            double violation;
            if (_w[j] > 0)
            {
                violation = Math.Abs(gj + a);
            }
            else if (_w[j] < 0)
            {
                violation = Math.Abs(gj - a);
            }
            else
            {
                violation = Math.Max(Math.Abs(gj) - a, 0);
                if (a > 0 && Math.Abs(gj) < a - margin)
                {
                    continue;
                }
            }

            largest = Math.Max(largest, violation);
            gnorm1 += violation;
            _active[active++] = j;
        }

        return active;
    }

    private void FeatureChunkPass(int chunk)
    {
        var start = _x.Start;
        var rows = _x.Rows;
        var values = _x.Values;
        var end = Math.Min(_d, (chunk + 1) * FeatureChunk);
        for (var j = chunk * FeatureChunk; j < end; j++)
        {
            double grad = 0, h = 0;
            for (var k = start[j]; k < start[j + 1]; k++)
            {
                var i = rows[k];
                double v = values[k];
                grad += v * _g[i];
                h += v * v * _dd[i];
            }

            _grad[j] = grad + 2 * _l2[j] * _w[j];
            _hdiag[j] = h + 2 * _l2[j] + Nu;
        }
    }

    /// <summary>
    /// Minimises the quadratic model of the smooth part plus the L1 part over the step, coordinate by coordinate, until
    /// the model's subgradient 1-norm is below the inner tolerance (relative to the first iteration's gradient); returns
    /// the sweeps taken. Coordinates at zero well inside [−a, a] are shrunk for the rest of the solve, then brought
    /// back once for a final check.
    /// </summary>
    private int Descend(int activeCount)
    {
        var start = _x.Start;
        var rows = _x.Rows;
        var values = _x.Values;
        var step = _step;
        var xTd = _xTd;
        var dd = _dd;
        Array.Clear(step);
        Array.Clear(xTd);
        var qpCount = activeCount;
        var qpLargestOld = double.PositiveInfinity;
        var sweeps = 0;
        var gram = false;
        long stored = 0;
        for (var s = 0; s < activeCount; s++)
        {
            var j = _active[s];
            stored += j < _d ? start[j + 1] - start[j] : _n;
        }

        // Sweeps over the sparse columns cost the active columns' stored values each; the Hessian of the active
        // coordinates costs about Σᵢ aᵢ²/2 row terms (aᵢ active values in row i), ≈ stored²/(2n) for rows alike, once,
        // then a sweep costs only its square. Switch when the sweeps so far have cost as much as forming it.
        var switchAfter = activeCount <= MaxGram ? GramCostRatio * 0.55 * stored / Math.Max(1, _n) : double.PositiveInfinity;
        var tolerance = _innerEps * _gnorm1Initial;
        var lastNorm1 = double.PositiveInfinity;
        while (sweeps < MaxSweeps)
        {
            // Far from the inner tolerance after a sweep, many more will follow (tens near the optimum, where the
            // tolerance has tightened): form the Hessian at once when it costs no more than a few tens of sweeps.
            if (!gram && sweeps >= 1 && (sweeps >= switchAfter || (lastNorm1 > 1.5 * tolerance && switchAfter <= 20)))
            {
                FormHessian(activeCount);
                HessiansFormed++;
                gram = true;
                qpCount = activeCount;
            }

            double qpLargest = 0, qpNorm1 = 0;
            var order = gram ? _order : _active;
            for (var s = qpCount - 1; s > 0; s--)
            {
                var r = _random.NextInt(s + 1);
                (order[s], order[r]) = (order[r], order[s]);
            }

            var margin = qpLargestOld / _n;
            for (var s = 0; s < qpCount; s++)
            {
                var p = order[s];
                var j = gram ? _gramFeature[p] : p;
                var h = _hdiag[j];
                var g = _grad[j] + 2 * _l2[j] * step[j];
                if (gram)
                {
                    g += _hd[p];
                }
                else if (j < _d)
                {
                    for (var k = start[j]; k < start[j + 1]; k++)
                    {
                        var i = rows[k];
                        g += values[k] * dd[i] * xTd[i];
                    }
                }
                else
                {
                    for (var i = 0; i < _n; i++)
                    {
                        g += dd[i] * xTd[i];
                    }
                }

                var a = _l1[j];
                var gp = g + a;
                var gn = g - a;
                var u = _w[j] + step[j];
                double violation = 0;
                if (u == 0)
                {
                    if (gp < 0)
                    {
                        violation = -gp;
                    }
                    else if (gn > 0)
                    {
                        violation = gn;
                    }
                    else if (!gram && a > 0 && gp > margin && gn < -margin)
                    {
                        // Shrink: swap it behind the visited part, and visit the coordinate swapped in.
                        qpCount--;
                        (order[s], order[qpCount]) = (order[qpCount], order[s]);
                        s--;
                        continue;
                    }
                }
                else
                {
                    violation = u > 0 ? Math.Abs(gp) : Math.Abs(gn);
                }

                qpLargest = Math.Max(qpLargest, violation);
                qpNorm1 += violation;

                // The minimiser of g·z + ½h·z² + a|u + z|: soft-thresholding of the Newton step.
                // At zero it must be exactly zero (w + d = 0 bit for bit, so the full step lands on it), else the
                // coordinate is left a hair off zero, where its subgradient is g ± a, never small.
                var toZero = gp > h * u && gn < h * u;
                var z = toZero ? -u : gp <= h * u ? -gp / h : -gn / h;
                if (toZero ? u == 0 : Math.Abs(z) < 1e-12)
                {
                    continue;
                }

                if (Math.Abs(z) > MaxCoordinateStep)
                {
                    z = Math.Clamp(z, -MaxCoordinateStep, MaxCoordinateStep);
                    toZero = false;
                }

                step[j] = toZero ? -_w[j] : step[j] + z;
                if (gram)
                {
                    var m = _gramSize;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<double>(_gram[0].AsSpan(p * m, m), z, _hd.AsSpan(0, m), _hd.AsSpan(0, m));
                }
                else if (j < _d)
                {
                    for (var k = start[j]; k < start[j + 1]; k++)
                    {
                        xTd[rows[k]] += z * values[k];
                    }
                }
                else
                {
                    for (var i = 0; i < _n; i++)
                    {
                        xTd[i] += z;
                    }
                }
            }

            sweeps++;
            lastNorm1 = qpNorm1;
            if (qpNorm1 <= tolerance)
            {
                if (qpCount == activeCount)
                {
                    break;
                }

                // Converged on the shrunk set: one more look at every coordinate before stopping.
                qpCount = activeCount;
                qpLargestOld = double.PositiveInfinity;
                continue;
            }

            qpLargestOld = qpLargest;
        }

        if (gram)
        {
            // The sweeps over the Hessian moved only the step: X·d afresh, for the line search.
            Array.Clear(xTd);
            for (var p = 0; p < _gramSize; p++)
            {
                var j = _gramFeature[p];
                var z = step[j];
                if (z == 0)
                {
                    continue;
                }

                if (j < _d)
                {
                    for (var k = start[j]; k < start[j + 1]; k++)
                    {
                        xTd[rows[k]] += z * values[k];
                    }
                }
                else
                {
                    for (var i = 0; i < _n; i++)
                    {
                        xTd[i] += z;
                    }
                }
            }
        }

        return sweeps;
    }

    /// <summary>
    /// The data part's Hessian over the active coordinates, Xₐᵀ·D·Xₐ (dense, in position order), summed over fixed
    /// blocks of rows from the row-major copy, and its product with the step so far (in <c>_hd</c>).
    /// </summary>
    private void FormHessian(int activeCount)
    {
        Array.Fill(_position, -1);
        for (var s = 0; s < activeCount; s++)
        {
            _position[_active[s]] = 0;
        }

        // The active coordinates in ascending order (the bias, coordinate d, last): rows list their columns ascending,
        // so each row's terms fill the upper triangle.
        var m = 0;
        for (var j = 0; j <= _d; j++)
        {
            if (_position[j] == 0)
            {
                _position[j] = m;
                _gramFeature[m] = j;
                _order[m] = m;
                m++;
            }
        }

        _gramSize = m;
        for (var c = 0; c < _gram.Length; c++)
        {
            if (_gram[c].Length < m * m)
            {
                _gram[c] = new double[m * m];
            }
        }

        if (_pool is null || _gram.Length == 1)
        {
            for (var c = 0; c < _gram.Length; c++)
            {
                GramChunk(c);
            }
        }
        else
        {
            _pool.Run(_gram.Length, _gramChunk);
        }

        var total = _gram[0];
        for (var c = 1; c < _gram.Length; c++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add<double>(total.AsSpan(0, m * m), _gram[c].AsSpan(0, m * m), total.AsSpan(0, m * m));
        }

        for (var p = 0; p < m; p++)
        {
            for (var q = p + 1; q < m; q++)
            {
                total[q * m + p] = total[p * m + q];
            }
        }

        for (var p = 0; p < m; p++)
        {
            double sum = 0;
            var row = total.AsSpan(p * m, m);
            for (var q = 0; q < m; q++)
            {
                sum += row[q] * _step[_gramFeature[q]];
            }

            _hd[p] = sum;
        }
    }

    private void GramChunk(int chunk)
    {
        var m = _gramSize;
        var gram = _gram[chunk].AsSpan(0, m * m);
        gram.Clear();
        var positions = _entryPosition[chunk];
        var entries = _entryValue[chunk];
        var rowStart = _x.RowStart;
        var columns = _x.Columns;
        var values = _x.RowValues;
        var bias = _position[_d];
        var first = (int)((long)_n * chunk / _gram.Length);
        var last = (int)((long)_n * (chunk + 1) / _gram.Length);
        for (var i = first; i < last; i++)
        {
            var count = 0;
            for (var t = rowStart[i]; t < rowStart[i + 1]; t++)
            {
                var p = _position[columns[t]];
                if (p >= 0)
                {
                    positions[count] = p;
                    entries[count++] = values[t];
                }
            }

            if (bias >= 0)
            {
                positions[count] = bias;
                entries[count++] = 1;
            }

            var di = _dd[i];
            for (var a = 0; a < count; a++)
            {
                var scaled = di * entries[a];
                var row = gram.Slice(positions[a] * m);
                for (var b = a; b < count; b++)
                {
                    row[positions[b]] += scaled * entries[b];
                }
            }
        }
    }

    /// <summary>
    /// The longest of the steps 1, ½, ¼, … from w along the coordinate-descent step that decreases f by at least σ times
    /// the step times the model's predicted decrease Δ = ∇f·d + a(‖w + d‖₁ − ‖w‖₁); false when none does.
    /// </summary>
    private bool LineSearch(int activeCount)
    {
        double delta = 0;
        for (var s = 0; s < activeCount; s++)
        {
            var j = _active[s];
            delta += _grad[j] * _step[j] + _l1[j] * (Math.Abs(_w[j] + _step[j]) - Math.Abs(_w[j]));
        }

        if (!(delta < 0))
        {
            return false;
        }

        var t = 1.0;
        for (var k = 0; k < MaxBacktracks; k++)
        {
            var value = DataLoss(t) + Penalty(t);
            if (value <= Value + Sigma * t * delta)
            {
                for (var j = 0; j <= _d; j++)
                {
                    _w[j] += t * _step[j];
                }

                for (var i = 0; i < _n; i++)
                {
                    _margin[i] += t * _xTd[i];
                }

                Value = value;
                LastStep = t;
                return true;
            }

            t *= 0.5;
        }

        return false;
    }

    /// <summary>Σ cᵢ ℓ(yᵢ, mᵢ + t·(X d)ᵢ): the data part at the trial step <paramref name="t"/>, summed in fixed blocks.</summary>
    private double DataLoss(double t)
    {
        _trial = t;
        RunBlocks(_lossBlock);
        double sum = 0;
        foreach (var part in _blockLoss)
        {
            sum += part;
        }

        return sum;
    }

    private void LossBlock(int block)
    {
        var t = _trial;
        var end = Math.Min(_n, (block + 1) * BlockRows);
        double sum = 0;
        for (var i = block * BlockRows; i < end; i++)
        {
            var z = _margin[i] + t * _xTd[i];

            // softplus(z) − y·z, the binary cross-entropy of the logit z, without overflow.
            var loss = Math.Max(z, 0) + double.LogP1(Math.Exp(-Math.Abs(z))) - (_labels[i] == _positive ? z : 0);
            sum += _sampleWeights is null ? loss : _sampleWeights[i] * loss;
        }

        _blockLoss[block] = sum;
    }

    /// <summary>a‖w + t·d‖₁ + q‖w + t·d‖² over the penalised coordinates.</summary>
    private double Penalty(double t)
    {
        double sum = 0;
        for (var j = 0; j <= _d; j++)
        {
            var v = _w[j] + t * _step[j];
            sum += _l1[j] * Math.Abs(v) + _l2[j] * v * v;
        }

        return sum;
    }

    private void RunBlocks(Action<int, int> body)
    {
        if (_pool is null)
        {
            for (var b = 0; b < _blockLoss.Length; b++)
            {
                body(b, 0);
            }
        }
        else
        {
            _pool.Run(_blockLoss.Length, body);
        }
    }
}
