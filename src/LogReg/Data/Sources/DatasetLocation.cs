namespace LogReg.Data;

/// <summary>A folder that holds some or all files of a dataset, and which files it holds.</summary>
public sealed record DatasetLocation(
    DataSourceKind Kind,
    string Source,
    string Directory,
    IReadOnlyDictionary<DatasetFileRole, string> Files)
{
    public bool HasSplit(DatasetSplit split) => split == DatasetSplit.Train
        ? Files.ContainsKey(DatasetFileRole.TrainImages) && Files.ContainsKey(DatasetFileRole.TrainLabels)
        : Files.ContainsKey(DatasetFileRole.TestImages) && Files.ContainsKey(DatasetFileRole.TestLabels);

    public bool IsComplete => HasSplit(DatasetSplit.Train) && HasSplit(DatasetSplit.Test);

    public string? PathOf(DatasetFileRole role) => Files.TryGetValue(role, out var path) ? path : null;
}
