namespace LogReg.Core;

/// <summary>Float features, one row per sample, row-major and contiguous.</summary>
internal sealed class FeatureMatrix
{
    /// <summary>A zeroed matrix of <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    public FeatureMatrix(int rows, int columns)
        : this(rows, columns, new float[checked((long)rows * columns)])
    {
    }

    /// <summary>A matrix of <paramref name="rows"/> × <paramref name="columns"/> over <paramref name="data"/>, row-major.</summary>
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

    /// <summary>The number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>The number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>All values, row after row.</summary>
    public float[] Data { get; }

    /// <summary>Row <paramref name="index"/>.</summary>
    public Span<float> Row(int index) => Data.AsSpan(index * Columns, Columns);
}
