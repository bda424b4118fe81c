namespace LogReg.Common;

/// <summary>
/// Writes files so that a reader (or a crash) never sees a half-written one: the content goes to a temporary file in
/// the same directory, is flushed to disk, and is then renamed over the destination in one step.
/// </summary>
public static class AtomicFile
{
    /// <param name="durable">
    /// Flush the content to disk before the rename, so that it survives a power cut as well as a crash. Figures that a
    /// report can draw again skip it: dozens of flushes would cost more than the whole report.
    /// </param>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var kind = FileKinds.Of(fullPath);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            // The rename would replace a FIFO, a device or a folder's entry with a regular file.
            throw new IOException($"{path}: is {FileKinds.Describe(kind)}, not a regular file; LogReg writes only regular files and will not replace it");
        }

        Directory.CreateDirectory(directory);
        var tempPath = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }

        // A process killed while writing this file before leaves its temporary file behind; the file is now whole.
        foreach (var stale in Directory.EnumerateFiles(directory, $".{Path.GetFileName(fullPath)}.*.tmp"))
        {
            TryDelete(stale);
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically: readers see the old file or the whole new one.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically; <paramref name="durable"/> flushes them to disk before the rename.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy), durable);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
