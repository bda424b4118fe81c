
namespace LogReg.Core;

/// <summary>
/// What a kernel works on: features, integer labels, and the model kind that fixes the number of outputs (one sigmoid
/// unit for logistic regression, one score per class otherwise). Parameters are laid out as weights[output × features]
/// row-major plus bias[output].
/// </summary>
internal sealed class LinearProblem
{
    private FeatureMatrix? _features;

    /// <summary>A problem over <paramref name="features"/> with one label per row; <paramref name="pixels"/> is the same data kept as bytes, read by the byte layout.</summary>
    public LinearProblem(ModelKind kind, FeatureMatrix features, int[] labels, int classCount, ScaledPixels? pixels = null)
        : this(kind, features?.Rows ?? throw new ArgumentNullException(nameof(features)), features.Columns, labels, classCount, pixels)
    {
        _features = features;
    }

    /// <summary>
    /// A problem held as bytes plus scaling only; the float feature matrix is built on first use (kernels that read
    /// bytes never need it, which saves four bytes per pixel of memory and the time to fill them).
    /// </summary>
    public LinearProblem(ModelKind kind, ScaledPixels pixels, int[] labels, int classCount)
        : this(kind, (pixels ?? throw new ArgumentNullException(nameof(pixels))).Pixels.Length / pixels.Features, pixels.Features, labels, classCount, pixels)
    {
    }

    private LinearProblem(ModelKind kind, int rows, int featureCount, int[] labels, int classCount, ScaledPixels? pixels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {rows} rows", nameof(labels));
        }

        if (kind == ModelKind.Logistic ? classCount != 2 : classCount < 2)
        {
            throw new ArgumentException($"{kind} needs {(kind == ModelKind.Logistic ? "exactly 2" : "at least 2")} classes (got {classCount})", nameof(classCount));
        }

        if (pixels is not null && (pixels.Features != featureCount || pixels.Pixels.Length != (long)rows * featureCount))
        {
            throw new ArgumentException($"pixels must hold {rows} rows of {featureCount}", nameof(pixels));
        }

        Kind = kind;
        Rows = rows;
        FeatureCount = featureCount;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
        Outputs = OutputsFor(kind, classCount);
    }

    /// <summary>The kind of model fitted.</summary>
    public ModelKind Kind { get; }

    /// <summary>The float features; built from the bytes on first use when the problem was made from bytes.</summary>
    public FeatureMatrix Features => _features ?? LazyInitializer.EnsureInitialized(ref _features, () => Pixels!.ToFeatures());

    /// <summary>Whether the float features exist yet (reading <see cref="Features"/> builds them).</summary>
    public bool HasFeatures => _features is not null;

    /// <summary>The label of every row.</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Score rows per sample: 1 for logistic regression, K for softmax and one-vs-rest.</summary>
    public int Outputs { get; }

    /// <summary>The number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The same samples as bytes plus scaling, when known; kernels may read these instead of the floats.</summary>
    public ScaledPixels? Pixels { get; }

    /// <summary>
    /// Per-sample weights rescaled to average 1 over the problem, or null when every sample weighs 1 (the kernels then
    /// take no weight into account at all). A kernel multiplies each sample's loss and score derivatives by its weight,
    /// so the mean reduction's plain sum divided by the rows is Σ wᵢ·lossᵢ / Σ wᵢ: scikit-learn's convention, under
    /// which, for a given penalty λ, an integer weight equals that many copies of the row and only the weights' ratios
    /// matter. The sum reduction is then n times that mean (not Σ wᵢ·lossᵢ for weights that do not average 1).
    /// </summary>
    public float[]? SampleWeights { get; private init; }

    /// <summary>
    /// The same samples weighted by <paramref name="weights"/> (one finite, non-negative value per row, not all zero),
    /// stored rescaled to average 1 (see <see cref="SampleWeights"/>). Features, pixels and labels are shared, not copied.
    /// </summary>
    /// <exception cref="ArgumentException">A weight is negative or not finite, the count differs from the rows, or all are zero.</exception>
    public LinearProblem WithSampleWeights(ReadOnlySpan<float> weights)
    {
        if (weights.Length != Rows)
        {
            throw new ArgumentException($"{weights.Length} sample weights for {Rows} samples; give one weight per sample", nameof(weights));
        }

        double sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (!float.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sample weight {i} is {weights[i]}; weights must be finite and at least 0"), nameof(weights));
            }

            sum += weights[i];
        }

        if (sum <= 0)
        {
            throw new ArgumentException("every sample weight is 0; at least one sample must weigh more than 0", nameof(weights));
        }

        var rescaled = new float[Rows];
        var factor = Rows / sum;
        for (var i = 0; i < rescaled.Length; i++)
        {
            rescaled[i] = (float)(weights[i] * factor);
        }

        return new LinearProblem(Kind, Rows, FeatureCount, Labels, ClassCount, Pixels) { _features = _features, SampleWeights = rescaled };
    }

    /// <summary>The weight of sample <paramref name="row"/> (1 without weights).</summary>
    internal float WeightOf(int row) => SampleWeights is { } weights ? weights[row] : 1f;

    /// <summary>The number of logits a model of <paramref name="kind"/> has for <paramref name="classCount"/> classes.</summary>
    public static int OutputsFor(ModelKind kind, int classCount) => kind == ModelKind.Logistic ? 1 : classCount;
}
