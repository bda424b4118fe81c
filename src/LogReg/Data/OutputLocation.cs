using LogReg.Common;

namespace LogReg.Data;

/// <summary>
/// Checks an output location before any work starts, so that a run of minutes does not end in an error that loses its
/// result: the folder (or the folder it will be created in) must be a folder this process can write to, and no file
/// LogReg writes there may be a folder, a FIFO or a device (an atomic write would replace the node).
/// </summary>
public static class OutputLocation
{
    /// <summary>
    /// Checks that <paramref name="directory"/> is, or can be created as, a writable folder, and that none of
    /// <paramref name="fileNames"/> in it is anything but a regular file. <paramref name="option"/> names where the
    /// path came from ("--out").
    /// </summary>
    public static void EnsureWritableFolder(string directory, string option, IEnumerable<string> fileNames)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var kind = FileKinds.Of(directory);
        if (kind == FileKind.Directory)
        {
            foreach (var name in fileNames)
            {
                EnsureReplaceable(Path.Combine(directory, name), option);
            }

            EnsureWritable(directory, directory, option);
            return;
        }

        if (kind != FileKind.Missing)
        {
            throw new LogRegDataException(directory, $"is {(kind == FileKind.Regular ? "a file" : FileKinds.Describe(kind))}, not a folder ({option} names the folder LogReg writes its files into)");
        }

        EnsureWritable(ExistingAncestor(directory, option), directory, option);
    }

    /// <summary>Checks that the file <paramref name="path"/> can be written: missing or a regular file, in a writable folder.</summary>
    public static void EnsureWritableFile(string path, string option)
    {
        EnsureReplaceable(path, option);
        var parent = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureWritable(FileKinds.Of(parent) == FileKind.Directory ? parent : ExistingAncestor(parent, option), path, option);
    }

    private static void EnsureReplaceable(string path, string option)
    {
        var kind = FileKinds.Of(path);
        if (kind is not (FileKind.Missing or FileKind.Regular))
        {
            throw new LogRegDataException(path, $"is {FileKinds.Describe(kind)}, not a regular file; LogReg writes only regular files and will not replace it (choose another {option})");
        }
    }

    /// <summary>The nearest existing folder above <paramref name="path"/>; a file on the way is an error.</summary>
    private static string ExistingAncestor(string path, string option)
    {
        var current = Path.GetFullPath(path);
        while (true)
        {
            var parent = Path.GetDirectoryName(current);
            if (parent is null)
            {
                return current;
            }

            var kind = FileKinds.Of(parent);
            if (kind == FileKind.Directory)
            {
                return parent;
            }

            if (kind != FileKind.Missing)
            {
                throw new LogRegDataException(parent, $"is {(kind == FileKind.Regular ? "a file" : FileKinds.Describe(kind))}, so the folder {path} cannot be created ({option})");
            }

            current = parent;
        }
    }

    /// <summary>Creates and removes a hidden file in <paramref name="folder"/>: permissions, read-only mounts and ACLs all answer.</summary>
    private static void EnsureWritable(string folder, string named, string option)
    {
        var probe = Path.Combine(folder, $".logreg-write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new LogRegDataException(named, $"cannot be written: the folder {folder} does not accept new files ({e.Message.TrimEnd('.')}); choose another {option}", e);
        }
    }
}
