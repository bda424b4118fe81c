namespace LogReg.Data;

/// <summary>A dataset LogReg knows by name: its files, class names, image shape and where to download it.</summary>
public sealed record DatasetDefinition(
    string Name,
    string Title,
    ImageShape Shape,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<DatasetFileDefinition> Files,
    IReadOnlyList<Uri> Mirrors,
    string Description)
{
    /// <summary>The file that plays <paramref name="role"/>.</summary>
    public DatasetFileDefinition File(DatasetFileRole role) => Files.First(f => f.Role == role);

    /// <summary>The images file of <paramref name="split"/>.</summary>
    public DatasetFileDefinition ImagesFile(DatasetSplit split) =>
        File(split == DatasetSplit.Train ? DatasetFileRole.TrainImages : DatasetFileRole.TestImages);

    /// <summary>The labels file of <paramref name="split"/>.</summary>
    public DatasetFileDefinition LabelsFile(DatasetSplit split) =>
        File(split == DatasetSplit.Train ? DatasetFileRole.TrainLabels : DatasetFileRole.TestLabels);

    /// <summary>Whether the dataset has mirrors to download it from.</summary>
    public bool CanDownload => Mirrors.Count > 0;
}
