using System.Numerics;
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
    public static FeatureScaler Fit(ReadOnlySpan<byte> pixels, int d, ScalingKind kind) => Fit<byte>(pixels, d, kind);

    /// <summary>
    /// The one fit for pixel bytes and table floats: <paramref name="values"/> holds rows of <paramref name="d"/> values
    /// each, one after another. Sums are taken in double (exact for bytes, whose sums are whole numbers far below 2^53),
    /// and the variance in a second pass about the mean, so floats lose nothing to cancellation; bytes and floats of
    /// the same values give the same scaler.
    /// </summary>
    private static FeatureScaler Fit<T>(ReadOnlySpan<T> values, int d, ScalingKind kind)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (values.Length % d != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole rows of {d}", nameof(values));
        }

        var count = values.Length / d;
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
                FitMinMax(values, count, offset, scale);
                break;
            case ScalingKind.ZScore:
                FitZScore(values, count, offset, scale);
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

    private static void FitMinMax<T>(ReadOnlySpan<T> values, int count, float[] offset, float[] scale)
        where T : unmanaged, INumberBase<T>
    {
        var d = offset.Length;
        var min = new double[d];
        var max = new double[d];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (var i = 0; i < count; i++)
        {
            var row = values.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                var v = double.CreateTruncating(row[j]);
                min[j] = Math.Min(min[j], v);
                max[j] = Math.Max(max[j], v);
            }
        }

        for (var j = 0; j < d; j++)
        {
            offset[j] = count == 0 ? 0 : (float)min[j];
            scale[j] = count == 0 ? 0 : ScaleOf(max[j] - min[j]);
        }
    }

    private static void FitZScore<T>(ReadOnlySpan<T> values, int count, float[] offset, float[] scale)
        where T : unmanaged, INumberBase<T>
    {
        var d = offset.Length;
        var mean = new double[d];
        for (var i = 0; i < count; i++)
        {
            var row = values.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                mean[j] += double.CreateTruncating(row[j]);
            }
        }

        var n = Math.Max(1, count);
        for (var j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        var squares = new double[d];
        for (var i = 0; i < count; i++)
        {
            var row = values.Slice(i * d, d);
            for (var j = 0; j < d; j++)
            {
                var centred = double.CreateTruncating(row[j]) - mean[j];
                squares[j] += centred * centred;
            }
        }

        for (var j = 0; j < d; j++)
        {
            offset[j] = (float)mean[j];
            scale[j] = ScaleOf(Math.Sqrt(squares[j] / n));
        }
    }

    /// <summary>
    /// 1 / spread, or 0 for a constant column (it then contributes nothing, never NaN). A spread so small or large that
    /// its reciprocal is not a normal float is treated as constant too.
    /// </summary>
    private static float ScaleOf(double spread)
    {
        var inverse = 1 / spread;
        return spread > 1e-12 && double.IsFinite(inverse) && float.IsNormal((float)inverse) ? (float)inverse : 0f;
    }
}
