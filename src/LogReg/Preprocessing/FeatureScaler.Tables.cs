using LogReg.Core;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>
/// The same affine map fitted on, and applied to, float tables (CSV features) instead of pixel bytes. Sums are taken in
/// double, the variance in a second pass about the mean (float features have no exact integer sums to lean on).
/// </summary>
public sealed partial class FeatureScaler
{
    /// <summary>Fits the statistics of <paramref name="kind"/> on the rows of <paramref name="table"/>.</summary>
    public static FeatureScaler Fit(FeatureTable table, ScalingKind kind)
    {
        ArgumentNullException.ThrowIfNull(table);
        var d = table.Columns;
        var count = table.Rows;
        var values = table.Values;
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
                for (var j = 0; j < d; j++)
                {
                    double min = double.PositiveInfinity, max = double.NegativeInfinity;
                    for (var i = 0; i < count; i++)
                    {
                        var v = values[i * d + j];
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }

                    offset[j] = count == 0 ? 0 : (float)min;
                    scale[j] = ScaleOf(max - min);
                }

                break;
            case ScalingKind.ZScore:
                FitZScore(values, count, offset, scale);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown scaling");
        }

        return new FeatureScaler(kind, offset, scale);
    }

    /// <summary>Scales every row of <paramref name="table"/> into a new feature matrix.</summary>
    internal FeatureMatrix Transform(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns != FeatureCount)
        {
            throw new ArgumentException($"the scaler was fitted on {FeatureCount} features but the table has {table.Columns}", nameof(table));
        }

        var matrix = new FeatureMatrix(table.Rows, FeatureCount);
        for (var i = 0; i < table.Rows; i++)
        {
            Transform(table.Row(i), matrix.Row(i));
        }

        return matrix;
    }

    /// <summary>Scales one row of float features into <paramref name="features"/>.</summary>
    public void Transform(ReadOnlySpan<float> values, Span<float> features)
    {
        if (values.Length != FeatureCount || features.Length != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} values and features, got {values.Length} and {features.Length}");
        }

        for (var j = 0; j < values.Length; j++)
        {
            features[j] = (values[j] - Offset[j]) * Scale[j];
        }
    }

    private static void FitZScore(ReadOnlySpan<float> values, int count, float[] offset, float[] scale)
    {
        var d = offset.Length;
        var mean = new double[d];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += values[i * d + j];
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
            for (var j = 0; j < d; j++)
            {
                var centred = values[i * d + j] - mean[j];
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
