namespace LogReg.Data;

/// <summary>
/// The float features of a tabular dataset (read from a CSV with a header row): row after row, one column per named
/// feature, in the order of <see cref="FeatureNames"/>. A <see cref="Dataset"/> holds either pixel bytes or a table;
/// images keep their byte path untouched, and a table enters the kernels as a float feature matrix.
/// </summary>
public sealed class FeatureTable
{
    private readonly float[] _values;

    /// <summary>Features row by row (rows × columns), described by <paramref name="schema"/>.</summary>
    public FeatureTable(float[] values, TableSchema schema)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(schema);
        if (values.Length % schema.FeatureNames.Count != 0)
        {
            throw new ArgumentException($"{values.Length} values are not whole rows of {schema.FeatureNames.Count} features", nameof(values));
        }

        _values = values;
        Schema = schema;
    }

    /// <summary>The label column, feature names and class names of this table.</summary>
    public TableSchema Schema { get; }

    /// <summary>The feature columns' names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames => Schema.FeatureNames;

    /// <summary>Features per row.</summary>
    public int Columns => Schema.FeatureNames.Count;

    /// <summary>Rows (samples) in the table.</summary>
    public int Rows => _values.Length / Columns;

    /// <summary>All values, row after row (never modified).</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The features of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => _values.AsSpan(checked(index * Columns), Columns);

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public FeatureTable Select(ReadOnlySpan<int> indices)
    {
        var d = Columns;
        var values = new float[(long)indices.Length * d];
        for (var i = 0; i < indices.Length; i++)
        {
            _values.AsSpan(indices[i] * d, d).CopyTo(values.AsSpan(i * d, d));
        }

        return new FeatureTable(values, Schema);
    }
}

/// <summary>
/// What a model trained on a table must know to read another CSV the same way: the label column's name, the feature
/// columns' names in the model's order (a new file's columns are matched by name, not position) and the classes the
/// training file's labels named (before any class selection, which refers to them by position).
/// </summary>
public sealed record TableSchema
{
    /// <summary>A table's label column, its feature columns in order, and its class names (indexed by label).</summary>
    public TableSchema(string labelColumn, IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(classNames);
        if (featureNames.Count < 1)
        {
            throw new ArgumentException("a table needs at least one feature column", nameof(featureNames));
        }

        LabelColumn = labelColumn;
        FeatureNames = featureNames;
        ClassNames = classNames;
    }

    /// <summary>The name of the label column.</summary>
    public string LabelColumn { get; }

    /// <summary>The feature columns, in the order the model's weights follow.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Same label column, features and classes, in the same order.</summary>
    public bool Equals(TableSchema? other) =>
        other is not null && LabelColumn == other.LabelColumn
        && FeatureNames.SequenceEqual(other.FeatureNames, StringComparer.Ordinal)
        && ClassNames.SequenceEqual(other.ClassNames, StringComparer.Ordinal);

    /// <summary>A hash of the label column and the counts of features and classes.</summary>
    public override int GetHashCode() => HashCode.Combine(LabelColumn, FeatureNames.Count);
}
