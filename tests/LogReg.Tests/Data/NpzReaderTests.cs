using System.IO.Compression;
using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class NpzReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.NoCompression)]
    public void NpzReader_Reads_uint8_images_as_kmnist_ships_them(CompressionLevel level)
    {
        var pixels = IdxBytes.ImagePixels(6, 28, 28);
        var path = _dir.Write("kmnist-test-imgs.npz", NpzBytes.Zip(level, ("arr_0.npy", NpzBytes.Uint8([6, 28, 28], pixels))));

        var images = NpzReader.ReadImages(path);

        Assert.Equal(6, images.Count);
        Assert.Equal(new ImageShape(28, 28), images.Shape);
        Assert.Equal(pixels, images.Pixels);
        // The checksum is that of the same array in IDX form, so NPZ and IDX copies of one dataset agree.
        Assert.Equal(IdxBytes.Sha256(IdxBytes.Images(6, 28, 28)), images.ContentSha256);
    }

    [Fact]
    public void NpzReader_Refuses_an_array_larger_than_available_memory_before_allocating()
    {
        var path = _dir.Write("big.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([100, 28, 28], IdxBytes.ImagePixels(100, 28, 28)))));

        using (DataFile.LimitMemoryForTest(50_000))
        {
            var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadImages(path));
            Assert.True(error.Message.Contains("the arr_0.npy array of shape (100, 28, 28) would take 78.4 KB, more than the 50.0 KB of memory available", StringComparison.Ordinal), error.Message);
        }

        Assert.Equal(100, NpzReader.ReadImages(path).Count);
    }

    [Fact]
    public void NpzReader_Refuses_an_entry_claiming_more_than_its_compressed_bytes_can_expand_to()
    {
        // A real archive whose zip directory is edited to claim 4 GB uncompressed from a few hundred bytes: a bomb's
        // header, refused from the sizes alone, before inflating or allocating.
        var bytes = NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([4], [1, 2, 3, 4])));
        PatchUncompressedSizes(bytes, 0xF000_0000);
        var path = _dir.Write("bomb.npz", bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadLabels(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("arr_0.npy claims 4026531840 bytes from", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than deflate can expand to", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    /// <summary>Sets the uncompressed size in every local header (offset 22) and central directory entry (offset 24).</summary>
    private static void PatchUncompressedSizes(byte[] zip, uint size)
    {
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            var signature = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            var offset = signature switch { 0x04034b50 => 22, 0x02014b50 => 24, _ => -1 };
            if (offset > 0)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + offset), size);
            }
        }
    }

    [Fact]
    public void NpzReader_Reads_flat_images_with_a_square_pixel_count()
    {
        var pixels = IdxBytes.ImagePixels(3, 8, 8);
        var path = _dir.Write("flat.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([3, 64], pixels))));

        var images = NpzReader.ReadImages(path);

        Assert.Equal(new ImageShape(8, 8), images.Shape);
        Assert.Equal(pixels, images.Pixels);
    }

    [Fact]
    public void NpzReader_Reads_labels_and_pairs_them_with_images()
    {
        var images = _dir.Write("x-train-imgs.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([4, 5, 5], IdxBytes.ImagePixels(4, 5, 5)))));
        var labels = _dir.Write("x-train-labels.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([4], [2, 0, 1, 2]))));

        var data = NpzReader.ReadDataset(images, labels);

        Assert.Equal([2, 0, 1, 2], data.Labels.ToArray());
        Assert.Equal(3, data.ClassCount);
    }

    [Fact]
    public void NpzReader_Reads_format_version_2_headers()
    {
        var path = _dir.Write("v2.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Npy("|u1", false, [3], [7, 8, 9], version: 2))));

        Assert.Equal([7, 8, 9], NpzReader.ReadLabels(path).Labels);
    }

    public static TheoryData<string, byte[], string> BadArchives()
    {
        var good = NpzBytes.Uint8([2, 2, 2], new byte[8]);
        var badMagic = (byte[])good.Clone();
        badMagic[1] = (byte)'X';
        return new TheoryData<string, byte[], string>
        {
            { "float32", NpzBytes.Zip(("arr_0.npy", NpzBytes.Npy("<f4", false, [2, 2, 2], new byte[32]))), "arr_0.npy has dtype '<f4'; LogReg reads uint8 arrays ('|u1')" },
            { "int64", NpzBytes.Zip(("arr_0.npy", NpzBytes.Npy("<i8", false, [2, 2, 2], new byte[64]))), "has dtype '<i8'" },
            { "fortran", NpzBytes.Zip(("arr_0.npy", NpzBytes.Npy("|u1", true, [2, 2, 2], new byte[8]))), "arr_0.npy is stored in Fortran order" },
            { "missing entry", NpzBytes.Zip(("images.npy", good)), "no entry 'arr_0.npy' in the archive (it holds: images.npy)" },
            { "empty archive", NpzBytes.Zip(), "no entry 'arr_0.npy' in the archive (it holds: nothing)" },
            { "not npy", NpzBytes.Zip(("arr_0.npy", badMagic)), "arr_0.npy is not a .npy array" },
            { "short data", NpzBytes.Zip(("arr_0.npy", good[..^3])), "has shape (2, 2, 2) (8 bytes) but the entry holds 5 data bytes" },
            { "long data", NpzBytes.Zip(("arr_0.npy", good.Concat(new byte[] { 1 }).ToArray())), "has shape (2, 2, 2) (8 bytes) but the entry holds 9 data bytes" },
            { "one-dimensional", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([8], new byte[8]))), "arr_0.npy has shape (8,); images need (count, height, width) or (count, pixels)" },
            { "not a zip", "this is not a zip file at all"u8.ToArray(), "not a valid NPZ (zip) archive" },
            { "version 9", NpzBytes.Zip(("arr_0.npy", NpzBytes.Npy("|u1", false, [1, 1, 1], [0], version: 9))), ".npy format version 9 is not supported" },
        };
    }

    [Theory]
    [MemberData(nameof(BadArchives))]
    public void NpzReader_Rejects_bad_archives_naming_the_file(string name, byte[] content, string problem)
    {
        var path = _dir.Write(name.Replace(' ', '-') + ".npz", content);

        var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void NpzReader_Rejects_a_truncated_archive()
    {
        var zip = NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([20, 28, 28], IdxBytes.ImagePixels(20, 28, 28))));
        var path = _dir.Write("cut.npz", zip[..(zip.Length / 2)]);

        var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadImages(path));

        Assert.Contains("not a valid NPZ (zip) archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpzReader_Rejects_corrupt_compressed_data()
    {
        var zip = NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([20, 28, 28], IdxBytes.ImagePixels(20, 28, 28))));
        for (var i = 60; i < 90; i++)
        {
            zip[i] ^= 0x5A;
        }

        var path = _dir.Write("corrupt.npz", zip);

        var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void NpzReader_Rejects_labels_with_two_dimensions()
    {
        var path = _dir.Write("labels.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([2, 2], new byte[4]))));

        var error = Assert.Throws<LogRegDataException>(() => NpzReader.ReadLabels(path));

        Assert.Contains("has shape (2, 2); labels need (count,)", error.Message, StringComparison.Ordinal);
    }
}
