using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace LogReg.Data;

/// <summary>
/// Reads uint8 arrays from NumPy <c>.npz</c> archives as KMNIST distributes them (<c>kmnist-train-imgs.npz</c>: a zip
/// holding <c>arr_0.npy</c>), in memory — nothing is extracted to disk. Other dtypes, Fortran order, missing entries and
/// sizes that disagree with the shape are errors.
/// </summary>
internal static partial class NpzReader
{
    public const string DefaultEntry = "arr_0";

    /// <summary>Reads an images array, shape (count, height, width) or (count, pixels) with a square pixel count.</summary>
    public static ImageArray ReadImages(string path, string entry = DefaultEntry)
    {
        var (shape, data) = ReadArray(path, entry);
        var entryName = EntryFileName(entry);
        ImageShape imageShape;
        switch (shape.Length)
        {
            case 3:
                ImageShape.EnsureWithinLimit(path, (uint)shape[1], (uint)shape[2]);
                imageShape = new ImageShape(shape[1], shape[2]);
                break;
            case 2:
                ImageShape.EnsureWithinLimit(path, 1, (uint)shape[1]);
                imageShape = ImageShape.FromPixelCount(shape[1]);
                break;
            default:
                throw new LogRegDataException(
                    path, $"{entryName} has shape {FormatShape(shape)}; images need (count, height, width) or (count, pixels)");
        }

        int[] dims = [shape[0], imageShape.Height, imageShape.Width];
        return new ImageArray(path, data, shape[0], imageShape, IdxFormat.ContentSha256(dims, data));
    }

    /// <summary>Reads a labels array, shape (count,).</summary>
    public static LabelArray ReadLabels(string path, string entry = DefaultEntry)
    {
        var (shape, data) = ReadArray(path, entry);
        if (shape.Length != 1)
        {
            throw new LogRegDataException(path, $"{EntryFileName(entry)} has shape {FormatShape(shape)}; labels need (count,)");
        }

        var labels = new int[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            labels[i] = data[i];
        }

        return new LabelArray(path, labels, IdxFormat.ContentSha256([data.Length], data));
    }

    public static Dataset ReadDataset(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null, string name = "npz", string split = "data") =>
        DatasetBuilder.FromArrays(ReadImages(imagesPath), ReadLabels(labelsPath), classNames, name, split);

    private static string EntryFileName(string entry) => entry.EndsWith(".npy", StringComparison.Ordinal) ? entry : entry + ".npy";

    private static (int[] Shape, byte[] Data) ReadArray(string path, string entry)
    {
        using var file = DataFile.OpenRead(path);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new LogRegDataException(path, $"not a valid NPZ (zip) archive: {e.Message.TrimEnd('.')}", e);
        }

