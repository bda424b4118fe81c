namespace LogReg.Data;

/// <summary>Tables: a <c>.csv</c> file given where a dataset is expected (see <see cref="TabularCsvReader"/>).</summary>
public sealed partial class DatasetLoader
{
    /// <summary>The label column of tables (<c>--label</c>); null takes <c>label</c> when the header has it, else the first column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>
    /// The training split is the file itself; the test split is its pair named with <c>test</c> for <c>train</c>
    /// (<see cref="TabularCsvReader.TestPathFor"/>), read on its own: <see cref="TabularCsvReader.Conform"/> matches its
    /// columns and classes to the training split's.
    /// </summary>
    private Dataset LoadTable(string path, DatasetSplit split)
    {
        if (split == DatasetSplit.Train)
        {
            return TabularCsvReader.Read(path, LabelColumn, SplitName(split));
        }

        var test = TabularCsvReader.TestPathFor(path)
            ?? throw new SplitNotFoundException(path, $"no test split: a table's test split is the file of the same name with 'test' for 'train' (e.g. wine-train.csv and wine-test.csv), and there is none beside {Path.GetFileName(path)}");
        return TabularCsvReader.Read(test, LabelColumn, SplitName(split));
    }
}
