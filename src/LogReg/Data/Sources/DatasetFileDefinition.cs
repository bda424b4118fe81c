namespace LogReg.Data;

/// <summary>
/// One file of a registered dataset: its IDX name (stored as <c>NAME</c> or <c>NAME.gz</c>), the accepted SHA-256
/// values of its decompressed content, the MD5 of the canonical <c>.gz</c> file, and the NPZ name it also ships under.
/// </summary>
public sealed record DatasetFileDefinition(
    DatasetFileRole Role,
    string FileName,
    int ItemCount,
    IReadOnlyList<string> ContentSha256,
    string? GzipMd5 = null,
    string? NpzName = null)
{
    /// <summary>Whether the file holds images (else labels).</summary>
    public bool IsImages => Role is DatasetFileRole.TrainImages or DatasetFileRole.TestImages;

    /// <summary>The split the file belongs to.</summary>
    public DatasetSplit Split => Role is DatasetFileRole.TrainImages or DatasetFileRole.TrainLabels ? DatasetSplit.Train : DatasetSplit.Test;

    /// <summary>The name under which downloads and the cache store the file.</summary>
    public string CompressedName => FileName + ".gz";

    /// <summary>Whether <paramref name="sha256"/> is a known content checksum of this file.</summary>
    public ChecksumStatus Check(string sha256) =>
        ContentSha256.Count == 0 ? ChecksumStatus.Unknown
        : ContentSha256.Contains(sha256, StringComparer.OrdinalIgnoreCase) ? ChecksumStatus.Verified
        : ChecksumStatus.Mismatch;
}
