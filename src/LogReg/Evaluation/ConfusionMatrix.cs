namespace LogReg.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs; rows are true classes, columns predictions.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    /// <summary>The number of classes (rows and columns).</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual * ClassCount + predicted];

    /// <summary>Counts one sample of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public void Add(int actual, int predicted) => _counts[actual * ClassCount + predicted]++;

    /// <summary>The number of samples counted.</summary>
    public long Total => _counts.Sum();

    /// <summary>The number of samples predicted right (the diagonal).</summary>
    public long Correct
    {
        get
        {
            long sum = 0;
            for (var k = 0; k < ClassCount; k++)
            {
                sum += this[k, k];
            }

            return sum;
        }
    }

    /// <summary>The share of samples predicted right; NaN when empty.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Samples whose true class is <paramref name="k"/>.</summary>
    public long Support(int k)
    {
        long sum = 0;
        for (var p = 0; p < ClassCount; p++)
        {
            sum += this[k, p];
        }

        return sum;
    }

    /// <summary>Samples predicted as <paramref name="k"/>.</summary>
    public long Predicted(int k)
    {
        long sum = 0;
        for (var a = 0; a < ClassCount; a++)
        {
            sum += this[a, k];
        }

        return sum;
    }

    /// <summary>Of the samples predicted as k, the share that are k (0 when none is predicted, as scikit-learn reports).</summary>
    public double Precision(int k) => Predicted(k) == 0 ? 0 : (double)this[k, k] / Predicted(k);

    /// <summary>Of the samples of class k, the share predicted as k: the per-class accuracy.</summary>
    public double Recall(int k) => Support(k) == 0 ? 0 : (double)this[k, k] / Support(k);

    /// <summary>The F1 score of class <paramref name="k"/>: the harmonic mean of its precision and recall.</summary>
    public double F1(int k)
    {
        var p = Precision(k);
        var r = Recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Row-normalised share: of the samples of class <paramref name="actual"/>, the fraction predicted <paramref name="predicted"/>.</summary>
    public double RowShare(int actual, int predicted) => Support(actual) == 0 ? 0 : (double)this[actual, predicted] / Support(actual);

    /// <summary>
    /// The counts as CSV: a header <c>true\predicted,NAME...</c>, then one row per true class. Names holding commas or
    /// quotes are quoted.
    /// </summary>
    public string ToCsv(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != ClassCount)
        {
            throw new ArgumentException($"expected {ClassCount} class names, got {classNames.Count}", nameof(classNames));
        }

        var text = new System.Text.StringBuilder("true\\predicted");
        foreach (var name in classNames)
        {
            text.Append(',').Append(Quote(name));
        }

        text.Append('\n');
        for (var actual = 0; actual < ClassCount; actual++)
        {
            text.Append(Quote(classNames[actual]));
            for (var predicted = 0; predicted < ClassCount; predicted++)
            {
                text.Append(',').Append(this[actual, predicted].ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a matrix written by <see cref="ToCsv"/>, with its class names.</summary>
    /// <exception cref="Data.LogRegDataException">The file is not such a matrix.</exception>
    public static (ConfusionMatrix Matrix, string[] ClassNames) ReadCsv(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Data.LogRegDataException(path, $"cannot read the confusion matrix ({e.Message})", e);
        }

        var rows = lines.Where(l => l.Length > 0).Select(SplitCsv).ToArray();
        if (rows.Length < 2 || rows[0].Length < 2 || rows[0][0] != "true\\predicted")
        {
            throw new Data.LogRegDataException(path, "not a confusion matrix: expected a header 'true\\predicted,CLASS,...' and one row per class");
        }

        var names = rows[0][1..];
        if (rows.Length - 1 != names.Length)
        {
            throw new Data.LogRegDataException(path, $"not a confusion matrix: {names.Length} classes in the header but {rows.Length - 1} rows");
        }

        var matrix = new ConfusionMatrix(names.Length);
        for (var actual = 0; actual < names.Length; actual++)
        {
            var row = rows[actual + 1];
            if (row.Length != names.Length + 1 || row[0] != names[actual])
            {
                throw new Data.LogRegDataException(path, $"line {actual + 2}: expected class '{names[actual]}' and {names.Length} counts");
            }

            for (var predicted = 0; predicted < names.Length; predicted++)
            {
                if (!long.TryParse(row[predicted + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
                {
                    throw new Data.LogRegDataException(path, $"line {actual + 2}: '{row[predicted + 1]}' is not a count");
                }

                matrix._counts[actual * names.Length + predicted] = count;
            }
        }

        return (matrix, names);
    }

    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }

    private static string Quote(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
