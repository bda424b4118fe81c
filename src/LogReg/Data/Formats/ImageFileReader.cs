using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using LogReg.Common;

namespace LogReg.Data;

/// <summary>
/// Reads single images for prediction: PNG (8-bit greyscale, grey + alpha, RGB or RGBA; non-interlaced) with a small
/// decoder over System.IO.Compression, and PGM (P2 text or P5 binary). Colour becomes grey by luminance
/// (0.299 R + 0.587 G + 0.114 B); transparency is composited over white, as image viewers show it.
/// </summary>
public static class ImageFileReader
{
    private const long MaxPixels = 1 << 26;

    /// <summary>Reads a PNG or PGM file (told apart by content) into greyscale bytes.</summary>
    public static (ImageShape Shape, byte[] Pixels) Read(string path)
    {
        byte[] bytes;
        using (var file = DataFile.OpenRead(path))
        {
            if (file.Length > 1 << 28)
            {
                throw new LogRegDataException(path, "image file is larger than 256 MB");
            }

            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        return Decode(bytes, path);
    }

    /// <summary>
    /// Decodes PNG or PGM bytes that did not come from a file (an upload to logreg serve). <paramref name="name"/> names
    /// the image in error messages; images of more than <paramref name="maxPixels"/> pixels are refused before any is
    /// decoded, so a small compressed file cannot make the reader allocate a huge one.
    /// </summary>
    public static (ImageShape Shape, byte[] Pixels) Decode(byte[] bytes, string name, long maxPixels = MaxPixels)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        var path = name;
        if (bytes.Length >= 8 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
        {
            return ReadPng(bytes, path, Math.Min(maxPixels, MaxPixels));
        }

        if (bytes.Length >= 2 && bytes[0] == 'P' && bytes[1] is (byte)'2' or (byte)'5')
        {
            return ReadPgm(bytes, path, Math.Min(maxPixels, MaxPixels));
        }

        throw new LogRegDataException(path, "not a PNG or PGM image (LogReg reads PNG, PGM and IDX inputs)");
    }

    private static (ImageShape, byte[]) ReadPng(byte[] bytes, string path, long maxPixels)
    {
        var position = 8;
        int width = 0, height = 0, colorType = -1;
        using var idat = new MemoryStream();
        var sawEnd = false;
        while (position < bytes.Length && !sawEnd)
        {
            if (position + 12 > bytes.Length)
            {
                throw new LogRegDataException(path, "truncated PNG chunk header");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position));
            if (length < 0 || position + 12L + length > bytes.Length)
            {
                throw new LogRegDataException(path, "truncated PNG chunk");
            }

            var type = Encoding.ASCII.GetString(bytes, position + 4, 4);
            var data = bytes.AsSpan(position + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(position + 8 + length));
            if (Crc32.Append(Crc32.Compute(bytes.AsSpan(position + 4, 4)), data) != crc)
            {
                throw new LogRegDataException(path, $"PNG chunk {type} fails its CRC check (the file is corrupt)");
            }

            switch (type)
            {
                case "IHDR":
                    if (length != 13)
                    {
                        throw new LogRegDataException(path, "malformed PNG header");
                    }

                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    var depth = data[8];
                    colorType = data[9];
                    if (width <= 0 || height <= 0 || (long)width * height > maxPixels)
                    {
                        throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PNG size {width}x{height} is not supported"));
                    }

                    if (depth != 8)
                    {
                        throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"{depth}-bit PNG is not supported; save it with 8 bits per channel"));
                    }

                    if (colorType is not (0 or 2 or 4 or 6))
                    {
                        throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PNG colour type {colorType} ({(colorType == 3 ? "palette" : "unknown")}) is not supported; save it as greyscale, RGB or RGBA"));
                    }

                    if (data[12] != 0)
                    {
                        throw new LogRegDataException(path, "interlaced PNG is not supported; save it without interlacing");
                    }

                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
            }

