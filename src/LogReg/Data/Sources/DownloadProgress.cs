namespace LogReg.Data;

/// <summary>Progress of one file's download; <see cref="TotalBytes"/> is null when the server does not say.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesReceived, long? TotalBytes, int Attempt, string? Message = null);
