using LogReg.Core;

namespace LogReg.Training;

/// <summary>
/// The features of a problem column by column, non-zero values only (compressed sparse columns): what coordinate
/// descent over features reads. Feature j's rows are <c>Rows[Start[j]..Start[j + 1]]</c> with their values in
/// <c>Values</c>, rows ascending. MNIST pixels are about 80 % zeros, so a feature's pass reads a fifth of the column;
/// scaled features with an offset (z-score) are dense and simply store every value.
/// </summary>
internal sealed class SparseColumns
{
    private SparseColumns(int rows, int features, int[] start, int[] rowIndex, float[] values)
    {
        RowCount = rows;
        Features = features;
        Start = start;
        Rows = rowIndex;
        Values = values;

        // The same values row by row (compressed sparse rows), for the products of two columns over each row.
        RowStart = new int[rows + 1];
        foreach (var i in rowIndex)
        {
            RowStart[i + 1]++;
        }

        for (var i = 0; i < rows; i++)
        {
            RowStart[i + 1] += RowStart[i];
        }

        Columns = new int[rowIndex.Length];
        RowValues = new float[rowIndex.Length];
        var next = (int[])RowStart.Clone();
        for (var j = 0; j < features; j++)
        {
            for (var k = start[j]; k < start[j + 1]; k++)
            {
                var at = next[rowIndex[k]]++;
                Columns[at] = j;
                RowValues[at] = values[k];
            }
        }
    }

    /// <summary>Where each row begins in <see cref="Columns"/> and <see cref="RowValues"/>; one more entry than rows.</summary>
    public int[] RowStart { get; }

    /// <summary>The column of every stored value in row order (ascending within a row).</summary>
    public int[] Columns { get; }

    /// <summary>The stored values row after row.</summary>
    public float[] RowValues { get; }

    /// <summary>The number of samples.</summary>
    public int RowCount { get; }

    /// <summary>The number of features (columns).</summary>
    public int Features { get; }

    /// <summary>Where each column begins in <see cref="Rows"/> and <see cref="Values"/>; one more entry than columns.</summary>
    public int[] Start { get; }

    /// <summary>The row of every stored value.</summary>
    public int[] Rows { get; }

    /// <summary>The stored (non-zero) values, column after column.</summary>
    public float[] Values { get; }

    /// <summary>The stored values of every column together.</summary>
    public long NonZeros => Start[^1];

    /// <summary>
    /// The columns of <paramref name="problem"/>'s features, read from its bytes when it has them (the float matrix is
    /// then never built) and from its float features otherwise: the same values, (pixel − offset) × scale.
    /// </summary>
    public static SparseColumns From(LinearProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var n = problem.Rows;
        var d = problem.FeatureCount;
        var counts = new int[d + 1];
        if (problem.Pixels is { } pixels && !problem.HasFeatures)
        {
            var bytes = pixels.Pixels;
            var offset = pixels.Offset;
            var scale = pixels.Scale;
            var row = new float[d];
            Fill(n, d, counts, i =>
            {
                var pixelsOfRow = bytes.AsSpan(i * d, d);
                for (var j = 0; j < d; j++)
                {
                    row[j] = (pixelsOfRow[j] - offset[j]) * scale[j];
                }

                return row;
            }, out var start, out var rows, out var values);
            return new SparseColumns(n, d, start, rows, values);
        }

        var data = problem.Features.Data;
        Fill(n, d, counts, i => data.AsSpan(i * d, d), out var s, out var r, out var v);
        return new SparseColumns(n, d, s, r, v);
    }

    private delegate ReadOnlySpan<float> RowReader(int row);

    private static void Fill(int n, int d, int[] counts, RowReader read, out int[] start, out int[] rows, out float[] values)
    {
        // Two passes: count each column's non-zeros, then place them; rows ascend within a column.
        for (var i = 0; i < n; i++)
        {
            var row = read(i);
            for (var j = 0; j < d; j++)
            {
                if (row[j] != 0)
                {
                    counts[j + 1]++;
                }
            }
        }

        start = new int[d + 1];
        for (var j = 0; j < d; j++)
        {
            start[j + 1] = checked(start[j] + counts[j + 1]);
        }

        rows = new int[start[d]];
        values = new float[start[d]];
        var next = (int[])start.Clone();
        for (var i = 0; i < n; i++)
        {
            var row = read(i);
            for (var j = 0; j < d; j++)
            {
                var v = row[j];
                if (v != 0)
                {
                    var k = next[j]++;
                    rows[k] = i;
                    values[k] = v;
                }
            }
        }
    }
}
