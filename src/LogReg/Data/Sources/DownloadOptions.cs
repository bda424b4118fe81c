namespace LogReg.Data;

/// <summary>How hard the downloader tries.</summary>
public sealed record DownloadOptions
{
    /// <summary>Attempts per file and mirror for transient failures (dropped connection, timeout, 5xx). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Give up on a request when no byte arrives for this long. Default 30 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the first retry; doubled for each further one. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Give up on a file whose average rate, once <see cref="RateGracePeriod"/> has passed, is below this: a server that
    /// sends a byte every few seconds never trips <see cref="StallTimeout"/>. Default <see cref="Common.Limits.MinDownloadBytesPerSecond"/>.
    /// </summary>
    public long MinBytesPerSecond { get; init; } = Common.Limits.MinDownloadBytesPerSecond;

    /// <summary>How long a download runs before its rate is checked. Default <see cref="Common.Limits.DownloadGracePeriod"/>.</summary>
    public TimeSpan RateGracePeriod { get; init; } = Common.Limits.DownloadGracePeriod;

    /// <summary>Download again even when verified files are already in the cache. Default false.</summary>
    public bool Force { get; init; }
}
