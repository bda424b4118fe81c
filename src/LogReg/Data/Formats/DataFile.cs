using System.IO.Compression;

namespace LogReg.Data;

/// <summary>
/// Opening input files with the OS errors turned into one-line <see cref="LogRegDataException"/>s, and gzip detected
/// from the content (magic bytes 1F 8B), never from the file name.
/// </summary>
public static class DataFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Opens <paramref name="path"/> for reading; a missing, unreadable, empty or directory path is a data error.</summary>
    public static FileStream OpenRead(string path) => OpenRead(path, allowEmpty: false);

    private static FileStream OpenRead(string path, bool allowEmpty)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new LogRegDataException(path ?? "", "no file name given");
        }

        EnsureRegularFile(path);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LogRegDataException(path, "file not found", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LogRegDataException(path, "permission denied: the file cannot be read", e);
        }
        catch (PathTooLongException e)
        {
            throw new LogRegDataException(path, "cannot be read: the path, or one of its names, is too long for this system", e);
        }
        catch (IOException e)
        {
            throw new LogRegDataException(path, $"cannot be read: {e.Message}", e);
        }

        if (stream.Length == 0 && !allowEmpty)
        {
            stream.Dispose();
            throw new LogRegDataException(path, "file is empty");
        }

        return stream;
    }

    /// <summary>
    /// Checks that <paramref name="path"/>, when it exists, is a regular file (after following links): a folder, a FIFO,
    /// a device or a socket is a data error naming it, before anything opens it (opening a FIFO blocks until a writer
    /// comes; a device never ends). A missing path is left to the open that follows, which says so.
    /// </summary>
    public static void EnsureRegularFile(string path)
    {
        var kind = Common.FileKinds.Of(path);
        if (kind == Common.FileKind.Directory)
        {
            throw new LogRegDataException(path, "is a directory, not a file");
        }

        if (kind is not (Common.FileKind.Regular or Common.FileKind.Missing))
        {
            throw new LogRegDataException(path, $"is {Common.FileKinds.Describe(kind)}, not a regular file; LogReg reads only regular files");
        }
    }

    /// <summary>
    /// The whole of a small file (a spec, class names, a results file), refused when it is not a regular file or is
    /// larger than <paramref name="maxBytes"/>: these are read into memory in one piece.
    /// </summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = OpenRead(path, allowEmpty: true);
        if (stream.Length > maxBytes)
        {
            throw new LogRegDataException(
                path, $"is {Common.Invariant.Bytes(stream.Length)}, more than the {Common.Invariant.Bytes(maxBytes)} LogReg reads from a file of this kind");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary><see cref="ReadAllBytes"/> as UTF-8 text (a byte order mark is skipped).</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        var bytes = ReadAllBytes(path, maxBytes);
        var text = new System.Text.UTF8Encoding(false).GetString(bytes);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is a folder this process can list; otherwise a data error naming it (missing,
    /// a file, or permission denied). <paramref name="given"/> says where the path came from ("--data-dir").
    /// </summary>
    public static void EnsureReadableDirectory(string path, string? given = null)
    {
        var from = given is null ? "" : $" (given as {given})";
        if (File.Exists(path))
        {
            throw new LogRegDataException(path, $"is a file, not a folder{from}");
        }

        if (!Directory.Exists(path))
        {
            throw new LogRegDataException(path, $"no such folder{from}");
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            entries.MoveNext();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LogRegDataException(path, $"permission denied: the folder cannot be read{from}", e);
        }
        catch (IOException e)
        {
            throw new LogRegDataException(path, $"cannot be read{from}: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>Whether the stream starts with the gzip magic bytes; the position is restored.</summary>
    public static bool StartsWithGzipMagic(FileStream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var start = stream.Position;
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>
    /// The ISIZE field of a gzip file's trailer: the uncompressed size of its last member modulo 2^32. A hint only: it
    /// lets a reader allocate once when it agrees with the header, and is never trusted on its own.
    /// </summary>
    public static uint GzipTrailerSize(FileStream stream)
    {
        if (stream.Length < 18)
        {
            return 0;
        }

        Span<byte> trailer = stackalloc byte[4];
        var start = stream.Position;
        stream.Position = stream.Length - 4;
        stream.ReadExactly(trailer);
        stream.Position = start;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    /// <summary>
    /// The content stream: the file itself, or a decompressing view of it when it is gzip. A gzip view checks at its end
    /// that the stream was complete: zlib verifies the trailer's CRC when the trailer is there, but a file cut short
    /// just ends, so the decompressed length is compared with the trailer's size field.
    /// </summary>
    /// <param name="path">The path as the user gave it, for errors (the stream's own name is the absolute path).</param>
    public static Stream OpenContent(FileStream file, out bool isGzip, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        path ??= file.Name;
        isGzip = StartsWithGzipMagic(file);
        if (!isGzip)
        {
            return file;
        }

        if (file.Length < MinimumGzipLength)
        {
            throw new LogRegDataException(path, $"truncated gzip data: {file.Length} bytes, shorter than the smallest gzip file ({MinimumGzipLength} bytes)");
        }

        return new CheckedGzipStream(file, PossibleTrailerSizes(file), path);
    }

    /// <summary>How far back <see cref="PossibleTrailerSizes"/> looks through zero padding.</summary>
    private const int MaxZeroPadding = 1 << 20;

    /// <summary>
    /// The sizes the gzip trailer can declare. gzip(1) accepts a file padded with zero bytes after its last member (tape
    /// blocks, dd): then the trailer ends somewhere in the zeros' first bytes, so every trailer that ends between the
    /// first zero of the padding and eight bytes later is a candidate.
    /// </summary>
    private static uint[] PossibleTrailerSizes(FileStream stream)
    {
        var start = stream.Position;
        var window = (int)Math.Min(stream.Length, MaxZeroPadding + 8);
        var tail = new byte[window];
        stream.Position = stream.Length - window;
        stream.ReadExactly(tail);
        stream.Position = start;
        var zeros = 0;
        while (zeros < tail.Length && tail[^(zeros + 1)] == 0)
        {
            zeros++;
        }

        var sizes = new List<uint>();
        for (var end = tail.Length - zeros; end <= Math.Min(tail.Length, tail.Length - zeros + 8); end++)
        {
            if (end >= 4)
            {
                sizes.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end - 4)));
            }
        }

        return [.. sizes.Distinct()];
    }

    /// <summary>A 10-byte header, an empty deflate block (2 bytes) and the 8-byte trailer.</summary>
    private const int MinimumGzipLength = 20;

    /// <summary>What a decompression error says, in words a user can act on (zlib's own texts name internals).</summary>
    public static string CorruptCompressedData(string format) =>
        $"corrupt {format} data: the compressed stream is damaged (the file was changed or cut after it was written)";

    /// <summary>Deflate expands at most about 1032:1; more declared content than that means a truncated or lying file.</summary>
    public static long MaxGzipContent(long compressedLength) => checked(compressedLength * 1032 + 1024);

    /// <summary>
    /// Reads exactly <paramref name="buffer"/>.Length bytes, or returns how many were there. Decompression errors
    /// become data errors naming the file.
    /// </summary>
    public static int ReadUpTo(Stream content, Span<byte> buffer, string path)
    {
        try
        {
            return content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new LogRegDataException(path, CorruptCompressedData(content is CheckedGzipStream ? "gzip" : "zip"), e);
        }
        catch (IOException e)
        {
            throw new LogRegDataException(path, $"read failed: {e.Message.TrimEnd('.')}", e);
        }
    }

    private static readonly AsyncLocal<long?> MemoryLimitOverride = new();

    /// <summary>Lets a test pretend the machine has less memory, for the current async flow only.</summary>
    internal static IDisposable LimitMemoryForTest(long bytes)
    {
        var previous = MemoryLimitOverride.Value;
        MemoryLimitOverride.Value = bytes;
        return new Restore(() => MemoryLimitOverride.Value = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The memory this process may use, for refusing sizes that cannot fit before allocating them.</summary>
    public static long AvailableMemoryBytes()
    {
        if (MemoryLimitOverride.Value is { } limit)
        {
            return limit;
        }

        var info = GC.GetGCMemoryInfo();
        var total = info.TotalAvailableMemoryBytes;
        return total > 0 ? total : long.MaxValue;
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> of content can be held in one array and in memory; otherwise a data error that
    /// gives the size.
    /// </summary>
    public static void EnsureAllocatable(string path, long bytes, string what)
    {
        if (bytes > Array.MaxLength)
        {
            throw new LogRegDataException(
                path,
                $"{what} would take {Common.Invariant.Bytes(bytes)}, more than LogReg holds in memory for one array ({Common.Invariant.Bytes(Array.MaxLength)})");
        }

        var available = AvailableMemoryBytes();
        if (bytes > available)
        {
            throw new LogRegDataException(
                path, $"{what} would take {Common.Invariant.Bytes(bytes)}, more than the {Common.Invariant.Bytes(available)} of memory available");
        }
    }

    /// <summary>
    /// Decompresses a gzip file and, when the data ends, checks that it ended where the trailer says: a truncated file
    /// otherwise reads as a shorter valid one.
    /// </summary>
    private sealed class CheckedGzipStream(FileStream file, uint[] trailerSizes, string path) : Stream
    {
        private readonly GZipStream _inner = new(file, CompressionMode.Decompress, leaveOpen: true);
        private long _length;
        private bool _checked;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = _inner.Read(buffer);
            _length += read;
            if (read == 0 && buffer.Length > 0 && !_checked)
            {
                _checked = true;
                if (Array.IndexOf(trailerSizes, (uint)(_length & 0xFFFFFFFF)) < 0)
                {
                    throw new LogRegDataException(
                        path,
                        System.FormattableString.Invariant($"truncated gzip data: the compressed stream ends after {_length} decompressed bytes, without the trailer that closes a complete file"));
                }
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
