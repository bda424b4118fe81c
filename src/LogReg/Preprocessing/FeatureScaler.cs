using LogReg.Core;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>
/// A fitted per-pixel affine map, feature = (pixel − offset) × scale, which covers every <see cref="ScalingKind"/>.
/// Fit it on the training split and apply it unchanged to validation and test data; a constant pixel has scale 0 and
/// gives 0, never NaN.
/// </summary>
public sealed partial class FeatureScaler
{
    /// <summary>A scaler computing (x − <paramref name="offset"/>) × <paramref name="scale"/> per feature.</summary>
    public FeatureScaler(ScalingKind kind, float[] offset, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (offset.Length != scale.Length)
        {
            throw new ArgumentException($"offset has {offset.Length} values but scale has {scale.Length}", nameof(scale));
        }

        foreach (var value in offset.Concat(scale))
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("scaling statistics must be finite", nameof(offset));
            }
        }

        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>The kind of scaling.</summary>
    public ScalingKind Kind { get; }

    /// <summary>Subtracted from each pixel (the training mean or minimum; 0 for None and Divide255).</summary>
    public float[] Offset { get; }

    /// <summary>Multiplies each centred pixel (1/std, 1/range, 1/255 or 1; 0 for a constant pixel).</summary>
    public float[] Scale { get; }

    /// <summary>The number of features.</summary>
    public int FeatureCount => Offset.Length;

    /// <summary>Fits the statistics of <paramref name="kind"/> on <paramref name="train"/>.</summary>
    public static FeatureScaler Fit(Dataset train, ScalingKind kind)
    {
        ArgumentNullException.ThrowIfNull(train);
        return train.Table is { } table ? Fit(table, kind) : Fit(train.Pixels, train.FeatureCount, kind);
    }

    /// <summary>Fits the statistics of <paramref name="kind"/> on images of <paramref name="d"/> pixels each, one after another.</summary>
    public static FeatureScaler Fit(ReadOnlySpan<byte> pixels, int d, ScalingKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (pixels.Length % d != 0)
        {
            throw new ArgumentException($"{pixels.Length} pixels are not whole images of {d} pixels", nameof(pixels));
        }

        var count = pixels.Length / d;
        var offset = new float[d];
        var scale = new float[d];
        switch (kind)
        {
            case ScalingKind.None:
                Array.Fill(scale, 1f);
                break;
            case ScalingKind.Divide255:
                Array.Fill(scale, 1f / 255f);
                break;
            case ScalingKind.MinMax:
                FitMinMax(pixels, count, offset, scale);
                break;
            case ScalingKind.ZScore:
                FitZScore(pixels, count, offset, scale);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown scaling");
        }

        return new FeatureScaler(kind, offset, scale);
    }

    /// <summary>Scales one image into <paramref name="features"/>.</summary>
    public void Transform(ReadOnlySpan<byte> pixels, Span<float> features)
    {
        if (pixels.Length != FeatureCount || features.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} pixels and features, got {pixels.Length} and {features.Length}");
        }

        var offset = Offset.AsSpan();
        var scale = Scale.AsSpan();
        for (var j = 0; j < pixels.Length; j++)
        {
            features[j] = (pixels[j] - offset[j]) * scale[j];
        }
    }

    /// <summary>Scales every image of <paramref name="data"/> into a new feature matrix.</summary>
    internal FeatureMatrix Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != FeatureCount)
        {
            throw new ArgumentException($"the scaler was fitted on {FeatureCount} pixels per image but the data has {data.FeatureCount}", nameof(data));
        }

        if (data.Table is { } table)
        {
            return Transform(table);
        }

        var matrix = new FeatureMatrix(data.Count, FeatureCount);
        var pixels = data.Pixels;
        for (var i = 0; i < data.Count; i++)
        {
            Transform(pixels.Slice(i * FeatureCount, FeatureCount), matrix.Row(i));
        }

        return matrix;
    }

    private static void FitMinMax(ReadOnlySpan<byte> pixels, int count, float[] offset, float[] scale)
    {
        var d = offset.Length;
        var min = new byte[d];
        var max = new byte[d];
        Array.Fill(min, byte.MaxValue);
        for (var i = 0; i < count; i++)
        {
            var image = pixels.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                min[j] = Math.Min(min[j], image[j]);
                max[j] = Math.Max(max[j], image[j]);
            }
        }

        for (var j = 0; j < d; j++)
        {
            offset[j] = count == 0 ? 0 : min[j];
            var range = max[j] - min[j];
            scale[j] = range > 0 ? 1f / range : 0f;
        }
    }

    private static void FitZScore(ReadOnlySpan<byte> pixels, int count, float[] offset, float[] scale)
    {
        var d = offset.Length;
        var sum = new long[d];
        var sumSquares = new long[d];
        for (var i = 0; i < count; i++)
        {
            var image = pixels.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                int v = image[j];
                sum[j] += v;
                sumSquares[j] += v * v;
            }
        }

        double n = Math.Max(1, count);
        for (var j = 0; j < d; j++)
        {
            // Integer sums are exact, so the variance has no cancellation error beyond the final division.
            var mean = sum[j] / n;
            var variance = Math.Max(0, sumSquares[j] / n - mean * mean);
            var std = Math.Sqrt(variance);
            offset[j] = (float)mean;
            scale[j] = std > 1e-12 ? (float)(1 / std) : 0f;
        }
    }
}
