using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LogReg.Data;

/// <summary>
/// The IDX layout (LeCun's MNIST format): two zero bytes, a type code, the number of dimensions, then each dimension
/// as a big-endian 32-bit integer, then the data in C order.
/// </summary>
internal static class IdxFormat
{
    public const byte UnsignedByte = 0x08;
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>The header bytes for an unsigned-byte array of the given dimensions.</summary>
    public static byte[] Header(ReadOnlySpan<int> dimensions)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        }

        return header;
    }

    /// <summary>SHA-256 of the IDX encoding of an unsigned-byte array, computed without building the encoding.</summary>
    public static string ContentSha256(ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Header(dimensions));
        hash.AppendData(data);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of labels in IDX form (unsigned bytes), or of their 32-bit big-endian form when a label exceeds 255.</summary>
    public static string LabelsSha256(ReadOnlySpan<int> labels)
    {
        var fitsInBytes = true;
        foreach (var label in labels)
        {
            if ((uint)label > 255)
            {
                fitsInBytes = false;
                break;
            }
        }

        if (fitsInBytes)
        {
            var bytes = new byte[labels.Length];
            for (var i = 0; i < labels.Length; i++)
            {
                bytes[i] = (byte)labels[i];
            }

            return ContentSha256([labels.Length], bytes);
        }

        var wide = new byte[labels.Length * 4];
        for (var i = 0; i < labels.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(wide.AsSpan(4 * i), labels[i]);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var header = Header([labels.Length]);
        header[2] = 0x0C;
        hash.AppendData(header);
        hash.AppendData(wide);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The name of an IDX type code, for error messages.</summary>
    public static string TypeName(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "unknown",
    };
}
