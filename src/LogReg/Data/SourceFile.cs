namespace LogReg.Data;

/// <summary>
/// One file a dataset was read from, with the SHA-256 of its content in IDX form (the decompressed IDX bytes; for NPZ
/// and CSV the IDX encoding of the same array), so the same data has the same checksum whatever format it came in.
/// </summary>
public sealed record SourceFile(string Path, string ContentSha256, ChecksumStatus Checksum = ChecksumStatus.Unknown);
