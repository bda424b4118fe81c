using LogReg.Core;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>
/// The same affine map fitted on, and applied to, float tables (CSV features) instead of pixel bytes, by the same fit
/// (<c>Fit&lt;T&gt;</c>, generic over the element type).
/// </summary>
public sealed partial class FeatureScaler
{
    /// <summary>Fits the statistics of <paramref name="kind"/> on the rows of <paramref name="table"/>.</summary>
    public static FeatureScaler Fit(FeatureTable table, ScalingKind kind)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Fit<float>(table.Values, table.Columns, kind);
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
}
