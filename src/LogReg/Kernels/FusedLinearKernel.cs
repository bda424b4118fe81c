using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LogReg.Core;

namespace LogReg.Kernels;

/// <summary>
/// The fast kernel: SIMD (512-bit, 256-bit or scalar, chosen at start-up), multi-core, deterministic, allocation-free
/// after the first call for a problem shape.
/// <para>
/// A batch is cut into a number of groups that depends only on the batch size. Each group is one work item: its rows
/// are processed a block at a time — scores (register-tiled), losses and score derivatives, then the gradient tile XᵀΔ
/// (register-tiled) while the block is still in cache — into the group's own partial gradient, in row order. Then,
/// in the same hand-off, each worker sums the partials over its own slice of the weights, in group order, and takes the
/// optimizer's step there when one is given (<see cref="LossGradientAndStep"/>), so no single thread passes over the
/// whole gradient. The sums do not depend on the slicing, so results are bitwise identical for 1, 2 or N threads.
/// </para>
/// <para>
/// Problems that carry their pixels as bytes are read as bytes (a quarter of the memory traffic of floats): the
/// scaling feature = (pixel − offset) · scale is folded into the weights, w′ = w · scale and b′ = b − Σ w′ · offset,
/// and unfolded from the gradient, g = scale · (g_raw − offset · Σδ), so the tiles work on raw 0..255 values widened in
/// registers. Results equal the float layout's up to rounding.
/// </para>
/// </summary>
internal sealed unsafe class FusedLinearKernel : ILinearKernel, IDisposable
{
    /// <summary>Rows scored and then differentiated together while they sit in cache.</summary>
    internal const int Block = 64;

    /// <summary>
    /// Fewest outputs for which zero stretches are skipped by default: with one (logistic) the work saved per stretch,
    /// two FMAs, is less than the bookkeeping (measured: logistic epochs took 1.8 times as long with it).
    /// </summary>
    internal const int MinimumMaskedOutputs = 4;

    /// <summary>
    /// Skip zero stretches by default only when at most this share of them is not zero. MNIST (0.40 of its 8-pixel
    /// stretches) trains faster with the masks; Fashion-MNIST (0.72) trained slower with them, and in KMNIST (0.62) as in
    /// Fashion-MNIST the stretches a pair of rows or a 16-pixel strip needs are 80 % or more non-zero, so there is little
    /// to skip and the bookkeeping costs more.
    /// </summary>
    internal const double MaximumMaskDensity = 0.5;

    /// <summary>
    /// The stretch length, in pixels, at which <see cref="MaximumMaskDensity"/> is measured, whatever the width (the
    /// threshold was set on 8-pixel stretches, the 256-bit width's).
    /// </summary>
    internal const int DensityStretch = 8;

    /// <summary>Rows per work item when only scoring (evaluation, prediction).</summary>
    internal const int EvaluationBlock = 256;

    private readonly WorkerPool _pool;
    private readonly object _gate = new();
    private readonly Action<int, int> _gradientItem;
    private readonly Action<int, int> _reduceItem;
    private readonly Action<int, int> _evaluateItem;
    private readonly Action<int, int> _scoresItem;
    private readonly Scratch[] _scratch;
    private float[] _partials = [];
    private float[] _folded = [];
    private double[] _itemLoss = [];
    private long[] _itemCorrect = [];
    private int[] _nextRows = [];
    private int _nextCount;

    // The current job, read by the work items (set under _gate, valid while the pool runs).
    private LinearProblem? _problem;
    private int* _rows;
    private int _rowCount;
    private int _groups;
    private int _groupSize;
    private IGradientStep? _step;
    private int _outputs;
    private int _features;
    private byte* _data;
    private int _rowBytes;
    private bool _bytes;
    private bool _weightsFolded;
    private float _logitScale = 1;
    private ulong* _masks;
    private int _maskWords;
    private float* _w;
    private float* _b;
    private float* _gw;
    private float* _gb;
    private float* _partialsPointer;
    private float* _scores;
    private float _threshold;

