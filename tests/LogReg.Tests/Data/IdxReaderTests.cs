using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(5, 28, 28, false)]
    [InlineData(5, 28, 28, true)]
    [InlineData(9, 8, 8, false)]
    [InlineData(9, 8, 8, true)]
    [InlineData(3, 32, 32, true)]
    [InlineData(4, 5, 7, false)]
    public void IdxReader_Reads_images_of_any_shape_raw_or_gzip(int count, int height, int width, bool gzip)
    {
        var raw = IdxBytes.Images(count, height, width);
        var path = _dir.Write("images.idx", gzip ? IdxBytes.Gzip(raw) : raw);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(count, images.Count);
        Assert.Equal(new ImageShape(height, width), images.Shape);
        Assert.Equal(IdxBytes.ImagePixels(count, height, width), images.Pixels);
        Assert.Equal(IdxBytes.Sha256(raw), images.ContentSha256);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(10240)]
    public void IdxReader_Accepts_a_gzip_file_followed_by_zero_padding_as_gzip_does(int padding)
    {
        // A tape block or dd pads the file with zeros after the member's trailer; gzip(1) decompresses it with a warning.
        var content = IdxBytes.Images(5, 4, 4);
        var path = _dir.Write("padded.gz", [.. IdxBytes.Gzip(content), .. new byte[padding]]);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(5, images.Count);
        Assert.Equal(content[16..], images.Pixels);
    }

    [Fact]
    public void IdxReader_Still_reports_a_cut_gzip_file_that_ends_in_zero_bytes()
    {
        var gzip = IdxBytes.Gzip(IdxBytes.Images(50, 8, 8));
        var path = _dir.Write("cut.gz", [.. gzip[..(gzip.Length / 2)], .. new byte[64]]);

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxReader_Detects_gzip_by_content_not_by_file_name()
    {
        var raw = IdxBytes.Images(2, 4, 4);
        var gzipNamedRaw = _dir.Write("images-idx3-ubyte", IdxBytes.Gzip(raw));
        var rawNamedGzip = _dir.Write("images-idx3-ubyte.gz", raw);

        Assert.Equal(raw[16..], IdxReader.ReadImages(gzipNamedRaw).Pixels);
        Assert.Equal(raw[16..], IdxReader.ReadImages(rawNamedGzip).Pixels);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(47)]
    public void IdxReader_Pairs_images_and_labels_and_numbers_the_classes(int classes)
    {
        var count = classes * 2;
        var images = _dir.Write("i", IdxBytes.Images(count, 8, 8));
        var labels = _dir.Write("l.gz", IdxBytes.Gzip(IdxBytes.Labels(IdxBytes.CyclicLabels(count, classes))));

        var data = IdxReader.ReadDataset(images, labels);

        Assert.Equal(count, data.Count);
        Assert.Equal(classes, data.ClassCount);
        Assert.Equal(Enumerable.Repeat(2, classes), data.ClassCounts());
        Assert.Equal((classes - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), data.ClassNames[^1]);
        Assert.Equal(IdxBytes.Pixel(3, 2, 1), data.Image(3)[2 * 8 + 1]);
    }

    [Fact]
    public void IdxReader_Reads_labels_with_their_checksum()
    {
        var raw = IdxBytes.Labels(5, 0, 4, 1, 9);
        var labels = IdxReader.ReadLabels(_dir.Write("labels", raw));

        Assert.Equal([5, 0, 4, 1, 9], labels.Labels);
        Assert.Equal(IdxBytes.Sha256(raw), labels.ContentSha256);
    }

    public static TheoryData<string, byte[], string> BadImageFiles()
    {
        var valid = IdxBytes.Images(3, 4, 4);
        var wrongMagic = (byte[])valid.Clone();
        wrongMagic[0] = 0x12;
        var floatType = (byte[])valid.Clone();
        floatType[2] = 0x0D;
        var trailing = valid.Concat(new byte[] { 1, 2, 3 }).ToArray();
        return new TheoryData<string, byte[], string>
        {
            { "wrong magic", wrongMagic, "not an IDX images file: magic number 0x12000803" },
            { "float32 type code", floatType, "type code 0x0D (float32) is not supported" },
            { "labels given as images", IdxBytes.Labels(1, 2, 3), "declares 1 (this looks like a labels file)" },
            { "two dimensions", IdxBytes.Build(0x08, [3, 16], new byte[48]), "have 3 dimension(s) (magic 0x00000803) but this one declares 2" },
            { "truncated magic", [0, 0], "too short for an IDX header" },
            { "truncated header", valid[..10], "truncated IDX header: 10 of 16 bytes" },
            { "truncated pixels", valid[..(16 + 20)], "truncated: header declares 3 images of 4x4 (48 bytes) but the data ends after 20 bytes (1 complete image)" },
            { "trailing bytes", trailing, "3 trailing byte(s) after the 3 images of 4x4" },
            { "zero images", IdxBytes.Build(0x08, [0, 4, 4], []), "header declares 0 as the image count" },
            { "zero rows", IdxBytes.Build(0x08, [3, 0, 4], []), "header declares 0 as the rows" },
        };
    }

    [Theory]
    [MemberData(nameof(BadImageFiles))]
    public void IdxReader_Rejects_malformed_raw_image_files(string name, byte[] content, string problem)
    {
        var path = _dir.Write(name.Replace(' ', '-'), content);

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [MemberData(nameof(BadImageFiles))]
    public void IdxReader_Rejects_the_same_malformed_files_when_gzipped(string name, byte[] content, string problem)
    {
        var path = _dir.Write(name.Replace(' ', '-') + ".gz", IdxBytes.Gzip(content));

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        if (!problem.StartsWith("3 trailing", StringComparison.Ordinal))
        {
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("trailing bytes after the 3 images of 4x4", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IdxReader_Refuses_a_raw_header_claiming_two_billion_images_without_allocating()
    {
        var path = _dir.Write("huge", IdxBytes.Build(0x08, [1L << 31, 28, 28], new byte[784]));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("truncated: header declares 2147483648 images of 28x28", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void IdxReader_Refuses_a_gzip_header_claiming_more_than_the_file_can_hold_without_allocating()
    {
        var path = _dir.Write("huge.gz", IdxBytes.Gzip(IdxBytes.Build(0x08, [1L << 31, 28, 28], new byte[784])));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("header declares 2147483648 images of 28x28 (1683627180032 bytes), more than a", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void IdxReader_Refuses_a_gzip_bomb_header_by_the_compression_ratio()
    {
        // 4e9 images of 1x1 from a few kilobytes of gzip: more than deflate can expand to.
        var path = _dir.Write("bomb.gz", IdxBytes.Gzip(IdxBytes.Build(0x08, [4_000_000_000L, 1, 1], new byte[100_000])));

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("header declares 4000000000 images of 1x1 (4000000000 bytes), more than a", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxReader_Refuses_data_larger_than_available_memory_before_allocating(bool gzip)
    {
        var raw = IdxBytes.Images(100, 28, 28);
        var path = _dir.Write("big", gzip ? IdxBytes.Gzip(raw) : raw);

        using (LogReg.Data.DataFile.LimitMemoryForTest(50_000))
        {
            var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));
            Assert.Contains("the 100 images of 28x28 (78400 bytes) its header declares would take 78.4 KB, more than the 50.0 KB of memory available", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(100, IdxReader.ReadImages(path).Count);
    }

    [Fact]
    public void IdxReader_Stops_decompressing_at_the_declared_size()
    {
        // A valid header for 2 images followed by a megabyte of extra zeros: a bomb must not be read to its end.
        var content = IdxBytes.Images(2, 4, 4).Concat(new byte[1 << 20]).ToArray();
        var path = _dir.Write("extra.gz", IdxBytes.Gzip(content));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("trailing bytes", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 19, $"allocated {allocated} bytes");
    }

    [Fact]
    public void IdxReader_Rejects_corrupt_gzip_data()
    {
        var gz = IdxBytes.Gzip(IdxBytes.Images(50, 28, 28));
        for (var i = 20; i < 60; i++)
        {
            gz[i] ^= 0xA5;
        }

        var path = _dir.Write("corrupt.gz", gz);
        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void IdxReader_Rejects_a_gzip_file_cut_short()
    {
        var gz = IdxBytes.Gzip(IdxBytes.Images(50, 28, 28));
        var path = _dir.Write("cut.gz", gz[..(gz.Length / 2)]);

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Matches("truncated|corrupt", error.Message);
    }

    [Fact]
    public void IdxReader_Rejects_a_labels_file_with_an_images_header()
    {
        var path = _dir.Write("labels", IdxBytes.Images(2, 2, 2));

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("this looks like an images file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxReader_Rejects_image_and_label_counts_that_disagree()
    {
        var images = _dir.Write("images", IdxBytes.Images(3, 4, 4));
        var labels = _dir.Write("labels", IdxBytes.Labels(1, 2));

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadDataset(images, labels));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains($"holds 2 labels but {images} holds 3 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxReader_Rejects_labels_outside_the_known_classes()
    {
        var images = _dir.Write("images", IdxBytes.Images(3, 4, 4));
        var labels = _dir.Write("labels", IdxBytes.Labels(1, 12, 2));

        var error = Assert.Throws<LogRegDataException>(() => IdxReader.ReadDataset(images, labels, DatasetRegistry.Mnist.ClassNames));

        Assert.Contains("label 12 at index 1 is outside 0..9 (10 classes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxReader_Reports_missing_empty_and_directory_paths_as_data_errors()
    {
        var missing = _dir.File("nope.gz");
        var empty = _dir.Write("empty", []);
        var directory = _dir.Path;

        Assert.Contains("file not found", Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("file is empty", Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(empty)).Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", Assert.Throws<LogRegDataException>(() => IdxReader.ReadImages(directory)).Message, StringComparison.Ordinal);
    }
}
