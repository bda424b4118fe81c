using System.Buffers.Binary;
using System.IO.Compression;

namespace LogReg.Tests.Fixtures;

/// <summary>Builds IDX files (valid and deliberately broken) in memory.</summary>
public static class IdxBytes
{
    /// <summary>A deterministic pixel pattern that differs per image and per position.</summary>
    public static byte Pixel(int image, int row, int column) => (byte)((image * 31 + row * 7 + column * 3) % 256);

    public static byte[] ImagePixels(int count, int height, int width)
    {
        var pixels = new byte[count * height * width];
        for (var i = 0; i < count; i++)
        {
            for (var r = 0; r < height; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    pixels[(i * height + r) * width + c] = Pixel(i, r, c);
                }
            }
        }

        return pixels;
    }

    public static byte[] Images(int count, int height, int width) =>
        Build(0x08, [count, height, width], ImagePixels(count, height, width));

    public static byte[] Images(int count, int height, int width, byte[] pixels) =>
        Build(0x08, [count, height, width], pixels);

    public static byte[] Labels(params int[] labels) =>
        Build(0x08, [labels.Length], labels.Select(l => (byte)l).ToArray());

    /// <summary>Labels 0, 1, ..., k-1, 0, 1, ... for <paramref name="count"/> items.</summary>
    public static int[] CyclicLabels(int count, int classes) => Enumerable.Range(0, count).Select(i => i % classes).ToArray();

    /// <summary>Any header: type code and dimensions as given (dimensions as unsigned 32-bit), then the body.</summary>
    public static byte[] Build(byte typeCode, long[] dimensions, byte[] body)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + body.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), (uint)dimensions[i]);
        }

        body.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    public static byte[] Build(byte typeCode, int[] dimensions, byte[] body) =>
        Build(typeCode, dimensions.Select(d => (long)d).ToArray(), body);

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
}