    /// <summary>A kernel on <paramref name="threads"/> threads (0: one per core) with the given width, layout and zero-skipping (Auto: measured best).</summary>
    public FusedLinearKernel(int threads = 0, SimdWidth width = SimdWidth.Auto, RowLayout layout = RowLayout.Auto, ZeroStretches zeroStretches = ZeroStretches.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ZeroStretches = zeroStretches;
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
        Width = width == SimdWidth.Auto ? BestWidth() : width;
        Layout = layout;
        _pool = new WorkerPool(Threads);
        _scratch = new Scratch[Threads];
        _gradientItem = GradientItem;
        _reduceItem = ReduceItem;
        _evaluateItem = EvaluateItem;
        _scoresItem = ScoresItem;
    }

    /// <summary>The number of threads a batch is split over.</summary>
    public int Threads { get; }

    /// <summary>The vector width in use.</summary>
    public SimdWidth Width { get; }

    /// <summary>Whether rows are read as floats or as scaled bytes.</summary>
    public RowLayout Layout { get; }

    /// <summary>Whether runs of zero pixels are skipped.</summary>
    public ZeroStretches ZeroStretches { get; }

    /// <inheritdoc/>
    public string Name => $"fused-{Width.ToString().ToLowerInvariant()}-{(Layout == RowLayout.Floats ? "floats" : "bytes")}-{Threads}t";

    /// <summary>Floats per vector register of the chosen width; 0 for the scalar path.</summary>
    private int VectorFloats => Width switch { SimdWidth.Vector512 => 16, SimdWidth.Vector256 => 8, SimdWidth.Vector128 => 4, _ => 0 };

    /// <summary>The widest vector width this machine accelerates.</summary>
    public static SimdWidth BestWidth() =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512
        : Vector256.IsHardwareAccelerated ? SimdWidth.Vector256
        : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128
        : SimdWidth.Scalar;

    /// <summary>
    /// Partial gradients per batch: a function of the batch size alone, never of the thread count. At least two once a
    /// batch has 48 rows (so two cores share even B = 64), then one per 64 rows, at most 32.
    /// </summary>
    public static int GroupsFor(int batchRows) => batchRows < 48 ? 1 : Math.Clamp((batchRows + 63) / 64, 2, 32);

