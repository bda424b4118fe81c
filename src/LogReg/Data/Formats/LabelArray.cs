namespace LogReg.Data;

/// <summary>Labels read from one file, before they are paired with images.</summary>
public sealed record LabelArray(string Path, int[] Labels, string ContentSha256)
{
    /// <summary>The number of labels.</summary>
    public int Count => Labels.Length;
}
