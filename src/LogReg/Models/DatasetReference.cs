namespace LogReg.Models;

/// <summary>The data a model was trained on: its name, what was selected, and the checksums of the source files.</summary>
public sealed record DatasetReference(string Name, string Description, string TrainSha256, string? TestSha256)
{
    /// <summary>The reference to the datasets <paramref name="train"/> and <paramref name="test"/> came from.</summary>
    public static DatasetReference From(Data.Dataset train, Data.Dataset? test)
    {
        ArgumentNullException.ThrowIfNull(train);
        return new(train.Provenance.Name, train.Provenance.Description, train.Provenance.ContentSha256, test?.Provenance.ContentSha256);
    }
}
