using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace LogReg.Export;

/// <summary>
/// NumPy's .npy format, version 1.0: the magic <c>\x93NUMPY</c>, version bytes 1 0, a little-endian uint16 header
/// length, then an ASCII Python dict (descr, fortran_order, shape) padded with spaces and ended by a newline so that the
/// data starts on a 64-byte boundary, then the data in C order, little-endian whatever the machine.
/// </summary>
internal static class NpyFormat
{
    private const int Alignment = 64;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>A float32 array ('&lt;f4') of the given shape.</summary>
    public static byte[] Float32(ReadOnlySpan<float> values, params int[] shape)
    {
        CheckCount(values.Length, shape);
        var data = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * sizeof(float)), values[i]);
        }

        return Array("<f4", shape, data);
    }

    /// <summary>A float64 array ('&lt;f8').</summary>
    public static byte[] Float64(ReadOnlySpan<double> values, params int[] shape)
    {
        CheckCount(values.Length, shape);
        var data = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * sizeof(double)), values[i]);
        }

        return Array("<f8", shape, data);
    }

    /// <summary>An int64 array ('&lt;i8').</summary>
    public static byte[] Int64(ReadOnlySpan<long> values, params int[] shape)
    {
        CheckCount(values.Length, shape);
        var data = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * sizeof(long)), values[i]);
        }

        return Array("<i8", shape, data);
    }

    /// <summary>
    /// A Unicode string array ('&lt;U<i>n</i>', UTF-32 code points, each string padded with zeros to the longest), which
    /// numpy.load reads without pickle.
    /// </summary>
    public static byte[] Strings(IReadOnlyList<string> values, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(values.Count, shape);
        var width = Math.Max(1, values.Count == 0 ? 1 : values.Max(v => v.EnumerateRunes().Count()));
        var data = new byte[values.Count * width * 4];
        for (var i = 0; i < values.Count; i++)
        {
            var j = 0;
            foreach (var rune in values[i].EnumerateRunes())
            {
                BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan((i * width + j) * 4), rune.Value);
                j++;
            }
        }

        return Array(string.Create(CultureInfo.InvariantCulture, $"<U{width}"), shape, data);
    }

    private static byte[] Array(string descr, int[] shape, byte[] data)
    {
        var dims = shape.Length switch
        {
            0 => "()",
            1 => string.Create(CultureInfo.InvariantCulture, $"({shape[0]},)"),
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        var unpadded = Magic.Length + sizeof(ushort) + dict.Length + 1;
        var header = dict + new string(' ', (Alignment - unpadded % Alignment) % Alignment) + "\n";
        var bytes = new byte[Magic.Length + sizeof(ushort) + header.Length + data.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Magic.Length), checked((ushort)header.Length));
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(Magic.Length + sizeof(ushort)));
        data.CopyTo(bytes, Magic.Length + sizeof(ushort) + header.Length);
        return bytes;
    }

    private static void CheckCount(int count, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var expected = shape.Aggregate(1L, (product, d) => product * d);
        if (shape.Any(d => d < 0) || expected != count)
        {
            throw new ArgumentException($"{count} values do not fill the shape ({string.Join(", ", shape)})", nameof(shape));
        }
    }
}
