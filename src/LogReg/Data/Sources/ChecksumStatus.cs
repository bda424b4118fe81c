namespace LogReg.Data;

/// <summary>Whether a file's content matched the checksum the registry knows for it.</summary>
public enum ChecksumStatus
{
    /// <summary>No reference checksum exists (a user's own folder or file).</summary>
    Unknown,

    /// <summary>The content's SHA-256 equals the registry's.</summary>
    Verified,

    /// <summary>The content differs from the canonical distribution.</summary>
    Mismatch,
}