        using (archive)
        {
            var entryName = EntryFileName(entry);
            ZipArchiveEntry? zipEntry;
            try
            {
                // The central directory is read on first use, not by the constructor.
                foreach (var candidate in archive.Entries)
                {
                    // numpy writes plain names; a path ("../arr_0.npy", "x/arr_0.npy") is a crafted archive.
                    if (candidate.FullName.AsSpan().IndexOfAny('/', '\\') >= 0 || candidate.FullName is "." or ".." || candidate.FullName.Length == 0)
                    {
                        throw new LogRegDataException(path, $"entry '{Shorten(candidate.FullName)}' has a path in its name; an NPZ archive holds plain entry names such as arr_0.npy");
                    }
                }

                zipEntry = archive.GetEntry(entryName);
            }
            catch (InvalidDataException e)
            {
                throw new LogRegDataException(path, $"not a valid NPZ (zip) archive: {e.Message.TrimEnd('.')}", e);
            }

            if (zipEntry is null)
            {
                var present = string.Join(", ", archive.Entries.Select(e => Shorten(e.FullName)).Take(10));
                throw new LogRegDataException(
                    path, $"no entry '{entryName}' in the archive (it holds: {(present.Length == 0 ? "nothing" : present)})");
            }

            // The sizes in the zip directory are the file's word: a few kilobytes claiming gigabytes is a bomb or a lie,
            // refused before anything is allocated or inflated.
            if (zipEntry.CompressedLength < zipEntry.Length && zipEntry.Length > DataFile.MaxGzipContent(zipEntry.CompressedLength))
            {
                throw new LogRegDataException(
                    path,
                    string.Create(CultureInfo.InvariantCulture, $"{entryName} claims {zipEntry.Length} bytes from {zipEntry.CompressedLength} compressed, more than deflate can expand to; the archive is corrupt"));
            }

            try
            {
                using var stream = zipEntry.Open();
                return ReadNpy(stream, zipEntry.Length, path, entryName);
            }
            catch (InvalidDataException e)
            {
                throw new LogRegDataException(path, $"{entryName}: {DataFile.CorruptCompressedData("zip")}", e);
            }
        }
    }

    private static (int[] Shape, byte[] Data) ReadNpy(Stream stream, long entryLength, string path, string entryName)
    {
        Span<byte> preamble = stackalloc byte[8];
        if (DataFile.ReadUpTo(stream, preamble, path) < 8 || !IsNpyMagic(preamble))
        {
            throw new LogRegDataException(path, $"{entryName} is not a .npy array (missing the \\x93NUMPY magic)");
        }

        var major = preamble[6];
        if (major is not (1 or 2 or 3))
        {
            throw new LogRegDataException(path, $"{entryName}: .npy format version {major} is not supported (1, 2 or 3)");
        }

        // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4.
        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (DataFile.ReadUpTo(stream, lengthBytes, path) < lengthBytes.Length)
        {
            throw new LogRegDataException(path, $"{entryName}: truncated .npy header");
        }

        var declaredHeader = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (declaredHeader > 1 << 20 || declaredHeader > entryLength)
        {
            throw new LogRegDataException(
                path, string.Create(CultureInfo.InvariantCulture, $"{entryName}: truncated .npy header: it declares {declaredHeader} bytes but the entry holds {entryLength} in all"));
        }

        var headerLength = (int)declaredHeader;
        var preambleLength = 8 + lengthBytes.Length;

        var headerBytes = new byte[headerLength];
        if (DataFile.ReadUpTo(stream, headerBytes, path) < headerLength)
        {
            throw new LogRegDataException(path, $"{entryName}: truncated .npy header");
        }

        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes).Trim();
        var (descr, fortran, shape) = ParseHeader(header, path, entryName);
        if (descr is not ("|u1" or "<u1" or ">u1" or "u1" or "=u1" or "|B"))
        {
            throw new LogRegDataException(path, $"{entryName} has dtype '{Shorten(descr)}'; LogReg reads uint8 arrays ('|u1')");
        }

        if (fortran)
        {
            throw new LogRegDataException(path, $"{entryName} is stored in Fortran order; save it in C order (numpy.ascontiguousarray)");
        }

        // Images are (count, height, width) or (count, pixels): refuse too many pixels per image from the header alone.
        if (shape.Length is 2 or 3 && shape.All(d => d is >= 0 and <= uint.MaxValue))
        {
            ImageShape.EnsureWithinLimit(path, shape.Length == 3 ? (uint)shape[1] : 1, (uint)shape[^1]);
        }

        Int128 exact = 1;
        foreach (var dim in shape)
        {
            exact *= dim;
        }

        if (shape.Length == 0 || exact == 0)
        {
            throw new LogRegDataException(path, $"{entryName} has shape {FormatShape(shape)} and holds no items");
        }

        var dataStart = preambleLength + headerLength;
        var available = entryLength - dataStart;
        if (exact != available)
        {
            throw new LogRegDataException(
                path,
                string.Create(CultureInfo.InvariantCulture, $"{entryName} has shape {FormatShape(shape)} ({exact} bytes) but the entry holds {Math.Max(0, available)} data bytes"));
        }

        DataFile.EnsureAllocatable(path, (long)exact, $"the {entryName} array of shape {FormatShape(shape)}");
        var data = new byte[(long)exact];
        var read = DataFile.ReadUpTo(stream, data, path);
        if (read < data.Length)
        {
            throw new LogRegDataException(
                path, string.Create(CultureInfo.InvariantCulture, $"{entryName} is truncated: {read} of {data.Length} data bytes"));
        }

        Span<byte> probe = stackalloc byte[1];
        if (DataFile.ReadUpTo(stream, probe, path) != 0)
        {
            throw new LogRegDataException(path, $"{entryName} has trailing bytes after its {FormatShape(shape)} array");
        }

        return (shape.Select(d => (int)d).ToArray(), data);
    }

    private static bool IsNpyMagic(ReadOnlySpan<byte> preamble) =>
        preamble[0] == 0x93 && preamble[1..6].SequenceEqual("NUMPY"u8);

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string path, string entryName)
    {
        if (!header.StartsWith('{') || !header.EndsWith('}'))
        {
            throw new LogRegDataException(path, $"{entryName}: malformed .npy header '{Shorten(header)}'");
        }

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new LogRegDataException(
                path, $"{entryName}: .npy header lacks 'descr', 'fortran_order' or 'shape': '{Shorten(header)}'");
        }

        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var dim) || dim > int.MaxValue)
            {
                throw new LogRegDataException(path, $"{entryName}: shape entry '{Shorten(part)}' is not a valid size");
            }

            dims.Add(dim);
        }

        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    private static string FormatShape(IEnumerable<long> shape)
    {
        var parts = shape.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
        return parts.Length == 1 ? $"({parts[0]},)" : $"({string.Join(", ", parts)})";
    }

    private static string FormatShape(IEnumerable<int> shape) => FormatShape(shape.Select(d => (long)d));

    /// <summary>Text quoted from the file, kept to one short line: a corrupt header or entry name can hold line breaks.</summary>
    private static string Shorten(string text)
    {
        var line = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return line.Length <= 80 ? line : line[..77] + "...";
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
