namespace LogReg.Data;

/// <summary>A folder that holds some or all files of a dataset, and which files it holds.</summary>
public sealed record DatasetLocation(
    DataSourceKind Kind,
    string Source,
    string Directory,
    IReadOnlyDictionary<DatasetFileRole, string> Files)
{
    /// <summary>Whether both files of <paramref name="split"/> were found.</summary>
    public bool HasSplit(DatasetSplit split) => split == DatasetSplit.Train
        ? Files.ContainsKey(DatasetFileRole.TrainImages) && Files.ContainsKey(DatasetFileRole.TrainLabels)
        : Files.ContainsKey(DatasetFileRole.TestImages) && Files.ContainsKey(DatasetFileRole.TestLabels);

    /// <summary>Whether both splits were found.</summary>
    public bool IsComplete => HasSplit(DatasetSplit.Train) && HasSplit(DatasetSplit.Test);

    /// <summary>The path of the file that plays <paramref name="role"/>, or null when it was not found.</summary>
    public string? PathOf(DatasetFileRole role) => Files.TryGetValue(role, out var path) ? path : null;
}