    /// <inheritdoc/>
    public EvaluationSums LossAndGradient(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, gradWeights, gradBias);
        fixed (float* w = weights, b = bias)
        {
            return Gradient(problem, rows, w, b, weights, bias, gradWeights, gradBias, logitThreshold, null);
        }
    }

    /// <summary>
    /// The gradient as <see cref="LossAndGradient"/>, then <paramref name="step"/> when the loss is finite: the workers
    /// that computed the partial gradients sum them and take the step, each over its own slice of the weights, in the
    /// same hand-off (no pass over the whole gradient on one thread, and each core writes the weights it summed).
    /// </summary>
    public EvaluationSums LossGradientAndStep(LinearProblem problem, ReadOnlySpan<int> rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, IGradientStep step, float logitThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(step);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, gradWeights, gradBias);
        fixed (float* w = weights, b = bias)
        {
            return Gradient(problem, rows, w, b, weights, bias, gradWeights, gradBias, logitThreshold, step);
        }
    }

    private EvaluationSums Gradient(LinearProblem problem, ReadOnlySpan<int> rows, float* w, float* b, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> gradWeights, Span<float> gradBias, float logitThreshold, IGradientStep? step)
    {
        if (rows.IsEmpty)
        {
            gradWeights.Clear();
            gradBias.Clear();
            step?.StepWeights(0, gradWeights.Length);
            step?.StepBias();
            return new EvaluationSums(0, 0, 0);
        }

        lock (_gate)
        {
            var groups = GroupsFor(rows.Length);
            var stride = problem.Outputs * problem.FeatureCount + problem.Outputs;
            Prepare(problem, groups, (groups - 1) * stride);
            var bytes = UsesBytes(problem);
            fixed (int* rowPointer = rows)
            fixed (float* gw = gradWeights, gb = gradBias, partials = _partials)
            fixed (byte* pixels = bytes ? problem.Pixels!.Pixels : null)
            fixed (float* x = bytes ? null : problem.Features.Data)
            {
                Bind(problem, bytes, pixels, x, w, b, weights, bias);
                _rows = rowPointer;
                _rowCount = rows.Length;
                _groups = groups;
                _groupSize = (rows.Length + groups - 1) / groups;
                _gw = gw;
                _gb = gb;
                _partialsPointer = partials;
                _threshold = logitThreshold;

                // Folded weights need the gradient unfolded before a step, so that step is taken here afterwards.
                _step = _weightsFolded ? null : step;
                _pool.Run(groups, _gradientItem, fixedAssignment: true, _reduceItem);
                _nextCount = 0;

                double loss = 0;
                long correct = 0;
                for (var g = 0; g < groups; g++)
                {
                    loss += _itemLoss[g];
                    correct += _itemCorrect[g];
                }

                if (_weightsFolded)
                {
                    Unfold(problem.Pixels!, gradWeights, gradBias);
                    if (step is not null && double.IsFinite(loss))
                    {
                        step.StepWeights(0, gradWeights.Length);
                        step.StepBias();
                    }
                }

                Unbind();
                return new EvaluationSums(loss, correct, rows.Length);
            }
        }
    }

    /// <summary>
    /// The second phase of a batch, on every worker once all groups are done: sums the groups' partial gradients into
    /// group 0's, in group order, over this worker's slice of the weights (worker 0 also the biases), then takes the
    /// step on that slice when one was asked for and the batch's loss is finite. Each slice's sum is the same as one
    /// pass over all of them would give, so the gradient does not depend on the number of workers.
    /// </summary>
    private void ReduceItem(int worker, int workers)
    {
        int k = _outputs, d = _features;
        var count = k * d;
        var stride = count + k;
        var (start, end) = Slice(count, worker, workers);
        var g = new Span<float>(_gw + start, end - start);
        for (var group = 1; group < _groups; group++)
        {
            TensorPrimitives.Add(g, new ReadOnlySpan<float>(_partialsPointer + (group - 1) * stride + start, end - start), g);
        }

        var gb = new Span<float>(_gb, k);
        if (worker == 0)
        {
            for (var group = 1; group < _groups; group++)
            {
                TensorPrimitives.Add(gb, new ReadOnlySpan<float>(_partialsPointer + (group - 1) * stride + count, k), gb);
            }
        }

        if (_step is not { } step)
        {
            return;
        }

        double loss = 0;
        for (var group = 0; group < _groups; group++)
        {
            loss += _itemLoss[group];
        }

        if (!double.IsFinite(loss))
        {
            return;
        }

        if (end > start)
        {
            step.StepWeights(start, end);
        }

        if (worker == 0)
        {
            step.StepBias();
        }
    }

    /// <summary>
    /// Worker <paramref name="worker"/>'s share of <paramref name="count"/> weights: slices of whole multiples of 16, any
    /// remainder shorter than 16 kept with the slice before it, so no slice is short enough for a vectorised sum or step
    /// to fall back to scalar arithmetic that one pass over all of them would not use.
    /// </summary>
    internal static (int Start, int End) Slice(int count, int worker, int workers)
    {
        var chunk = ((count + workers - 1) / workers + 15) & ~15;
        var start = Math.Min(count, worker * chunk);
        var end = Math.Min(count, start + chunk);
        if (start > 0 && count - start < 16)
        {
            return (count, count);
        }

        return (start, count - end < 16 ? count : end);
    }

    /// <inheritdoc/>
    public EvaluationSums Evaluate(LinearProblem problem, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, float logitThreshold)
    {
        ArgumentNullException.ThrowIfNull(problem);
        KernelChecks.Parameters(problem.Outputs, problem.FeatureCount, weights, bias, weights, bias);
        lock (_gate)
        {
            var items = (problem.Rows + EvaluationBlock - 1) / EvaluationBlock;
            Prepare(problem, items, 0);
            var bytes = UsesBytes(problem);
            fixed (float* w = weights, b = bias)
            fixed (byte* pixels = bytes ? problem.Pixels!.Pixels : null)
            fixed (float* x = bytes ? null : problem.Features.Data)
            {
                Bind(problem, bytes, pixels, x, w, b, weights, bias);
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

    /// <inheritdoc/>
    public void Scores(FeatureMatrix features, int outputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> scores)
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
            fixed (float* s = scores, w = weights, b = bias, x = features.Data)
            {
                Bind(problem, false, null, x, w, b, weights, bias);
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
            var pointer = (byte*)x;
            switch (Width)
            {
                case SimdWidth.Vector512:
                    FusedMicrokernels<Ops512, Vector512<float>, FloatRows>.Forward(&pointer, 1, w, b, 1f, d, k, z);
                    break;
                case SimdWidth.Vector256:
                    FusedMicrokernels<Ops256, Vector256<float>, FloatRows>.Forward(&pointer, 1, w, b, 1f, d, k, z);
                    break;
                case SimdWidth.Vector128:
                    FusedMicrokernels<Ops128, Vector128<float>, FloatRows>.Forward(&pointer, 1, w, b, 1f, d, k, z);
                    break;
                default:
                    FusedMicrokernels<OpsScalar, float, FloatRows>.Forward(&pointer, 1, w, b, 1f, d, k, z);
                    break;
            }
        }

        return TensorPrimitivesKernel.Weighted(problem, row, Activations.LossAndDelta(problem.Kind, logits, problem.Labels[row], delta), delta);
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

        var strips = VectorFloats == 0 ? 0 : (problem.FeatureCount / VectorFloats + 1) / 2;
        var parameters = problem.Outputs * problem.FeatureCount + problem.Outputs;
        if (_folded.Length < parameters)
        {
            _folded = GC.AllocateArray<float>(parameters, pinned: true);
        }

        for (var t = 0; t < _scratch.Length; t++)
        {
            if (_scratch[t] is not { } s || !s.Fits(problem.Outputs, strips))
            {
                _scratch[t] = new Scratch(problem.Outputs, strips);
            }
        }
    }

    /// <summary>
    /// Points the job at the problem's rows (pinned by the caller) and the weights to score with: the caller's, or for
    /// bytes the folded copy w′ = w · scale, b′ = b − Σ w′ · offset in a buffer on the pinned heap. Bytes with one scale
    /// for every feature and no offset (pixels / 255) need no copy: the scale multiplies the scores and the score
    /// derivatives instead, ten numbers per row rather than two passes over the weights per batch.
    /// </summary>
    private void Bind(LinearProblem problem, bool bytes, byte* pixels, float* x, float* w, float* b, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        _problem = problem;
        _outputs = problem.Outputs;
        _features = problem.FeatureCount;
        _bytes = bytes;
        BindMasks(problem, bytes);
        _weightsFolded = false;
        _logitScale = 1;
        if (bytes && problem.Pixels!.UniformScale is { } uniform)
        {
            _data = pixels;
            _rowBytes = _features;
            _w = w;
            _b = b;
            _logitScale = uniform;
        }
        else if (bytes)
        {
            _data = pixels;
            _rowBytes = _features;
            _weightsFolded = true;
            Fold(problem.Pixels!, weights, bias);
            _w = (float*)Unsafe.AsPointer(ref _folded[0]);
            _b = _w + _outputs * _features;
        }
        else
        {
            _data = (byte*)x;
            _rowBytes = _features * sizeof(float);
            _w = w;
            _b = b;
        }
    }

    /// <summary>
    /// Byte rows get zero-stretch masks at the vector width (not for the scalar path, whose stretches would be single
    /// pixels): the tiles skip what is zero in every row they hold.
    /// </summary>
    private void BindMasks(LinearProblem problem, bool bytes)
    {
        _masks = null;
        _maskWords = 0;
        if (!bytes || !SkipsZeroStretches(problem))
        {
            return;
        }

        var masks = problem.Pixels!.ChunkMasks(VectorFloats);
        _masks = (ulong*)Unsafe.AsPointer(ref masks.Masks[0]);
        _maskWords = masks.Words;
    }

    /// <summary>
    /// Whether this kernel skips the zero stretches of <paramref name="problem"/>'s byte rows: never for the scalar path
    /// or rows shorter than a vector, always when told to skip, and by default for four or more outputs on data that is
    /// mostly zero.
    /// <para>
    /// "Mostly zero" is measured at one stretch length whatever the width, 8 pixels: at its own width (16 pixels) MNIST
    /// is 58 % non-zero, over the threshold, so the 512-bit kernel read every pixel while the 256-bit one (8 pixels,
    /// 40 %) skipped, and a full-batch epoch, bound by arithmetic, took longer at 512 bits than at 256 on an AVX-512
    /// machine. Skipping 16-pixel stretches there still saves about a fifth of a full-batch pass (thread CPU time,
    /// bench/RESULTS.md).
    /// </para>
    /// </summary>
    internal bool SkipsZeroStretches(LinearProblem problem)
    {
        var width = VectorFloats;
        if (problem.Pixels is null || width == 0 || problem.FeatureCount < width || ZeroStretches == ZeroStretches.Read)
        {
            return false;
        }

        return ZeroStretches == ZeroStretches.Skip
            || (problem.Outputs >= MinimumMaskedOutputs && problem.Pixels.ChunkMasks(DensityStretch).Density <= MaximumMaskDensity);
    }

    private void Unbind()
    {
        _problem = null;
        _masks = null;
        _rows = null;
        _data = null;
        _w = _b = _gw = _gb = _partialsPointer = _scores = null;
        _step = null;
    }

    private void Fold(ScaledPixels pixels, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        int k = _outputs, d = _features;
        var scale = pixels.Scale.AsSpan();
        var offset = pixels.Offset.AsSpan();
        for (var c = 0; c < k; c++)
        {
            var folded = _folded.AsSpan(c * d, d);
            TensorPrimitives.Multiply(weights.Slice(c * d, d), scale, folded);
            _folded[k * d + c] = pixels.HasOffset ? bias[c] - TensorPrimitives.Dot(folded, offset) : bias[c];
        }
    }

    /// <summary>g_kj = scale_j · (g_raw_kj − offset_j · Σδ_k), where Σδ_k is the bias gradient.</summary>
    private void Unfold(ScaledPixels pixels, Span<float> gradWeights, ReadOnlySpan<float> gradBias)
    {
        int k = _outputs, d = _features;
        var scale = pixels.Scale.AsSpan();
        var offset = pixels.Offset.AsSpan();
        for (var c = 0; c < k; c++)
        {
            var g = gradWeights.Slice(c * d, d);
            if (pixels.HasOffset)
            {
                TensorPrimitives.MultiplyAdd(offset, -gradBias[c], g, g);
            }

            TensorPrimitives.Multiply(g, scale, g);
        }
    }

    private void GradientItem(int group, int worker)
    {
        switch ((Width, _bytes))
        {
            case (SimdWidth.Vector512, true):
                GradientGroup<Ops512, Vector512<float>, ByteRows>(group, worker);
                break;
            case (SimdWidth.Vector512, false):
                GradientGroup<Ops512, Vector512<float>, FloatRows>(group, worker);
                break;
            case (SimdWidth.Vector256, true):
                GradientGroup<Ops256, Vector256<float>, ByteRows>(group, worker);
                break;
            case (SimdWidth.Vector256, false):
                GradientGroup<Ops256, Vector256<float>, FloatRows>(group, worker);
                break;
            case (SimdWidth.Vector128, true):
                GradientGroup<Ops128, Vector128<float>, ByteRows>(group, worker);
                break;
            case (SimdWidth.Vector128, false):
                GradientGroup<Ops128, Vector128<float>, FloatRows>(group, worker);
                break;
            case (_, true):
                GradientGroup<OpsScalar, float, ByteRows>(group, worker);
                break;
            default:
                GradientGroup<OpsScalar, float, FloatRows>(group, worker);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GradientGroup<TV, TVec, TRow>(int group, int worker)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TRow : struct, IRowFormat
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
        var sampleWeights = _problem.SampleWeights;
        var rowPointers = stackalloc byte*[Block];
        Span<int> blockLabels = stackalloc int[Block];
        Span<float> blockWeights = stackalloc float[Block];
        double loss = 0;
        long correct = 0;
        var prefetchPointers = stackalloc byte*[Block];
        var rowMasks = stackalloc ulong*[Block];
        var masks = _masks is null ? null : rowMasks;
        var first = true;

        // Where this group's rows of the next batch start and end: the group of the same number runs on this worker next
        // time (groups are pinned to workers), so what it fetches now arrives in its own cache.
        int nextStart = 0, nextEnd = 0;
        if (_nextCount > 0)
        {
            var nextSize = (_nextCount + GroupsFor(_nextCount) - 1) / GroupsFor(_nextCount);
            nextStart = Math.Min(_nextCount, group * nextSize);
            nextEnd = Math.Min(_nextCount, nextStart + nextSize);
        }

        fixed (float* logits = scratch.Logits, delta = scratch.Delta)
        fixed (int* lists = scratch.Lists, counts = scratch.Counts)
        {
            for (var sub = start; sub < end; sub += Block)
            {
                var m = Math.Min(Block, end - sub);
                for (var i = 0; i < m; i++)
                {
                    rowPointers[i] = _data + (long)_rows[sub + i] * _rowBytes;
                    rowMasks[i] = _masks + (long)_rows[sub + i] * _maskWords;
                }

                // While this block computes, fetch the block after it: the next one of this group, else the first of
                // this group in the next batch. Rows come shuffled, so the hardware prefetcher cannot guess them.
                var prefetchCount = 0;
                if (sub + Block < end)
                {
                    for (var i = sub + Block; i < Math.Min(end, sub + 2 * Block); i++)
                    {
                        prefetchPointers[prefetchCount++] = _data + (long)_rows[i] * _rowBytes;
                    }
                }
                else
                {
                    for (var i = nextStart; i < Math.Min(nextEnd, nextStart + Block); i++)
                    {
                        prefetchPointers[prefetchCount++] = _data + (long)_nextRows[i] * _rowBytes;
                    }
                }

                // Half the coming rows are asked for between forward tiles, half between backward strips: with one output the
                // forward pass is short, and the requests queued behind each other (logistic epochs 12 % slower).
                var forwardPrefetch = prefetchCount / 2;
                FusedMicrokernels<TV, TVec, TRow>.Forward(rowPointers, m, _w, _b, _logitScale, d, k, logits, masks, _maskWords, prefetchPointers, forwardPrefetch, _rowBytes);
                for (var i = 0; i < m; i++)
                {
                    blockLabels[i] = labels[_rows[sub + i]];
                }

                if (sampleWeights is not null)
                {
                    for (var i = 0; i < m; i++)
                    {
                        blockWeights[i] = sampleWeights[_rows[sub + i]];
                    }
                }

                loss += BlockLoss.Compute(kind, new ReadOnlySpan<float>(logits, m * k), blockLabels, m, k, new Span<float>(delta, m * k), scratch.LossScratch, _threshold, out var blockCorrect, sampleWeights is null ? default : blockWeights[..m]);
                correct += blockCorrect;
                // Row after row into every class's sum at once: k independent chains rather than one chain per class.
                if (first)
                {
                    new Span<float>(gb, k).Clear();
                }

                for (var i = 0; i < m; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        gb[c] += delta[i * k + c];
                    }
                }

                if (_logitScale != 1)
                {
                    // ∂z/∂w = scale · pixel: scaling the m·k derivatives spares a pass over the gradient.
                    TensorPrimitives.Multiply(new ReadOnlySpan<float>(delta, m * k), _logitScale, new Span<float>(delta, m * k));
                }

                if (masks is null)
                {
                    FusedMicrokernels<TV, TVec, TRow>.Backward(rowPointers, m, delta, k, d, g, overwrite: first, null, null, 0, prefetchPointers + forwardPrefetch, prefetchCount - forwardPrefetch, _rowBytes);
                }
                else
                {
                    StripLists(rowMasks, m, _maskWords, lists, counts, scratch.Strips);
                    FusedMicrokernels<TV, TVec, TRow>.Backward(rowPointers, m, delta, k, d, g, overwrite: first, lists, counts, Block, prefetchPointers + forwardPrefetch, prefetchCount - forwardPrefetch, _rowBytes);
                }

                first = false;
            }
        }

        _itemLoss[group] = loss;
        _itemCorrect[group] = correct;
    }

    /// <summary>
    /// For each strip of two stretches (the backward tiles' width), the rows of the block that are not all zero there, in
    /// row order: lists[s·Block ..], counts[s] of them. Always jitted for this machine (AggressiveOptimization keeps it
    /// out of the ReadyToRun image, whose baseline x64 lacks TZCNT: precompiled, it made B = 128 epochs 25 % slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StripLists(ulong** rowMasks, int m, int words, int* lists, int* counts, int strips)
    {
        new Span<int>(counts, strips).Clear();
        for (var i = 0; i < m; i++)
        {
            var mask = rowMasks[i];
            for (var word = 0; word < words; word++)
            {
                // One bit per strip (at its even position): stretch 2s or 2s + 1 not zero.
                var bits = (mask[word] | (mask[word] >> 1)) & 0x5555_5555_5555_5555UL;
                while (bits != 0)
                {
                    var strip = ((word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits)) >> 1;
                    bits &= bits - 1;
                    lists[strip * Block + counts[strip]++] = i;
                }
            }
        }
    }

    private void EvaluateItem(int item, int worker) => ScoreDispatch(item, worker, evaluate: true);

    private void ScoresItem(int item, int worker) => ScoreDispatch(item, worker, evaluate: false);

    private void ScoreDispatch(int item, int worker, bool evaluate)
    {
        switch ((Width, _bytes))
        {
            case (SimdWidth.Vector512, true):
                ScoreItem<Ops512, Vector512<float>, ByteRows>(item, worker, evaluate);
                break;
            case (SimdWidth.Vector512, false):
                ScoreItem<Ops512, Vector512<float>, FloatRows>(item, worker, evaluate);
                break;
            case (SimdWidth.Vector256, true):
                ScoreItem<Ops256, Vector256<float>, ByteRows>(item, worker, evaluate);
                break;
            case (SimdWidth.Vector256, false):
                ScoreItem<Ops256, Vector256<float>, FloatRows>(item, worker, evaluate);
                break;
            case (SimdWidth.Vector128, true):
                ScoreItem<Ops128, Vector128<float>, ByteRows>(item, worker, evaluate);
                break;
            case (SimdWidth.Vector128, false):
                ScoreItem<Ops128, Vector128<float>, FloatRows>(item, worker, evaluate);
                break;
            case (_, true):
                ScoreItem<OpsScalar, float, ByteRows>(item, worker, evaluate);
                break;
            default:
                ScoreItem<OpsScalar, float, FloatRows>(item, worker, evaluate);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreItem<TV, TVec, TRow>(int item, int worker, bool evaluate)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TRow : struct, IRowFormat
    {
        var scratch = _scratch[worker];
        int k = _outputs, d = _features;
        var start = item * EvaluationBlock;
        var end = Math.Min(_rowCount, start + EvaluationBlock);
        var kind = _problem!.Kind;
        var labels = _problem.Labels;
        var sampleWeights = _problem.SampleWeights;
        var rowPointers = stackalloc byte*[Block];
        var rowMasks = stackalloc ulong*[Block];
        Span<int> blockLabels = stackalloc int[Block];
        double loss = 0;
        long correct = 0;
        fixed (float* logits = scratch.Logits, delta = scratch.Delta)
        {
            for (var sub = start; sub < end; sub += Block)
            {
                var m = Math.Min(Block, end - sub);
                for (var i = 0; i < m; i++)
                {
                    rowPointers[i] = _data + (long)(sub + i) * _rowBytes;
                    rowMasks[i] = _masks + (long)(sub + i) * _maskWords;
                }

                var target = evaluate ? logits : _scores + (long)sub * k;
                FusedMicrokernels<TV, TVec, TRow>.Forward(rowPointers, m, _w, _b, _logitScale, d, k, target, _masks is null ? null : rowMasks, _maskWords, null, 0, 0);
                if (!evaluate)
                {
                    continue;
                }

                for (var i = 0; i < m; i++)
                {
                    blockLabels[i] = labels[sub + i];
                }

                var blockWeights = sampleWeights is null ? default : new ReadOnlySpan<float>(sampleWeights, sub, m);
                loss += BlockLoss.Compute(kind, new ReadOnlySpan<float>(logits, m * k), blockLabels, m, k, new Span<float>(delta, m * k), scratch.LossScratch, _threshold, out var blockCorrect, blockWeights);
                correct += blockCorrect;
            }
        }

        _itemLoss[item] = loss;
        _itemCorrect[item] = correct;
    }

    /// <summary>Stops the kernel's worker threads.</summary>
    public void Dispose() => _pool.Dispose();

    /// <summary>One worker's buffers: scores and score derivatives for a block.</summary>
    private sealed class Scratch(int outputs, int strips)
    {
        /// <summary>Strips of two stretches of the vector width: the backward tiles' unit.</summary>
        public int Strips { get; } = strips;

        public int[] Lists { get; } = new int[Math.Max(1, strips * Block)];

        public int[] Counts { get; } = new int[Math.Max(1, strips)];

        public float[] Logits { get; } = new float[Block * outputs];

        public float[] Delta { get; } = new float[Block * outputs];

        public float[] LossScratch { get; } = new float[Block * Math.Max(outputs, 2)];

        public bool Fits(int k, int strips) => Logits.Length == Block * k && Strips == strips;
    }
}
