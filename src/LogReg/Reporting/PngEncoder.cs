using System.Buffers.Binary;
using System.IO.Compression;
using LogReg.Common;

namespace LogReg.Reporting;

/// <summary>
/// Writes 8-bit PNG images (greyscale or RGB), non-interlaced, with zlib from System.IO.Compression and CRC-32 per chunk.
/// Rows are stored with filter 0 (none): simple, and small enough for 28x28 weight images.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="gray"/> (height × width bytes, row-major).</summary>
    public static byte[] Grayscale(ReadOnlySpan<byte> gray, int width, int height) => Encode(gray, width, height, channels: 1);

    /// <summary>Encodes <paramref name="rgb"/> (height × width × 3 bytes, row-major).</summary>
    public static byte[] Rgb(ReadOnlySpan<byte> rgb, int width, int height) => Encode(rgb, width, height, channels: 3);

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var stride = width * channels;
        if (pixels.Length != stride * height)
        {
            throw new ArgumentException($"expected {stride * height} bytes for {width}x{height}x{channels}, got {pixels.Length}", nameof(pixels));
        }

        var raw = new byte[(stride + 1) * height];
        for (var y = 0; y < height; y++)
        {
            pixels.Slice(y * stride, stride).CopyTo(raw.AsSpan(y * (stride + 1) + 1));
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = channels == 1 ? (byte)0 : (byte)2;
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, compressed.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        output.Write(word);
    }
}
