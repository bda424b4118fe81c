using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LogReg.Common;
using LogReg.Data;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class ImageFileReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A PNG built by hand: any colour type, every row with the given filter type.</summary>
    internal static byte[] Png(int width, int height, byte colorType, byte[] pixels, byte filter = 0, byte depth = 8, byte interlace = 0, bool breakCrc = false)
    {
        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        for (var y = 0; y < height; y++)
        {
            raw[y * (stride + 1)] = filter;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                var predictor = filter switch { 1 => a, 2 => b, 3 => (a + b) / 2, 4 => Paeth(a, b, c), _ => 0 };
                raw[y * (stride + 1) + 1 + x] = (byte)(pixels[y * stride + x] - predictor);
            }
        }

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = depth;
        header[9] = colorType;
        header[12] = interlace;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header, breakCrc);
        Chunk(png, "IDAT", idat.ToArray(), false);
        Chunk(png, "IEND", [], false);
        return png.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream s, string type, byte[] data, bool breakCrc)
    {
        var word = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data) ^ (breakCrc ? 1u : 0u));
        s.Write(word);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Png_greyscale_decodes_every_filter_type(byte filter)
    {
        var pixels = IdxBytes.ImagePixels(1, 6, 7);
        var path = _dir.Write("g.png", Png(7, 6, 0, pixels, filter));

        var (shape, gray) = ImageFileReader.Read(path);

        Assert.Equal(new ImageShape(6, 7), shape);
        Assert.Equal(pixels, gray);
    }

    [Fact]
    public void Png_colour_becomes_grey_by_luminance_and_transparency_is_composited_over_white()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30];
        byte[] rgba = [0, 0, 0, 255, 0, 0, 0, 0, 200, 200, 200, 128, 50, 50, 50, 255];
        byte[] grayAlpha = [100, 255, 100, 0];

        var (_, fromRgb) = ImageFileReader.Read(_dir.Write("rgb.png", Png(4, 1, 2, rgb, filter: 4)));
        var (_, fromRgba) = ImageFileReader.Read(_dir.Write("rgba.png", Png(2, 2, 6, rgba, filter: 1)));
        var (_, fromGa) = ImageFileReader.Read(_dir.Write("ga.png", Png(2, 1, 4, grayAlpha)));

        Assert.Equal([76, 150, 29, 18], fromRgb);
        Assert.Equal([0, 255, 227, 50], fromRgba);
        Assert.Equal([100, 255], fromGa);
    }

    [Fact]
    public void PngEncoder_output_decodes_to_the_same_pixels_with_valid_crcs()
    {
        var pixels = IdxBytes.ImagePixels(1, 28, 28);
        var path = _dir.Write("enc.png", PngEncoder.Grayscale(pixels, 28, 28));

        var (shape, gray) = ImageFileReader.Read(path);

        Assert.Equal(new ImageShape(28, 28), shape);
        Assert.Equal(pixels, gray);
    }

    [Fact]
    public void PngEncoder_rgb_output_decodes_to_its_luminance()
    {
        byte[] rgb = [255, 255, 255, 0, 0, 0];
        var (_, gray) = ImageFileReader.Read(_dir.Write("rgb.png", PngEncoder.Rgb(rgb, 2, 1)));

        Assert.Equal([255, 0], gray);
    }

    public static TheoryData<string, byte[], string> BadPngs()
    {
        var ok = Png(2, 2, 0, [1, 2, 3, 4]);
        return new TheoryData<string, byte[], string>
        {
            { "crc", Png(2, 2, 0, [1, 2, 3, 4], breakCrc: true), "PNG chunk IHDR fails its CRC check" },
            { "16bit", Png(2, 2, 0, new byte[4], depth: 16), "16-bit PNG is not supported" },
            { "palette", Png(2, 2, 3, new byte[16]), "PNG colour type 3 (palette) is not supported" },
            { "interlaced", Png(2, 2, 0, [1, 2, 3, 4], interlace: 1), "interlaced PNG is not supported" },
            { "truncated", ok[..30], "truncated PNG chunk" },
            { "text", "hello, not an image"u8.ToArray(), "not a PNG or PGM image" },
        };
    }

    [Theory]
    [MemberData(nameof(BadPngs))]
    public void Bad_pngs_are_rejected_naming_the_file(string name, byte[] content, string problem)
    {
        var path = _dir.Write(name + ".png", content);

        var error = Assert.Throws<LogRegDataException>(() => ImageFileReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pgm_binary_and_text_forms_are_read_with_comments_and_scaled_to_255()
    {
        var binary = Encoding.ASCII.GetBytes("P5\n# made by a test\n3 2\n255\n").Concat(new byte[] { 0, 10, 20, 30, 40, 255 }).ToArray();
        var text = Encoding.ASCII.GetBytes("P2\n3 2\n15\n0 1 2\n3 4 15\n");

        var (shape, p5) = ImageFileReader.Read(_dir.Write("a.pgm", binary));
        var (_, p2) = ImageFileReader.Read(_dir.Write("b.pgm", text));

        Assert.Equal(new ImageShape(2, 3), shape);
        Assert.Equal([0, 10, 20, 30, 40, 255], p5);
        Assert.Equal([0, 17, 34, 51, 68, 255], p2);
    }

    [Fact]
    public void Pgm_with_too_little_data_or_values_over_the_maximum_is_rejected()
    {
        var short5 = Encoding.ASCII.GetBytes("P5 4 4 255\n").Concat(new byte[3]).ToArray();
        var over = Encoding.ASCII.GetBytes("P2 1 1 10 11");

        Assert.Contains("PGM pixel data is truncated: 4x4 needs 16 bytes", Assert.Throws<LogRegDataException>(() => ImageFileReader.Read(_dir.Write("s.pgm", short5))).Message, StringComparison.Ordinal);
        Assert.Contains("PGM pixel value 11 exceeds the maximum 10", Assert.Throws<LogRegDataException>(() => ImageFileReader.Read(_dir.Write("o.pgm", over))).Message, StringComparison.Ordinal);
    }
}
