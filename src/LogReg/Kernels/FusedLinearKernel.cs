using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using LogReg.Models;

namespace LogReg.Kernels;

/// <summary>
/// The fast kernel: SIMD (512-bit, 256-bit or scalar, chosen at start-up), multi-core, deterministic, allocation-free
/// after the first call for a problem shape.
/// <para>
/// A batch is cut into a number of groups that depends only on the batch size. Each group is one work item: its rows
/// are processed 32 at a time — scores (register-tiled), losses and score derivatives, then the gradient tile XᵀΔ
/// (register-tiled) while the rows are still in cache — into the group's own partial gradient, in row order. The partials
/// are then summed in group order. Which thread ran which group never matters, so the result is bitwise identical for
/// 1, 2 or N threads.
/// </para>
/// </summary>
public sealed unsafe class FusedLinearKernel : ILinearKernel, IDisposable
{
    /// <summary>Rows scored and then differentiated together while they sit in L1/L2.</summary>
    internal const int Block = 64;

    /// <summary>Rows per work item when only scoring (evaluation, prediction).</summary>
    internal const int EvaluationBlock = 256;

    private readonly WorkerPool _pool;
    private readonly object _gate = new();
    private readonly Action<int, int> _gradientItem;
    private readonly Action<int, int> _evaluateItem;
    private readonly Action<int, int> _scoresItem;
    private readonly Scratch[] _scratch;
    private float[] _partials = [];
    private double[] _itemLoss = [];
    private long[] _itemCorrect = [];
    private int[] _nextRows = [];
    private int _nextCount;

    // The current job, read by the work items (set under _gate, valid while the pool runs).
    private LinearProblem? _problem;
    private int* _rows;
    private int _rowCount;
    private int _groupSize;
    private int _groups;
    private int _outputs;
    private int _features;
    private float* _x;
    private byte* _pixels;
    private float* _offset;
    private float* _scale;
    private float* _w;
    private float* _b;
    private float* _gw;
    private float* _gb;
    private float* _partialsPointer;
    private float* _scores;
    private float _threshold;

    public FusedLinearKernel(int threads = 0, SimdWidth width = SimdWidth.Auto, RowLayout layout = RowLayout.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        Width = width == SimdWidth.Auto ? BestWidth() : width;
        Layout = layout;
        _pool = new WorkerPool(Threads);
        _scratch = new Scratch[Threads];
        _gradientItem = GradientItem;
        _evaluateItem = EvaluateItem;
        _scoresItem = ScoresItem;
    }

    public int Threads { get; }

    public SimdWidth Width { get; }

    public RowLayout Layout { get; }

    public string Name => $"fused-{Width.ToString().ToLowerInvariant()}-{(Layout == RowLayout.Floats ? "floats" : "bytes")}-{Threads}t";

    /// <summary>The widest vector width this machine accelerates.</summary>
    public static SimdWidth BestWidth() =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : SimdWidth.Scalar;

