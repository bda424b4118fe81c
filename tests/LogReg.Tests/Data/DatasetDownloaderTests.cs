using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

/// <summary>Downloads for real over HTTP from a server on 127.0.0.1, and checks what lands on disk.</summary>
public sealed class DatasetDownloaderTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LoopbackHttpServer _server = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private static readonly byte[] TrainImages = IdxBytes.Images(20, 6, 6);
    private static readonly byte[] TrainLabels = IdxBytes.Labels(IdxBytes.CyclicLabels(20, 3));
    private static readonly byte[] TestImages = IdxBytes.Images(6, 6, 6);
    private static readonly byte[] TestLabels = IdxBytes.Labels(IdxBytes.CyclicLabels(6, 3));

    /// <summary>A tiny registered-style dataset whose checksums are those of the fixture files.</summary>
    private static readonly DatasetDefinition Tiny = new(
        "tiny",
        "Tiny fixture",
        new ImageShape(6, 6),
        ["a", "b", "c"],
        [
            new(DatasetFileRole.TrainImages, "train-images-idx3-ubyte", 20, [IdxBytes.Sha256(TrainImages)]),
            new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 20, [IdxBytes.Sha256(TrainLabels)]),
            new(DatasetFileRole.TestImages, "t10k-images-idx3-ubyte", 6, [IdxBytes.Sha256(TestImages)]),
            new(DatasetFileRole.TestLabels, "t10k-labels-idx1-ubyte", 6, [IdxBytes.Sha256(TestLabels)]),
        ],
        [],
        "fixture");

    private static readonly DownloadOptions Fast = new() { RetryDelay = TimeSpan.FromMilliseconds(10), StallTimeout = TimeSpan.FromSeconds(10) };

    public DatasetDownloaderTests()
    {
        foreach (var prefix in new[] { "good", "corrupt", "drop" })
        {
            _server.Serve($"/{prefix}/train-images-idx3-ubyte.gz", IdxBytes.Gzip(TrainImages));
            _server.Serve($"/{prefix}/train-labels-idx1-ubyte.gz", IdxBytes.Gzip(TrainLabels));
            _server.Serve($"/{prefix}/t10k-images-idx3-ubyte.gz", IdxBytes.Gzip(TestImages));
            _server.Serve($"/{prefix}/t10k-labels-idx1-ubyte.gz", IdxBytes.Gzip(TestLabels));
        }

        // One corrupted file: a label changed, so the content checksum differs.
        var corrupted = (byte[])TestLabels.Clone();
        corrupted[^1] ^= 1;
        _server.Serve("/corrupt/t10k-labels-idx1-ubyte.gz", IdxBytes.Gzip(corrupted));

        // One endpoint that drops the connection halfway through the body.
        var images = IdxBytes.Gzip(TrainImages);
        _server.Serve("/drop/train-images-idx3-ubyte.gz", images, dropAfter: images.Length / 2);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private string Cache => _dir.File("cache");

    [Fact]
    public async Task Fetch_downloads_verifies_and_stores_every_file_in_the_cache()
    {
        var reports = new List<DownloadProgress>();
        var downloader = new DatasetDownloader(_http, Fast);

        var folder = await downloader.FetchAsync(Tiny, Cache, [_server.Url("good")], new SyncProgress(reports.Add));

        Assert.Equal(Path.Combine(Cache, "tiny"), folder);
        Assert.Equal(
            ["cache/tiny/t10k-images-idx3-ubyte.gz", "cache/tiny/t10k-labels-idx1-ubyte.gz", "cache/tiny/train-images-idx3-ubyte.gz", "cache/tiny/train-labels-idx1-ubyte.gz"],
            _dir.Files());
        Assert.Equal(TrainImages[16..], IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz")).Pixels);
        Assert.Contains(reports, r => r.FileName == "train-images-idx3-ubyte.gz" && r.BytesReceived == r.TotalBytes);
    }

    [Fact]
    public async Task Fetch_skips_files_already_verified_in_the_cache()
    {
        var downloader = new DatasetDownloader(_http, Fast);
        await downloader.FetchAsync(Tiny, Cache, [_server.Url("good")]);
        _server.Requests.Clear();

        await downloader.FetchAsync(Tiny, Cache, [_server.Url("good")]);

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Fetch_with_a_checksum_mismatch_leaves_nothing_in_the_cache_and_says_so()
    {
        var downloader = new DatasetDownloader(_http, Fast);

        var error = await Assert.ThrowsAsync<LogRegDataException>(() => downloader.FetchAsync(Tiny, Cache, [_server.Url("corrupt")]));

        Assert.Equal("t10k-labels-idx1-ubyte.gz", error.FilePath);
        Assert.Contains("checksum mismatch: SHA-256 of the content is", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was saved in the cache", error.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.Files());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Cache));
        Assert.Equal(1, _server.Requests["/corrupt/t10k-labels-idx1-ubyte.gz"]); // the same server would send the same bytes
    }

    [Fact]
    public async Task Fetch_with_a_dropped_connection_retries_then_leaves_nothing_in_the_cache_and_says_so()
    {
        var downloader = new DatasetDownloader(_http, Fast);
        var reports = new List<DownloadProgress>();

        var error = await Assert.ThrowsAsync<LogRegDataException>(() => downloader.FetchAsync(Tiny, Cache, [_server.Url("drop")], new SyncProgress(reports.Add)));

        Assert.Equal("train-images-idx3-ubyte.gz", error.FilePath);
        Assert.Contains("connection dropped after", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was saved in the cache", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests["/drop/train-images-idx3-ubyte.gz"]);
        Assert.Equal(3, reports.Count(r => r.Message is not null));
        Assert.Empty(_dir.Files());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Cache));
    }

    [Fact]
    public async Task Fetch_falls_back_to_the_next_mirror_when_one_fails()
    {
        var downloader = new DatasetDownloader(_http, Fast);

        var folder = await downloader.FetchAsync(Tiny, Cache, [_server.Url("drop"), _server.Url("good")]);

        Assert.Equal(4, Directory.GetFiles(folder).Length);
        Assert.Equal(1, _server.Requests["/good/train-images-idx3-ubyte.gz"]);
    }

    [Fact]
    public async Task Fetch_treats_a_missing_file_as_permanent_and_does_not_retry()
    {
        var downloader = new DatasetDownloader(_http, Fast);

        var error = await Assert.ThrowsAsync<LogRegDataException>(() => downloader.FetchAsync(Tiny, Cache, [_server.Url("nothing-here")]));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests["/nothing-here/train-images-idx3-ubyte.gz"]);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public void Verify_accepts_the_canonical_md5_of_the_gz_when_no_content_checksum_is_known()
    {
        var gz = IdxBytes.Gzip(TestLabels);
#pragma warning disable CA5351
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(gz));
#pragma warning restore CA5351
        var path = _dir.Write("labels.gz", gz);

        Assert.Null(DatasetDownloader.Verify(path, new DatasetFileDefinition(DatasetFileRole.TestLabels, "labels", 6, [], md5)));
        Assert.Contains("cannot be verified", DatasetDownloader.Verify(path, new DatasetFileDefinition(DatasetFileRole.TestLabels, "labels", 6, [], new string('0', 32))), StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}

/// <summary>Downloads from a hostile mirror on 127.0.0.1: sizes beyond the registry's, and a trickle.</summary>
public sealed class HostileMirrorTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LoopbackHttpServer _server = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>One labels file of 8 + 20 bytes: the cap is its size plus slack, about 1 MiB.</summary>
    private static readonly DatasetDefinition Tiny = new(
        "tiny",
        "Tiny fixture",
        new ImageShape(6, 6),
        ["a", "b", "c"],
        [new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 20, [IdxBytes.Sha256(IdxBytes.Labels(IdxBytes.CyclicLabels(20, 3)))])],
        [],
        "fixture");

    private static readonly DownloadOptions Options = new()
    {
        RetryDelay = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(10),
        MinBytesPerSecond = 1000,
        RateGracePeriod = TimeSpan.FromMilliseconds(400),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }

    private async Task<(LogRegDataException Error, TimeSpan Took)> Fetch(string prefix)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var downloader = new DatasetDownloader(_http, Options);
        var error = await Assert.ThrowsAsync<LogRegDataException>(() => downloader.FetchAsync(Tiny, _dir.File("cache"), [_server.Url(prefix)]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.File("cache"), "*", SearchOption.AllDirectories));
        return (error, clock.Elapsed);
    }

    [Fact]
    public async Task A_file_announced_at_10_GiB_is_refused_from_its_headers()
    {
        _server.ServeStream("/big/train-labels-idx1-ubyte.gz", 10L << 30, 1 << 16, TimeSpan.Zero, 10L << 30);
        var (error, took) = await Fetch("big");
        Assert.Contains("announces 10737418240 bytes, more than the 1048604 this file can take", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests["/big/train-labels-idx1-ubyte.gz"]); // refused, not retried
        Assert.True(took < TimeSpan.FromSeconds(2), $"{took}");
    }

    [Fact]
    public async Task A_file_that_streams_past_the_cap_without_a_length_is_cut_at_the_cap()
    {
        _server.ServeStream("/endless/train-labels-idx1-ubyte.gz", null, 1 << 16, TimeSpan.Zero, 10L << 30);
        var (error, took) = await Fetch("endless");
        Assert.Contains("sent more than 1048604 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(2), $"{took}");
    }

    [Fact]
    public async Task A_trickle_of_one_byte_at_a_time_is_given_up_below_the_minimum_rate()
    {
        _server.ServeStream("/slow/train-labels-idx1-ubyte.gz", 28, 1, TimeSpan.FromMilliseconds(150), 28);
        var (error, took) = await Fetch("slow");
        Assert.Contains("too slow", error.Message, StringComparison.Ordinal);
        Assert.Contains("below the minimum of 1000 bytes/s", error.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(2), $"{took}");
    }

    [Fact]
    public void The_cap_is_the_registry_size_plus_slack()
    {
        var images = LogReg.Data.DatasetRegistry.Mnist.Files[0];
        var content = DatasetDownloader.ContentBytes(LogReg.Data.DatasetRegistry.Mnist, images);
        Assert.Equal(16 + 60000L * 784, content);
        Assert.Equal(content + content / 100 + (1 << 20), LogReg.Common.Limits.DownloadCap(content));
    }
}
