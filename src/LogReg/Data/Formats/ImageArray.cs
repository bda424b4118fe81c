namespace LogReg.Data;

/// <summary>Images read from one file, before they are paired with labels.</summary>
public sealed record ImageArray(string Path, byte[] Pixels, int Count, ImageShape Shape, string ContentSha256);
