using System.Numerics;
using System.Numerics.Tensors;
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// Hessian-vector products of the summed cross-entropy of a whole problem, for Newton-CG: at a point fixed by
/// <see cref="SetPoint"/>, <see cref="Multiply"/> returns H·v without forming H (784 × 10 weights give a 7,850² matrix).
/// With the extended rows x̃ = (x, 1) and u = Vx̃ the scores' change along v, the product is Σᵢ x̃ᵢ rᵢᵀ where
/// rᵢ = pᵢ(1 − pᵢ)·uᵢ for a logistic model and rᵢₖ = pᵢₖ(uᵢₖ − Σⱼ pᵢⱼuᵢⱼ) for softmax (one-vs-rest: each unit's
/// logistic). The probabilities at the point are computed once and kept, so a product is one pass over the data: a
/// block of rows is scored along v (SIMD dot products) and its rᵀx̃ added into the group's partial product
/// (register-tiled) while the block is in cache.
/// <para>
/// As in <see cref="FusedLinearKernel"/>, the rows are cut into groups by the problem size alone, each group sums its
/// rows in order into its own partial, and the workers then add the partials in group order, each over its own slice:
/// results do not depend on the thread count. Buffers are kept between calls, so a product allocates nothing.
/// Problems held as bytes are read as bytes and scaled a block at a time into a per-worker buffer.
/// </para>
/// </summary>
internal sealed class HessianVectorKernel : IDisposable
{
    private const int Block = 64;

    private readonly WorkerPool _pool;
    private readonly Action<int, int> _pointItem;
    private readonly Action<int, int> _productItem;
    private readonly Action<int, int> _reduceItem;
    private float[][] _rowScratch = [];
    private float[][] _blockScratch = [];
    private float[][] _squareScratch = [];
    private float[] _diagonal = [];
    private float[] _diagonalBias = [];
    private float[] _curvature = [];
    private float[] _partials = [];
    private double[] _biasPartials = [];
    private float[] _v = [];
    private float[] _vb = [];
    private float[] _product = [];
    private LinearProblem? _problem;
    private int _groups;
    private int _groupSize;
    private int _outputs;
    private int _features;
    private bool _multinomial;

    public HessianVectorKernel(int threads)
    {
        _pool = new WorkerPool(threads);
        _pointItem = PointItem;
        _productItem = ProductItem;
        _reduceItem = ReduceItem;
    }

