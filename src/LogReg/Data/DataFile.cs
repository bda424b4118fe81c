using System.IO.Compression;

namespace LogReg.Data;

/// <summary>
/// Opening input files with the OS errors turned into one-line <see cref="LogRegDataException"/>s, and gzip detected
/// from the content (magic bytes 1F 8B), never from the file name.
/// </summary>
internal static class DataFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Opens <paramref name="path"/> for reading; a missing, unreadable, empty or directory path is a data error.</summary>
    public static FileStream OpenRead(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new LogRegDataException(path ?? "", "no file name given");
        }

        if (Directory.Exists(path))
        {
            throw new LogRegDataException(path, "is a directory, not a file");
        }

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
        catch (IOException e)
        {
            throw new LogRegDataException(path, $"cannot be read: {e.Message}", e);
        }

        if (stream.Length == 0)
        {
            stream.Dispose();
            throw new LogRegDataException(path, "file is empty");
        }

        return stream;
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

    /// <summary>The content stream: the file itself, or a decompressing view of it when it is gzip.</summary>
    public static Stream OpenContent(FileStream file, out bool isGzip)
    {
        isGzip = StartsWithGzipMagic(file);
        return isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
    }

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
            throw new LogRegDataException(path, $"corrupt gzip data: {e.Message.TrimEnd('.')}", e);
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
}
