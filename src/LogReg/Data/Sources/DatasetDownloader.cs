using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;

namespace LogReg.Data;

/// <summary>
/// Downloads a registered dataset into the cache. Every file goes to a staging folder beside the cache entry, is verified
/// (SHA-256 of its decompressed content, or the publisher's MD5 of the <c>.gz</c>), and only when all files verify are
/// they moved into place. A checksum mismatch, a dropped connection or a timeout leaves nothing in the cache.
/// </summary>
public sealed class DatasetDownloader
{
    private readonly HttpClient _http;
    private readonly DownloadOptions _options;

    /// <summary>A downloader that fetches through <paramref name="http"/> with <paramref name="options"/> (defaults when null).</summary>
    public DatasetDownloader(HttpClient http, DownloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _options = options ?? new DownloadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(DownloadOptions.MaxAttempts));
    }

    /// <summary>
    /// Fetches <paramref name="definition"/> into <c>CACHE/NAME</c> and returns that folder. <paramref name="mirrors"/>
    /// overrides the registry's base URLs.
    /// </summary>
    public async Task<string> FetchAsync(
        DatasetDefinition definition,
        string cacheDirectory,
        IReadOnlyList<Uri>? mirrors = null,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        mirrors ??= definition.Mirrors;
        if (mirrors.Count == 0)
        {
            throw new LogRegDataException(definition.Name, "cannot be downloaded: no download address is known for it");
        }

        var target = Path.Combine(cacheDirectory, definition.Name);
        var missing = definition.Files.Where(f => _options.Force || !IsVerifiedInPlace(target, f)).ToArray();
        if (missing.Length == 0)
        {
            return target;
        }

        Directory.CreateDirectory(cacheDirectory);
        var staging = Path.Combine(cacheDirectory, $".{definition.Name}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in missing)
            {
                await FetchFileAsync(file, Common.Limits.DownloadCap(ContentBytes(definition, file)), mirrors, staging, progress, cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(target);
            foreach (var file in missing)
            {
                File.Move(Path.Combine(staging, file.CompressedName), Path.Combine(target, file.CompressedName), overwrite: true);
            }
        }
        finally
        {
            TryDeleteDirectory(staging);
        }

        return target;
    }

    /// <summary>The size of a file's content as the registry knows it: the IDX header and its items.</summary>
    internal static long ContentBytes(DatasetDefinition definition, DatasetFileDefinition file) =>
        file.IsImages ? 16 + (long)file.ItemCount * definition.Shape.PixelCount : 8 + (long)file.ItemCount;

    /// <param name="cap">The most bytes the file may take: a gzip is never much larger than its content.</param>
    private async Task FetchFileAsync(
        DatasetFileDefinition file,
        long cap,
        IReadOnlyList<Uri> mirrors,
        string staging,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var destination = Path.Combine(staging, file.CompressedName);
        var failures = new List<string>();
        foreach (var mirror in mirrors)
        {
            var url = new Uri(mirror, file.CompressedName);
            for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var outcome = await TryDownloadAsync(url, file, cap, destination, attempt, progress, cancellationToken).ConfigureAwait(false);
                if (outcome is null)
                {
                    var problem = Verify(destination, file);
                    if (problem is null)
                    {
                        return;
                    }

                    File.Delete(destination);
                    failures.Add($"{url}: {problem}");
                    break; // the same server sends the same bytes again: try the next mirror
                }

                File.Delete(destination);
                failures.Add($"{url}: {outcome.Message}");
                progress?.Report(new DownloadProgress(file.CompressedName, 0, null, attempt, outcome.Message));
                if (!outcome.Transient)
                {
                    break;
                }

                if (attempt < _options.MaxAttempts)
                {
                    var delay = _options.RetryDelay * Math.Pow(2, attempt - 1);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        throw new LogRegDataException(
            file.CompressedName,
            $"download failed ({string.Join("; ", failures.Distinct())}); nothing was saved in the cache");
    }

    private sealed record Failure(string Message, bool Transient);

    private async Task<Failure?> TryDownloadAsync(
        Uri url,
        DatasetFileDefinition file,
        long cap,
        string destination,
        int attempt,
        IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_options.StallTimeout);
        long received = 0;
        long? total = null;
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                var transient = code >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                return new Failure(string.Create(CultureInfo.InvariantCulture, $"HTTP {code} {response.ReasonPhrase}"), transient);
            }

            total = response.Content.Headers.ContentLength;
            if (total > cap)
            {
                return new Failure(TooLarge($"announces {total} bytes", cap), Transient: false);
            }

            var started = System.Diagnostics.Stopwatch.StartNew();
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            await using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            var lastReport = 0L;
            progress?.Report(new DownloadProgress(file.CompressedName, 0, total, attempt));
            while (true)
            {
                var read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                stall.CancelAfter(_options.StallTimeout);
                if (received + read > cap)
                {
                    return new Failure(TooLarge($"sent more than {cap} bytes", cap), Transient: false);
                }

                await output.WriteAsync(buffer.AsMemory(0, read), stall.Token).ConfigureAwait(false);
                received += read;
                var elapsed = started.Elapsed;
                if (elapsed > _options.RateGracePeriod && received < _options.MinBytesPerSecond * elapsed.TotalSeconds)
                {
                    return new Failure(
                        string.Create(CultureInfo.InvariantCulture, $"too slow: {received} bytes in {elapsed.TotalSeconds:0.0} s, below the minimum of {_options.MinBytesPerSecond} bytes/s"),
                        Transient: false);
                }

                if (received - lastReport >= 1 << 18)
                {
                    lastReport = received;
                    progress?.Report(new DownloadProgress(file.CompressedName, received, total, attempt));
                }
            }

            progress?.Report(new DownloadProgress(file.CompressedName, received, total, attempt));
            if (total is { } expected && received != expected)
            {
                return new Failure(Ended(received, total), Transient: true);
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Failure(string.Create(CultureInfo.InvariantCulture, $"no data for {_options.StallTimeout.TotalSeconds:0} s (timed out)"), Transient: true);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return new Failure($"cannot resolve host {url.Host} (no network?)", Transient: false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.Unknown && received > 0)
        {
            return new Failure(Ended(received, total), Transient: true);
        }
        catch (HttpRequestException e)
        {
            return new Failure(Clean(e.Message), Transient: true);
        }
        catch (IOException e)
        {
            return new Failure(received > 0 || total is not null ? Ended(received, total) : Clean(e.Message), Transient: true);
        }
    }

    private static string TooLarge(string what, long cap) =>
        string.Create(CultureInfo.InvariantCulture, $"the server {what}, more than the {cap} this file can take (the registry's size plus slack); refused");

    private static string Ended(long received, long? total) => total is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"connection dropped after {received} of {t} bytes")
        : string.Create(CultureInfo.InvariantCulture, $"connection dropped after {received} bytes");

    private static string Clean(string message) => message.TrimEnd('.').Replace(Environment.NewLine, " ", StringComparison.Ordinal);

    /// <summary>
    /// Null when the downloaded file is the expected one: the publisher's MD5 of the .gz matches, or the SHA-256 of its
    /// decompressed content is one the registry knows. Otherwise what is wrong.
    /// </summary>
    internal static string? Verify(string gzPath, DatasetFileDefinition file)
    {
        if (file.GzipMd5 is not null)
        {
            using var stream = File.OpenRead(gzPath);
#pragma warning disable CA5351 // The publishers list MD5 sums; this checks integrity against them, not authenticity.
            var md5 = Convert.ToHexStringLower(MD5.HashData(stream));
#pragma warning restore CA5351
            if (string.Equals(md5, file.GzipMd5, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        string sha;
        try
        {
            sha = ContentSha256(gzPath);
        }
        catch (InvalidDataException e)
        {
            return $"not a valid gzip file ({Clean(e.Message)})";
        }

        return file.Check(sha) switch
        {
            ChecksumStatus.Verified => null,
            ChecksumStatus.Mismatch => $"checksum mismatch: SHA-256 of the content is {sha}, expected {file.ContentSha256[0]}",
            _ => $"cannot be verified: MD5 differs from the published {file.GzipMd5} and no SHA-256 is known",
        };
    }

    /// <summary>SHA-256 of a file's content, decompressing it first when it is gzip.</summary>
    internal static string ContentSha256(string path)
    {
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        var isGzip = file.Read(magic) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        using Stream content = isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private static bool IsVerifiedInPlace(string directory, DatasetFileDefinition file)
    {
        var path = Path.Combine(directory, file.CompressedName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            return Verify(path, file) is null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
