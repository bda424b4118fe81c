using LogReg.Common;
using LogReg.Data;

namespace LogReg.Export;

/// <summary>
/// Where an export goes: an existing folder, a file name that is not a folder, written atomically. A target that
/// cannot be written is the user's input to fix, so it is a <see cref="LogRegDataException"/> naming it, checked before
/// anything is written. Unlike a run folder, a missing folder is not created: a mistyped path should not make one.
/// </summary>
public static class ExportTarget
{
    /// <summary>Writes an export to <paramref name="path"/> atomically through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Check(path);
        try
        {
            AtomicFile.Write(path, write);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LogRegDataException(path, $"cannot write it: permission denied in {FolderOf(path)}", e);
        }
    }

    /// <summary>Throws when <paramref name="path"/> is a folder or its folder does not exist.</summary>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw new LogRegDataException(path, "is a folder; give the name of the file to write, e.g. model.onnx inside it");
        }

        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new LogRegDataException(path, "names a folder (it ends in a slash); give the name of the file to write");
        }

        var folder = FolderOf(path);
        if (!Directory.Exists(folder))
        {
            throw new LogRegDataException(path, File.Exists(folder) ? $"{folder} is a file, not a folder" : $"the folder {folder} does not exist; create it first");
        }
    }

    private static string FolderOf(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;
}
