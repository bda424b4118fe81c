namespace LogReg.Core;

/// <summary>Float features, one row per sample, row-major and contiguous.</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(int rows, int columns)
        : this(rows, columns, new float[checked((long)rows * columns)])
    {
    }

    public FeatureMatrix(int rows, int columns, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(data);
        if (data.LongLength != (long)rows * columns)
        {
            throw new ArgumentException($"data holds {data.LongLength} values but {rows} x {columns} needs {(long)rows * columns}", nameof(data));
        }

        Rows = rows;
        Columns = columns;
        Data = data;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>All values, row after row.</summary>
    public float[] Data { get; }

    public Span<float> Row(int index) => Data.AsSpan(index * Columns, Columns);
}
