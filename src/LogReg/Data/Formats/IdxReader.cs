using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace LogReg.Data;

/// <summary>
/// Reads unsigned-byte IDX files (raw or gzip, told apart by content) and checks everything: magic, type code, number
/// of dimensions, sizes against the actual length (truncated or trailing bytes are errors). A header's sizes are checked
/// against the file before they size an allocation.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an images file (magic 0x00000803: count × rows × columns unsigned bytes).</summary>
    public static ImageArray ReadImages(string path)
    {
        var (dimensions, data, sha) = ReadArray(path, expectedDimensions: 3, "images");
        return new ImageArray(path, data, dimensions[0], new ImageShape(dimensions[1], dimensions[2]), sha);
    }

    /// <summary>Reads a labels file (magic 0x00000801: count unsigned bytes).</summary>
    public static LabelArray ReadLabels(string path)
    {
        var (_, data, sha) = ReadArray(path, expectedDimensions: 1, "labels");
        var labels = new int[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            labels[i] = data[i];
        }

        return new LabelArray(path, labels, sha);
    }

    /// <summary>Reads an images file and its labels file into a dataset; counts must agree and labels fit the classes.</summary>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null, string name = "idx", string split = "data") =>
        DatasetBuilder.FromArrays(ReadImages(imagesPath), ReadLabels(labelsPath), classNames, name, split);

    private static (int[] Dimensions, byte[] Data, string Sha256) ReadArray(string path, int expectedDimensions, string kind)
    {
        using var file = DataFile.OpenRead(path);
        var fileLength = file.Length;
        var isGzip = DataFile.StartsWithGzipMagic(file);
        var trailerSize = isGzip ? DataFile.GzipTrailerSize(file) : 0;
        using var content = DataFile.OpenContent(file, out _, path);

        Span<byte> magic = stackalloc byte[4];
        var got = DataFile.ReadUpTo(content, magic, path);
        if (got < 4)
        {
            throw new LogRegDataException(path, $"truncated: {got} byte(s), too short for an IDX header");
        }

        var magicValue = BinaryPrimitives.ReadInt32BigEndian(magic);
        var expectedMagic = expectedDimensions == 3 ? IdxFormat.ImagesMagic : IdxFormat.LabelsMagic;
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new LogRegDataException(
                path, string.Create(CultureInfo.InvariantCulture, $"not an IDX {kind} file: magic number 0x{magicValue:X8}, expected 0x{expectedMagic:X8}"));
        }

        if (magic[2] != IdxFormat.UnsignedByte)
        {
            throw new LogRegDataException(
                path,
                string.Create(CultureInfo.InvariantCulture, $"IDX type code 0x{magic[2]:X2} ({IdxFormat.TypeName(magic[2])}) is not supported; expected 0x08 (unsigned byte)"));
        }

        if (magic[3] != expectedDimensions)
        {
            var hint = magic[3] switch
            {
                1 when expectedDimensions == 3 => " (this looks like a labels file)",
                3 when expectedDimensions == 1 => " (this looks like an images file)",
                _ => "",
            };
            throw new LogRegDataException(
                path,
                string.Create(CultureInfo.InvariantCulture, $"IDX {kind} files have {expectedDimensions} dimension(s) (magic 0x{expectedMagic:X8}) but this one declares {magic[3]}{hint}"));
        }

        var headerLength = 4 + 4 * expectedDimensions;
        Span<byte> sizeBytes = stackalloc byte[4 * expectedDimensions];
        got = DataFile.ReadUpTo(content, sizeBytes, path);
        if (got < sizeBytes.Length)
        {
            throw new LogRegDataException(path, $"truncated IDX header: {4 + got} of {headerLength} bytes");
        }

        var sizes = new uint[expectedDimensions];
        string[] names = expectedDimensions == 3 ? ["image count", "rows", "columns"] : ["label count"];
        Int128 exact = 1;
        for (var d = 0; d < expectedDimensions; d++)
        {
            sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(sizeBytes[(4 * d)..]);
            if (sizes[d] == 0)
            {
                throw new LogRegDataException(path, $"header declares 0 as the {names[d]}; an IDX {kind} file must hold at least one item");
            }

            exact *= sizes[d];
        }

        var declared = Describe(kind, sizes, exact);
        if (expectedDimensions == 3)
        {
            ImageShape.EnsureWithinLimit(path, sizes[1], sizes[2]);
        }

        // Three sizes below 2^32 can exceed a long; saturate so the check below refuses it, quoting the true size.
        var total = exact > long.MaxValue / 2 ? long.MaxValue / 2 : (long)exact;
        var contentLength = headerLength + total;
        bool allocateOnce;
        if (!isGzip)
        {
            if (fileLength < contentLength)
            {
                throw new LogRegDataException(
                    path, Truncated(declared, fileLength - headerLength, sizes));
            }

            if (fileLength > contentLength)
            {
                throw new LogRegDataException(
                    path, string.Create(CultureInfo.InvariantCulture, $"{fileLength - contentLength} trailing byte(s) after the {declared} the header declares"));
            }

            allocateOnce = true;
        }
        else
        {
            if (contentLength > DataFile.MaxGzipContent(fileLength))
            {
                throw new LogRegDataException(
                    path,
                    string.Create(CultureInfo.InvariantCulture, $"header declares {declared}, more than a {fileLength}-byte gzip file can hold; the file is truncated or its header is wrong"));
            }

            allocateOnce = trailerSize == (uint)(contentLength & 0xFFFFFFFF);
        }

        DataFile.EnsureAllocatable(path, total, $"the {declared} its header declares");
        var dimensions = Array.ConvertAll(sizes, s => (int)s);

        var data = ReadBody(content, total, allocateOnce, path, declared, sizes);

        Span<byte> probe = stackalloc byte[1];
        if (DataFile.ReadUpTo(content, probe, path) != 0)
        {
            throw new LogRegDataException(path, $"trailing bytes after the {declared} the header declares");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(magic);
        hash.AppendData(sizeBytes);
        hash.AppendData(data);
        return (dimensions, data, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Reads the body. When the size is confirmed (raw file length, or gzip trailer agreeing with the header) it is
    /// allocated once; otherwise the buffer grows with the data actually present, so a lying header cannot make us
    /// allocate what the file does not hold.
    /// </summary>
    private static byte[] ReadBody(Stream content, long total, bool allocateOnce, string path, string declared, uint[] dimensions)
    {
        var length = (int)total;
        var buffer = new byte[allocateOnce ? length : Math.Min(length, 1 << 22)];
        var filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, (long)buffer.Length * 2));
            }

            var read = DataFile.ReadUpTo(content, buffer.AsSpan(filled), path);
            filled += read;
            if (filled < buffer.Length)
            {
                throw new LogRegDataException(path, Truncated(declared, filled, dimensions));
            }
        }

        return buffer;
    }

    private static string Describe(string kind, uint[] dimensions, Int128 total) => dimensions.Length == 3
        ? string.Create(CultureInfo.InvariantCulture, $"{dimensions[0]} images of {dimensions[1]}x{dimensions[2]} ({total} bytes)")
        : string.Create(CultureInfo.InvariantCulture, $"{dimensions[0]} {kind}");

    private static string Truncated(string declared, long present, uint[] dimensions)
    {
        present = Math.Max(0, present);
        var itemSize = dimensions.Length == 3 ? (long)dimensions[1] * dimensions[2] : 1;
        var items = present / itemSize;
        var unit = dimensions.Length == 3 ? "image" : "label";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"truncated: header declares {declared} but the data ends after {present} bytes ({items} complete {unit}{(items == 1 ? "" : "s")})");
    }
}
