using System.Runtime.InteropServices;

namespace LogReg.Common;

/// <summary>What a path names, as stat(2) sees it after following symbolic links.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>
/// Tells a regular file from a FIFO, a device or a socket before LogReg opens it: opening a FIFO for reading blocks
/// until some other process writes to it, and reading /dev/zero never ends, so every input path and every output
/// target is checked first. .NET has no API for the file type, so this asks the runtime's own native shim
/// (libSystem.Native, which FileStream itself uses): its FileStatus starts with Flags and Mode on every Unix, with the
/// S_IFMT values normalised to Linux's.
/// </summary>
internal static partial class FileKinds
{
    private const int TypeMask = 0xF000;

    /// <summary>What <paramref name="path"/> is; <see cref="FileKind.Missing"/> when it does not exist or cannot be examined.</summary>
    public static FileKind Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }

        // FileStatus is 112 bytes in .NET 10; the buffer leaves room for fields a later runtime may add.
        Span<byte> status = stackalloc byte[512];
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A runtime without the shim: fall back to what .NET can tell (files and folders only).
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }

        if (result != 0)
        {
            return FileKind.Missing;
        }

        var mode = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(status[4..]);
        if (!BitConverter.IsLittleEndian)
        {
            mode = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mode);
        }

        return (mode & TypeMask) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    /// <summary>"a FIFO (named pipe)", "a character device", ... for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Directory => "a directory",
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        _ => "not a regular file",
    };

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Stat(string path, Span<byte> status);
}
