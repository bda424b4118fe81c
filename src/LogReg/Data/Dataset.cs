namespace LogReg.Data;

/// <summary>
/// Images and their labels, kept compact: one byte per pixel, row-major, image after image. Models carry their own
/// bias, so there is no constant feature here. Datasets are immutable; selections and relabellings make new ones.
/// A tabular dataset holds a <see cref="FeatureTable"/> of floats instead of pixels (no pixel bytes, shape 1 × features).
/// </summary>
public sealed class Dataset
{
    private readonly byte[] _pixels;
    private readonly int[] _labels;

    /// <summary>A dataset of <paramref name="labels"/>.Length images stored row-major in <paramref name="pixels"/>, one byte per pixel.</summary>
    public Dataset(byte[] pixels, int[] labels, ImageShape shape, IReadOnlyList<string> classNames, DatasetProvenance provenance)
        : this(pixels, labels, shape, classNames, provenance, table: null)
    {
    }

    /// <summary>A tabular dataset: float features with names, one row per label.</summary>
    public Dataset(FeatureTable table, int[] labels, IReadOnlyList<string> classNames, DatasetProvenance provenance)
        : this([], labels, new ImageShape(1, (table ?? throw new ArgumentNullException(nameof(table))).Columns), classNames, provenance, table)
    {
    }

    private Dataset(byte[] pixels, int[] labels, ImageShape shape, IReadOnlyList<string> classNames, DatasetProvenance provenance, FeatureTable? table)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(provenance);
        if (table is not null && table.Rows != labels.Length)
        {
            throw new ArgumentException($"the table holds {table.Rows} rows but there are {labels.Length} labels", nameof(labels));
        }

        if (table is null && (long)labels.Length * shape.PixelCount != pixels.Length)
        {
            throw new ArgumentException(
                $"pixels hold {pixels.Length} bytes but {labels.Length} images of {shape} need {(long)labels.Length * shape.PixelCount}",
                nameof(pixels));
        }

        if (classNames.Count < 1)
        {
            throw new ArgumentException("a dataset needs at least one class name", nameof(classNames));
        }

        foreach (var label in labels)
        {
            if ((uint)label >= (uint)classNames.Count)
            {
                throw new ArgumentException(
                    $"label {label} is outside 0..{classNames.Count - 1} ({classNames.Count} classes)", nameof(labels));
            }
        }

        _pixels = pixels;
        _labels = labels;
        Table = table;
        Shape = shape;
        ClassNames = classNames;
        Provenance = provenance;
    }

    /// <summary>The number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>The float features of a tabular dataset; null for images.</summary>
    public FeatureTable? Table { get; }

    /// <summary>The height and width of every image.</summary>
    public ImageShape Shape { get; }

    /// <summary>Features per sample (pixels per image).</summary>
    public int FeatureCount => Shape.PixelCount;

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Where the images came from (dataset, split, files and checksums).</summary>
    public DatasetProvenance Provenance { get; }

    /// <summary>All pixels, image after image.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The label (class index) of every image.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The pixel array itself, for kernels that read bytes directly (never modified).</summary>
    internal byte[] PixelArray => _pixels;

    /// <summary>The pixels of image <paramref name="index"/>, row by row.</summary>
    public ReadOnlySpan<byte> Image(int index) =>
        _pixels.AsSpan(checked(index * FeatureCount), FeatureCount);

    /// <summary>The label of image <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>The images at <paramref name="indices"/>, in that order, recorded as <paramref name="step"/>.</summary>
    public Dataset Select(ReadOnlySpan<int> indices, string step)
    {
        if (Table is not null)
        {
            var picked = new int[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                picked[i] = _labels[indices[i]];
            }

            return new Dataset(Table.Select(indices), picked, ClassNames, Provenance.WithStep(step));
        }

        var features = FeatureCount;
        var pixels = new byte[(long)indices.Length * features];
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var source = indices[i];
            _pixels.AsSpan(source * features, features).CopyTo(pixels.AsSpan(i * features, features));
            labels[i] = _labels[source];
        }

        return new Dataset(pixels, labels, Shape, ClassNames, Provenance.WithStep(step));
    }

    /// <summary>The same images (shared, not copied) with new labels and class names; <paramref name="step"/> is recorded when given.</summary>
    public Dataset WithLabels(int[] labels, IReadOnlyList<string> classNames, string? step)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != Count)
        {
            throw new ArgumentException($"expected {Count} labels, got {labels.Length}", nameof(labels));
        }

        return new Dataset(_pixels, labels, Shape, classNames, step is null ? Provenance : Provenance.WithStep(step), Table);
    }

    /// <summary>The same images and labels under different class names (e.g. names read from classes.txt).</summary>
    public Dataset WithClassNames(IReadOnlyList<string> classNames) =>
        new(_pixels, _labels, Shape, classNames, Provenance, Table);

    /// <summary>The number of images of each class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (var label in _labels)
        {
            counts[label]++;
        }

        return counts;
    }

    /// <summary>Mean and (population) standard deviation of all pixel values, on the raw 0..255 scale.</summary>
    public (double Mean, double StandardDeviation) PixelStatistics()
    {
        Span<long> histogram = stackalloc long[256];
        foreach (var value in _pixels)
        {
            histogram[value]++;
        }

        double n = _pixels.Length;
        if (n == 0)
        {
            return (0, 0);
        }

        double sum = 0;
        for (var v = 0; v < 256; v++)
        {
            sum += v * (double)histogram[v];
        }

        var mean = sum / n;
        double squares = 0;
        for (var v = 0; v < 256; v++)
        {
            var d = v - mean;
            squares += d * d * histogram[v];
        }

        return (mean, Math.Sqrt(squares / n));
    }

    /// <summary>Class names "0", "1", ... for data that comes without names.</summary>
    public static IReadOnlyList<string> NumberedClassNames(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