    /// <summary>
    /// Partial gradients per batch: a function of the batch size alone, never of the thread count. At least two once a
    /// batch has 48 rows (so two cores share even B = 64), then one per 64 rows, at most 32.
    /// </summary>
    public static int GroupsFor(int batchRows) => batchRows < 48 ? 1 : Math.Clamp((batchRows + 63) / 64, 2, 32);

    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, gradWeights, gradBias);
        if (rows.IsEmpty)
        {
            gradWeights.Clear();
            gradBias.Clear();
            return new EvaluationSums(0, 0, 0);
        }

        lock (_gate)
        {
            var groups = GroupsFor(rows.Length);
            var stride = problem.Outputs * problem.FeatureCount + problem.Outputs;
            Prepare(problem, groups, (groups - 1) * stride);
            fixed (int* rowPointer = rows)
            fixed (float* w = weights, b = bias, gw = gradWeights, gb = gradBias, partials = _partials)
            fixed (float* x = UsesBytes(problem) ? null : problem.Features.Data, offset = problem.Pixels?.Offset, scale = problem.Pixels?.Scale)
            fixed (byte* pixels = problem.Pixels?.Pixels)
            {
                Bind(problem, x, pixels, offset, scale, w, b);
                _rows = rowPointer;
                _rowCount = rows.Length;
                _groups = groups;
                _groupSize = (rows.Length + groups - 1) / groups;
                _gw = gw;
                _gb = gb;
                _partialsPointer = partials;
                _threshold = logitThreshold;
                _pool.Run(groups, _gradientItem, fixedAssignment: true);
                _nextCount = 0;

                double loss = 0;
                long correct = 0;
                for (var g = 0; g < groups; g++)
                {
                    loss += _itemLoss[g];
                    correct += _itemCorrect[g];
                }

                // Group 0 wrote straight into the output; the others' partials are added in group order.
                var weightCount = problem.Outputs * problem.FeatureCount;
                for (var g = 1; g < groups; g++)
                {
                    var partial = new ReadOnlySpan<float>(partials + (g - 1) * stride, stride);
                    TensorPrimitives.Add(gradWeights, partial[..weightCount], gradWeights);
                    TensorPrimitives.Add(gradBias, partial[weightCount..], gradBias);
                }

                Unbind();
                return new EvaluationSums(loss, correct, rows.Length);
            }
        }
    }

    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, weights, bias);
        lock (_gate)
        {
            var items = (problem.Rows + EvaluationBlock - 1) / EvaluationBlock;
            Prepare(problem, items, 0);
            fixed (float* w = weights, b = bias)
            fixed (float* x = UsesBytes(problem) ? null : problem.Features.Data, offset = problem.Pixels?.Offset, scale = problem.Pixels?.Scale)
            fixed (byte* pixels = problem.Pixels?.Pixels)
            {
                Bind(problem, x, pixels, offset, scale, w, b);
                _rowCount = problem.Rows;
                _threshold = logitThreshold;
                _pool.Run(items, _evaluateItem);
                double loss = 0;
                long correct = 0;
                for (var i = 0; i < items; i++)
                {
                    loss += _itemLoss[i];
                    correct += _itemCorrect[i];
                }

                Unbind();
                return new EvaluationSums(loss, correct, problem.Rows);
            }
        }
    }

    public void Scores(Preprocessing.FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (scores.Length != (long)features.Rows * outputs)
        {
            throw new ArgumentException($"scores needs {features.Rows} x {outputs} values", nameof(scores));
        }

        var problem = new LinearProblem(outputs == 1 ? ModelKind.Logistic : ModelKind.Softmax, features, new int[features.Rows], Math.Max(2, outputs));
        KernelChecks.Parameters(outputs, features.Columns, weights, bias, weights, bias);
        lock (_gate)
        {
            var items = (features.Rows + EvaluationBlock - 1) / EvaluationBlock;
            Prepare(problem, items, 0);
            fixed (float* w = weights, b = bias, x = features.Data, s = scores)
            {
                Bind(problem, x, null, null, null, w, b);
                _scores = s;
                _rowCount = features.Rows;
                _pool.Run(items, _scoresItem);
                Unbind();
            }
        }
    }

    /// <summary>
    /// Remembers the rows of the next batch: during this batch, each worker prefetches the rows of the group it will
    /// process next time (groups are pinned to workers), so they arrive in its own cache while it computes.
    /// </summary>
    public void PrefetchRows(LinearProblem problem, ReadOnlySpan<int> rows)
    {
        lock (_gate)
        {
            if (_nextRows.Length < rows.Length)
            {
                _nextRows = new int[rows.Length];
            }

            rows.CopyTo(_nextRows);
            _nextCount = rows.Length;
        }
    }

    /// <summary>
    /// The loss of one sample and the derivative of that loss with respect to each score, for per-sample SGD, which
    /// applies the gradient delta ⊗ x without ever building it.
    /// </summary>
    public double SampleLossAndDelta(LinearProblem problem, int row, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> delta)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var k = problem.Outputs;
        var d = problem.FeatureCount;
        Span<float> logits = stackalloc float[k];
        fixed (float* x = problem.Features.Row(row), w = weights, b = bias, z = logits)
        {
            var pointer = x;
            switch (Width)
            {
                case SimdWidth.Vector512:
                    FusedMicrokernels<Ops512, Vector512<float>>.Forward(&pointer, 1, w, b, d, k, z);
                    break;
                case SimdWidth.Vector256:
                    FusedMicrokernels<Ops256, Vector256<float>>.Forward(&pointer, 1, w, b, d, k, z);
                    break;
                default:
                    FusedMicrokernels<OpsScalar, float>.Forward(&pointer, 1, w, b, d, k, z);
                    break;
            }
        }

        return Activations.LossAndDelta(problem.Kind, logits, problem.Labels[row], delta);
    }

    private bool UsesBytes(LinearProblem problem) =>
        Layout != RowLayout.Floats && problem.Pixels is not null;

    private void Prepare(LinearProblem problem, int items, int partialFloats)
    {
        if (_partials.Length < partialFloats)
        {
            _partials = GC.AllocateArray<float>(partialFloats, pinned: true);
        }

        if (_itemLoss.Length < items)
        {
            _itemLoss = new double[items];
            _itemCorrect = new long[items];
        }

        for (var t = 0; t < _scratch.Length; t++)
        {
            if (_scratch[t] is not { } s || !s.Fits(problem.Outputs, problem.FeatureCount))
            {
                _scratch[t] = new Scratch(problem.Outputs, problem.FeatureCount);
            }
        }
    }

    private void Bind(LinearProblem problem, float* x, byte* pixels, float* offset, float* scale, float* w, float* b)
    {
        _problem = problem;
        _outputs = problem.Outputs;
        _features = problem.FeatureCount;
        _x = x;
        var bytes = UsesBytes(problem);
        _pixels = bytes ? pixels : null;
        _offset = bytes ? offset : null;
        _scale = bytes ? scale : null;
        _w = w;
        _b = b;
    }

    private void Unbind()
    {
        _problem = null;
        _rows = null;
        _x = _w = _b = _gw = _gb = _partialsPointer = _scores = _offset = _scale = null;
        _pixels = null;
    }

    private void GradientItem(int group, int worker)
    {
        switch (Width)
        {
            case SimdWidth.Vector512:
                GradientGroup<Ops512, Vector512<float>>(group, worker);
                break;
            case SimdWidth.Vector256:
                GradientGroup<Ops256, Vector256<float>>(group, worker);
                break;
            default:
                GradientGroup<OpsScalar, float>(group, worker);
                break;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void GradientGroup<TV, TVec>(int group, int worker)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        var scratch = _scratch[worker];
        int k = _outputs, d = _features;
        var start = group * _groupSize;
        var end = Math.Min(_rowCount, start + _groupSize);
        var stride = k * d + k;
        var g = group == 0 ? _gw : _partialsPointer + (group - 1) * stride;
        var gb = group == 0 ? _gb : g + k * d;
        var kind = _problem!.Kind;
        var labels = _problem.Labels;
        var rowPointers = stackalloc float*[Block];
        Span<int> blockLabels = stackalloc int[Block];
        double loss = 0;
        long correct = 0;
        var first = true;
        for (var i = start; i < Math.Min(end, start + Block); i++)
        {
            Prefetch(_rows[i]);
        }

        if (_nextCount > 0)
        {
            // The same group of the next batch runs on this worker: fetch its rows while this one computes.
            var nextSize = (_nextCount + GroupsFor(_nextCount) - 1) / GroupsFor(_nextCount);
            var nextEnd = Math.Min(_nextCount, (group + 1) * nextSize);
            for (var i = group * nextSize; i < nextEnd; i++)
            {
                Prefetch(_nextRows[i]);
            }
        }

        fixed (float* logits = scratch.Logits, delta = scratch.Delta, converted = scratch.Rows)
        {
            for (var sub = start; sub < end; sub += Block)
            {
                var m = Math.Min(Block, end - sub);
                for (var i = 0; i < m; i++)
                {
                    rowPointers[i] = RowPointer<TV, TVec>(_rows[sub + i], converted + i * d);
                }

                for (var i = sub + Block; i < Math.Min(end, sub + 2 * Block); i++)
                {
                    Prefetch(_rows[i]);
                }

                FusedMicrokernels<TV, TVec>.Forward(rowPointers, m, _w, _b, d, k, logits);
                for (var i = 0; i < m; i++)
                {
                    var label = labels[_rows[sub + i]];
                    blockLabels[i] = label;
                    if (ScalarReferenceKernel.PredictFromLogits(kind, new ReadOnlySpan<float>(logits + i * k, k), _threshold) == label)
                    {
                        correct++;
                    }
                }

                loss += BlockLoss.Compute(kind, new ReadOnlySpan<float>(logits, m * k), blockLabels, m, k, new Span<float>(delta, m * k), scratch.LossScratch);

                FusedMicrokernels<TV, TVec>.Backward(rowPointers, m, delta, k, d, g, overwrite: first);
                for (var c = 0; c < k; c++)
                {
                    var sum = first ? 0f : gb[c];
                    for (var i = 0; i < m; i++)
                    {
                        sum += delta[i * k + c];
                    }

                    gb[c] = sum;
                }

                first = false;
            }
        }

        _itemLoss[group] = loss;
        _itemCorrect[group] = correct;
    }

    private void EvaluateItem(int item, int worker)
    {
        switch (Width)
        {
            case SimdWidth.Vector512:
                ScoreItem<Ops512, Vector512<float>>(item, worker, evaluate: true);
                break;
            case SimdWidth.Vector256:
                ScoreItem<Ops256, Vector256<float>>(item, worker, evaluate: true);
                break;
            default:
                ScoreItem<OpsScalar, float>(item, worker, evaluate: true);
                break;
        }
    }

    private void ScoresItem(int item, int worker)
    {
        switch (Width)
        {
            case SimdWidth.Vector512:
                ScoreItem<Ops512, Vector512<float>>(item, worker, evaluate: false);
                break;
            case SimdWidth.Vector256:
                ScoreItem<Ops256, Vector256<float>>(item, worker, evaluate: false);
                break;
            default:
                ScoreItem<OpsScalar, float>(item, worker, evaluate: false);
                break;
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void ScoreItem<TV, TVec>(int item, int worker, bool evaluate)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        var scratch = _scratch[worker];
        int k = _outputs, d = _features;
        var start = item * EvaluationBlock;
        var end = Math.Min(_rowCount, start + EvaluationBlock);
        var kind = _problem!.Kind;
        var labels = _problem.Labels;
        var rowPointers = stackalloc float*[Block];
        Span<int> blockLabels = stackalloc int[Block];
        double loss = 0;
        long correct = 0;
        fixed (float* logits = scratch.Logits, delta = scratch.Delta, converted = scratch.Rows)
        {
            for (var sub = start; sub < end; sub += Block)
            {
                var m = Math.Min(Block, end - sub);
                for (var i = 0; i < m; i++)
                {
                    rowPointers[i] = RowPointer<TV, TVec>(sub + i, converted + i * d);
                }

                for (var i = sub + Block; i < Math.Min(end, sub + 2 * Block); i++)
                {
                    Prefetch(i);
                }

                var target = evaluate ? logits : _scores + (long)sub * k;
                FusedMicrokernels<TV, TVec>.Forward(rowPointers, m, _w, _b, d, k, target);
                if (!evaluate)
                {
                    continue;
                }

                for (var i = 0; i < m; i++)
                {
                    var label = labels[sub + i];
                    blockLabels[i] = label;
                    if (ScalarReferenceKernel.PredictFromLogits(kind, new ReadOnlySpan<float>(logits + i * k, k), _threshold) == label)
                    {
                        correct++;
                    }
                }

                loss += BlockLoss.Compute(kind, new ReadOnlySpan<float>(logits, m * k), blockLabels, m, k, new Span<float>(delta, m * k), scratch.LossScratch);
            }
        }

        _itemLoss[item] = loss;
        _itemCorrect[item] = correct;
    }

    /// <summary>
    /// Asks the cache for a row the next block will read: rows come in shuffled order, so the hardware prefetcher cannot
    /// guess them, and a miss per row would otherwise stall the conversion.
    /// </summary>
    private void Prefetch(int row)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        var start = _pixels is null ? (byte*)(_x + (long)row * _features) : _pixels + (long)row * _features;
        var bytes = _pixels is null ? _features * sizeof(float) : _features;
        for (var offset = 0; offset < bytes; offset += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + offset);
        }
    }

    /// <summary>The row's features: in the float matrix, or scaled from its bytes into this worker's buffer.</summary>
    private float* RowPointer<TV, TVec>(int row, float* buffer)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        if (_pixels is null)
        {
            return _x + (long)row * _features;
        }

        FusedMicrokernels<TV, TVec>.ScaleRow(_pixels + (long)row * _features, _offset, _scale, buffer, _features);
        return buffer;
    }

    public void Dispose() => _pool.Dispose();

    /// <summary>One worker's buffers: scores and score derivatives for a block, and converted rows.</summary>
    private sealed class Scratch(int outputs, int features)
    {
        public float[] Logits { get; } = new float[Block * outputs];

        public float[] Delta { get; } = new float[Block * outputs];

        public float[] Rows { get; } = new float[Block * features];

        public float[] LossScratch { get; } = new float[Block * Math.Max(outputs, 2)];

        public bool Fits(int k, int d) => Logits.Length == Block * k && Rows.Length == Block * d;
    }
}