    /// <summary>
    /// Fixes the point: the probabilities (softmax) or p(1 − p) (logistic, one-vs-rest) of every row at
    /// <paramref name="weights"/> and <paramref name="bias"/>, and in the same pass the Hessian's diagonal (for a
    /// preconditioner).
    /// </summary>
    public void SetPoint(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, weights, bias);
        Prepare(problem);
        weights.CopyTo(_v);
        bias.CopyTo(_vb);
        _pool.Run(_groups, _pointItem, fixedAssignment: false, _reduceItem);
        _product.AsSpan(0, _outputs * _features).CopyTo(_diagonal);
        SumBias(_diagonalBias);
    }

    /// <summary>
    /// The diagonal of the Hessian at the point (plain sums over rows): Σᵢ cᵢₖ·xᵢⱼ² for weight (k, j) and Σᵢ cᵢₖ for
    /// bias k, with c = p(1 − p) per unit (softmax: the diagonal of each row's pₖδₖₗ − pₖpₗ).
    /// </summary>
    public void Diagonal(Span<float> weights, Span<float> bias)
    {
        _diagonal.AsSpan().CopyTo(weights);
        _diagonalBias.AsSpan().CopyTo(bias);
    }

    private void SumBias(Span<float> bias)
    {
        for (var k = 0; k < _outputs; k++)
        {
            double sum = 0;
            for (var g = 0; g < _groups; g++)
            {
                sum += _biasPartials[g * _outputs + k];
            }

            bias[k] = (float)sum;
        }
    }

    /// <summary>
    /// H·v at the point (the plain sum over rows, no reduction and no penalty) for v = (<paramref name="vWeights"/>,
    /// <paramref name="vBias"/>), written over <paramref name="hWeights"/> and <paramref name="hBias"/>.
    /// </summary>
    public void Multiply(ReadOnlySpan<float> vWeights, ReadOnlySpan<float> vBias, Span<float> hWeights, Span<float> hBias)
    {
        var problem = _problem ?? throw new InvalidOperationException("SetPoint first");
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, vWeights, vBias, hWeights, hBias);
        vWeights.CopyTo(_v);
        vBias.CopyTo(_vb);
        _pool.Run(_groups, _productItem, fixedAssignment: false, _reduceItem);
        _product.AsSpan(0, hWeights.Length).CopyTo(hWeights);
        SumBias(hBias);
    }

    public void Dispose() => _pool.Dispose();

    private void Prepare(LinearProblem problem)
    {
        _problem = problem;
        _outputs = problem.Outputs;
        _features = problem.FeatureCount;
        _multinomial = problem.Kind == ModelKind.Softmax;
        _groups = FusedLinearKernel.GroupsFor(problem.Rows);
        _groupSize = (problem.Rows + _groups - 1) / _groups;
        var size = _outputs * _features;
        Ensure(ref _curvature, problem.Rows * _outputs);
        Ensure(ref _partials, _groups * size);
        Ensure(ref _biasPartials, _groups * _outputs);
        Ensure(ref _v, size);
        Ensure(ref _vb, _outputs);
        Ensure(ref _product, size);
        Ensure(ref _diagonal, size);
        Ensure(ref _diagonalBias, _outputs);
        if (_rowScratch.Length != _pool.Threads || _rowScratch[0].Length != Block * _features || _blockScratch[0].Length != Block * _outputs)
        {
            _rowScratch = [.. Enumerable.Range(0, _pool.Threads).Select(_ => new float[Block * _features])];
            _squareScratch = [.. Enumerable.Range(0, _pool.Threads).Select(_ => new float[Block * _features])];
            _blockScratch = [.. Enumerable.Range(0, _pool.Threads).Select(_ => new float[Block * _outputs])];
        }
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length != length)
        {
            buffer = new T[length];
        }
    }

    /// <summary>Rows [start, start + count) as floats: the feature matrix itself, or the bytes scaled into <paramref name="scratch"/>.</summary>
    private ReadOnlySpan<float> Rows(int start, int count, float[] scratch)
    {
        var problem = _problem!;
        var d = _features;
        if (problem.HasFeatures || problem.Pixels is null)
        {
            return problem.Features.Data.AsSpan(start * d, count * d);
        }

        var pixels = problem.Pixels;
        var offset = pixels.Offset.AsSpan();
        var scale = pixels.Scale.AsSpan();
        var step = Vector<byte>.Count;
        var quarter = Vector<float>.Count;
        for (var i = 0; i < count; i++)
        {
            var source = pixels.Pixels.AsSpan((start + i) * d, d);
            var row = scratch.AsSpan(i * d, d);
            var j = 0;
            for (; j + step <= d; j += step)
            {
                Vector.Widen(new Vector<byte>(source[j..]), out var low, out var high);
                Vector.Widen(low, out var q0, out var q1);
                Vector.Widen(high, out var q2, out var q3);
                Scale(Vector.ConvertToSingle(q0), offset, scale, row, j);
                Scale(Vector.ConvertToSingle(q1), offset, scale, row, j + quarter);
                Scale(Vector.ConvertToSingle(q2), offset, scale, row, j + (2 * quarter));
                Scale(Vector.ConvertToSingle(q3), offset, scale, row, j + (3 * quarter));
            }

            for (; j < d; j++)
            {
                row[j] = (source[j] - offset[j]) * scale[j];
            }
        }

        return scratch.AsSpan(0, count * d);
    }

    private static void Scale(Vector<float> value, ReadOnlySpan<float> offset, ReadOnlySpan<float> scale, Span<float> row, int at) =>
        ((value - new Vector<float>(offset[at..])) * new Vector<float>(scale[at..])).CopyTo(row[at..]);

    /// <summary>Scores u = Vx + b of <paramref name="count"/> rows into <paramref name="scores"/> (row-major, outputs per row).</summary>
    private void Score(ReadOnlySpan<float> x, int count, Span<float> scores)
    {
        var d = _features;
        var outputs = _outputs;
        var v = _v.AsSpan();
        var width = Vector<float>.Count;
        var whole = d - (d % width);
        for (var i = 0; i < count; i++)
        {
            var row = x.Slice(i * d, d);
            var k = 0;
            for (; k + 4 <= outputs; k += 4)
            {
                // Four outputs' dot products share each load of the row.
                Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var j = 0; j < whole; j += width)
                {
                    var xv = new Vector<float>(row[j..]);
                    a0 = Vector.FusedMultiplyAdd(xv, new Vector<float>(v[(k * d + j)..]), a0);
                    a1 = Vector.FusedMultiplyAdd(xv, new Vector<float>(v[(((k + 1) * d) + j)..]), a1);
                    a2 = Vector.FusedMultiplyAdd(xv, new Vector<float>(v[(((k + 2) * d) + j)..]), a2);
                    a3 = Vector.FusedMultiplyAdd(xv, new Vector<float>(v[(((k + 3) * d) + j)..]), a3);
                }

                float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
                for (var j = whole; j < d; j++)
                {
                    s0 += row[j] * v[k * d + j];
                    s1 += row[j] * v[(k + 1) * d + j];
                    s2 += row[j] * v[(k + 2) * d + j];
                    s3 += row[j] * v[(k + 3) * d + j];
                }

                scores[i * outputs + k] = s0 + _vb[k];
                scores[i * outputs + k + 1] = s1 + _vb[k + 1];
                scores[i * outputs + k + 2] = s2 + _vb[k + 2];
                scores[i * outputs + k + 3] = s3 + _vb[k + 3];
            }

            for (; k < outputs; k++)
            {
                Vector<float> a = default;
                for (var j = 0; j < whole; j += width)
                {
                    a = Vector.FusedMultiplyAdd(new Vector<float>(row[j..]), new Vector<float>(v[(k * d + j)..]), a);
                }

                var s = Vector.Sum(a);
                for (var j = whole; j < d; j++)
                {
                    s += row[j] * v[k * d + j];
                }

                scores[i * outputs + k] = s + _vb[k];
            }
        }
    }

    private void PointItem(int group, int worker) => GroupItem(group, worker, curvaturePass: true);

    private void ProductItem(int group, int worker) => GroupItem(group, worker, curvaturePass: false);

    /// <summary>
    /// One group's rows, block by block, for either pass: clear the group's partial sums, score each block (with the
    /// weights in the curvature pass, with the direction in the product pass), turn the scores into each row's
    /// per-unit weights in place, and add them to the bias partials and, times the rows (squared for the diagonal), to
    /// the weight partials.
    /// </summary>
    private void GroupItem(int group, int worker, bool curvaturePass)
    {
        var size = _outputs * _features;
        var partial = _partials.AsSpan(group * size, size);
        partial.Clear();
        var biasPartial = _biasPartials.AsSpan(group * _outputs, _outputs);
        biasPartial.Clear();
        var start = group * _groupSize;
        var end = Math.Min(_problem!.Rows, start + _groupSize);
        var scores = _blockScratch[worker];
        for (var b = start; b < end; b += Block)
        {
            var count = Math.Min(Block, end - b);
            var x = Rows(b, count, _rowScratch[worker]);
            Score(x, count, scores);
            var curvature = _curvature.AsSpan(b * _outputs, count * _outputs);
            var c = scores.AsSpan(0, count * _outputs);
            if (curvaturePass)
            {
                DiagonalTerms(c, curvature, count);
            }
            else
            {
                ProductTerms(c, curvature, count);
            }

            for (var i = 0; i < count; i++)
            {
                for (var k = 0; k < _outputs; k++)
                {
                    biasPartial[k] += c[i * _outputs + k];
                }
            }

            if (curvaturePass)
            {
                var squares = _squareScratch[worker].AsSpan(0, x.Length);
                TensorPrimitives.Multiply(x, x, squares);
                AddOuterProducts(squares, c, count, partial);
            }
            else
            {
                AddOuterProducts(x, c, count, partial);
            }
        }
    }

    /// <summary>
    /// The curvature pass: stores each row's probabilities (softmax) or p(1 − p) (sigmoid) in <paramref name="curvature"/>
    /// for the product passes, and leaves in <paramref name="c"/>, over the block's scores, the diagonal's terms:
    /// c = p(1 − p) per unit, times x² when added.
    /// </summary>
    private void DiagonalTerms(Span<float> c, Span<float> curvature, int count)
    {
        if (_multinomial)
        {
            for (var i = 0; i < count; i++)
            {
                Activations.Softmax(c.Slice(i * _outputs, _outputs), curvature.Slice(i * _outputs, _outputs));
            }

            for (var j = 0; j < c.Length; j++)
            {
                c[j] = curvature[j] * (1 - curvature[j]);
            }
        }
        else
        {
            for (var j = 0; j < curvature.Length; j++)
            {
                var p = 1 / (1 + Math.Exp(-(double)c[j]));
                curvature[j] = (float)(p * (1 - p));
            }

            curvature.CopyTo(c);
        }
    }

    /// <summary>
    /// The product pass: turns the direction's scores u in <paramref name="r"/> into the Hessian's weights per row,
    /// p ⊙ (u − p·u) for softmax, p(1 − p)·u for a sigmoid.
    /// </summary>
    private void ProductTerms(Span<float> r, ReadOnlySpan<float> curvature, int count)
    {
        if (_multinomial)
        {
            for (var i = 0; i < count; i++)
            {
                var p = curvature.Slice(i * _outputs, _outputs);
                var u = r.Slice(i * _outputs, _outputs);
                var mean = TensorPrimitives.Dot<float>(p, u);
                for (var k = 0; k < _outputs; k++)
                {
                    u[k] = p[k] * (u[k] - mean);
                }
            }
        }
        else
        {
            TensorPrimitives.Multiply(r, curvature, r);
        }
    }

    /// <summary>
    /// partial[k, j] += Σᵢ r[i, k]·x[i, j] over the block's rows, in row order: four outputs' accumulators for one
    /// vector of features stay in registers while the rows stream past.
    /// </summary>
    private void AddOuterProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> r, int count, Span<float> partial)
    {
        var d = _features;
        var outputs = _outputs;
        var width = Vector<float>.Count;
        var j = 0;
        for (; j + width <= d; j += width)
        {
            var k = 0;
            for (; k + 4 <= outputs; k += 4)
            {
                var a0 = new Vector<float>(partial.Slice(k * d + j));
                var a1 = new Vector<float>(partial.Slice((k + 1) * d + j));
                var a2 = new Vector<float>(partial.Slice((k + 2) * d + j));
                var a3 = new Vector<float>(partial.Slice((k + 3) * d + j));
                for (var i = 0; i < count; i++)
                {
                    var xv = new Vector<float>(x.Slice(i * d + j));
                    var ri = r.Slice(i * outputs + k, 4);
                    a0 = Vector.FusedMultiplyAdd(xv, new Vector<float>(ri[0]), a0);
                    a1 = Vector.FusedMultiplyAdd(xv, new Vector<float>(ri[1]), a1);
                    a2 = Vector.FusedMultiplyAdd(xv, new Vector<float>(ri[2]), a2);
                    a3 = Vector.FusedMultiplyAdd(xv, new Vector<float>(ri[3]), a3);
                }

                a0.CopyTo(partial.Slice(k * d + j));
                a1.CopyTo(partial.Slice((k + 1) * d + j));
                a2.CopyTo(partial.Slice((k + 2) * d + j));
                a3.CopyTo(partial.Slice((k + 3) * d + j));
            }

            for (; k < outputs; k++)
            {
                var a = new Vector<float>(partial.Slice(k * d + j));
                for (var i = 0; i < count; i++)
                {
                    a = Vector.FusedMultiplyAdd(new Vector<float>(x.Slice(i * d + j)), new Vector<float>(r[i * outputs + k]), a);
                }

                a.CopyTo(partial.Slice(k * d + j));
            }
        }

        for (; j < d; j++)
        {
            for (var k = 0; k < outputs; k++)
            {
                var a = partial[k * d + j];
                for (var i = 0; i < count; i++)
                {
                    a = MathF.FusedMultiplyAdd(x[i * d + j], r[i * outputs + k], a);
                }

                partial[k * d + j] = a;
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/> of <paramref name="workers"/> adds the groups' partials over its slice, in group order.</summary>
    private void ReduceItem(int worker, int workers)
    {
        var size = _outputs * _features;
        var start = (int)((long)size * worker / workers);
        var end = (int)((long)size * (worker + 1) / workers);
        var target = _product.AsSpan(start, end - start);
        _partials.AsSpan(start, end - start).CopyTo(target);
        for (var g = 1; g < _groups; g++)
        {
            TensorPrimitives.Add(target, _partials.AsSpan(g * size + start, end - start), target);
        }
    }
}
