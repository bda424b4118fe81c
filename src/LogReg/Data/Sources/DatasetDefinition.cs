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
    public DatasetFileDefinition File(DatasetFileRole role) => Files.First(f => f.Role == role);

    public DatasetFileDefinition ImagesFile(DatasetSplit split) =>
        File(split == DatasetSplit.Train ? DatasetFileRole.TrainImages : DatasetFileRole.TestImages);

    public DatasetFileDefinition LabelsFile(DatasetSplit split) =>
        File(split == DatasetSplit.Train ? DatasetFileRole.TrainLabels : DatasetFileRole.TestLabels);

    public bool CanDownload => Mirrors.Count > 0;
}