            position += 12 + length;
        }

        if (colorType < 0)
        {
            throw new LogRegDataException(path, "PNG has no IHDR header chunk");
        }

        var channels = colorType switch { 0 => 1, 2 => 3, 4 => 2, _ => 4 };
        var stride = width * channels;
        var raw = new byte[(stride + 1) * (long)height];
        idat.Position = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
            var read = zlib.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
            if (read < raw.Length)
            {
                throw new LogRegDataException(path, "PNG image data is truncated");
            }
        }
        catch (InvalidDataException e)
        {
            throw new LogRegDataException(path, $"PNG image data is corrupt: {e.Message.TrimEnd('.')}", e);
        }

        var pixels = Unfilter(raw, width, height, channels, path);
        var gray = new byte[width * height];
        for (var i = 0; i < gray.Length; i++)
        {
            var p = pixels.AsSpan(i * channels, channels);
            double value = channels <= 2 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            if (channels is 2 or 4)
            {
                var alpha = p[channels - 1] / 255.0;
                value = value * alpha + 255 * (1 - alpha);
            }

            gray[i] = (byte)Math.Clamp(Math.Round(value), 0, 255);
        }

        return (new ImageShape(height, width), gray);
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp, string path)
    {
        var stride = width * bpp;
        var output = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride);
            var current = output.AsSpan(y * stride, stride);
            var previous = y > 0 ? output.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? current[x - bpp] : 0;
                int b = y > 0 ? previous[x] : 0;
                int c = x >= bpp && y > 0 ? previous[x - bpp] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PNG row {y} has unknown filter type {filter}")),
                };
                current[x] = (byte)(line[x] + predictor);
            }
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static (ImageShape, byte[]) ReadPgm(byte[] bytes, string path, long maxPixels)
    {
        var binary = bytes[1] == '5';
        var position = 2;
        var fields = new int[3];
        for (var f = 0; f < 3; f++)
        {
            fields[f] = ReadHeaderNumber(bytes, ref position, path);
        }

        var (width, height, max) = (fields[0], fields[1], fields[2]);
        if (width <= 0 || height <= 0 || (long)width * height > maxPixels)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PGM size {width}x{height} is not supported"));
        }

        if (max is < 1 or > 65535)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PGM maximum value {max} is outside 1..65535"));
        }

        var count = width * height;
        var gray = new byte[count];
        if (binary)
        {
            position++; // the single whitespace after the header
            var sampleBytes = max > 255 ? 2 : 1;
            if (bytes.Length - position < (long)count * sampleBytes)
            {
                throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PGM pixel data is truncated: {width}x{height} needs {count * sampleBytes} bytes"));
            }

            for (var i = 0; i < count; i++)
            {
                var v = sampleBytes == 1 ? bytes[position + i] : BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position + 2 * i));
                gray[i] = Scale(v, max, path);
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                gray[i] = Scale(ReadHeaderNumber(bytes, ref position, path), max, path);
            }
        }

        return (new ImageShape(height, width), gray);
    }

    private static byte Scale(int value, int max, string path)
    {
        if (value > max)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"PGM pixel value {value} exceeds the maximum {max}"));
        }

        return (byte)Math.Round(value * 255.0 / max);
    }

    private static int ReadHeaderNumber(byte[] bytes, ref int position, string path)
    {
        while (position < bytes.Length)
        {
            if (bytes[position] == '#')
            {
                while (position < bytes.Length && bytes[position] != '\n')
                {
                    position++;
                }
            }
            else if (char.IsWhiteSpace((char)bytes[position]))
            {
                position++;
            }
            else
            {
                break;
            }
        }

        var start = position;
        long value = 0;
        while (position < bytes.Length && bytes[position] is >= (byte)'0' and <= (byte)'9' && value <= int.MaxValue)
        {
            value = value * 10 + (bytes[position] - '0');
            position++;
        }

        if (position == start || value > int.MaxValue)
        {
            throw new LogRegDataException(path, "malformed PGM: expected a number");
        }

        return (int)value;
    }
}
