using System.Diagnostics;
using System.Runtime.Versioning;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// Runs <c>logreg</c> on a file or folder it is not allowed to read. Root reads everything whatever the mode, and these
/// tests run as root here and in CI, so as root the run is a child process under the unprivileged user 65534 (nobody)
/// through <c>setpriv</c>; as anyone else the mode is 0000 and the run is in-process. Where neither can be arranged
/// the test is skipped, saying why, rather than passing without having tried.
/// </summary>
public static class Unreadable
{
    private const string Nobody = "65534";

    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly Lazy<string?> WhyNot = new(Probe);

    /// <summary>True when the runs go through setpriv as user 65534 (we are root).</summary>
    public static bool AsOtherUser => OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;

    /// <summary>
    /// Makes <paramref name="path"/> (a file or folder inside <paramref name="folder"/>) unreadable, runs logreg with
    /// <paramref name="args"/>, and makes it readable again so the folder can be inspected and deleted.
    /// </summary>
    public static CliResult Run(TempDirectory folder, string path, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithMode(folder, path, UnixFileMode.None, environment, args);

    /// <summary>
    /// Makes the folder <paramref name="path"/> read-only (0555: listable, not writable) for the run, as
    /// <see cref="Run"/> does with unreadable paths.
    /// </summary>
    public static CliResult RunInReadOnlyFolder(TempDirectory folder, string path, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWithMode(folder, path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, environment, args);

    private static CliResult RunWithMode(TempDirectory folder, string path, UnixFileMode mode, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (OperatingSystem.IsWindows() || WhyNot.Value is not null)
        {
            throw new SkipException(WhyNot.Value ?? "file modes are a Unix feature");
        }

        OpenUp(folder.Path);
        File.SetUnixFileMode(path, mode);
        try
        {
            return AsOtherUser ? RunAsNobody(folder.Path, environment, args) : Cli.Run(environment, args);
        }
        finally
        {
            File.SetUnixFileMode(path, Directory.Exists(path) ? Traversable : Readable);
        }
    }

    /// <summary>Lets another user into the folder: folders 0755, files 0644, so only the path made unreadable is refused.</summary>
    [UnsupportedOSPlatform("windows")]
    private static void OpenUp(string root)
    {
        File.SetUnixFileMode(root, Traversable);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? Traversable : Readable);
        }
    }

    private static CliResult RunAsNobody(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args) =>
        RunAs(workingDirectory, environment, Cli.Command(args));

    private static CliResult RunAs(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] command)
    {
        var start = Cli.StartInfo(environment, ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", .. command]);
        start.WorkingDirectory = workingDirectory;
        return Cli.RunToEnd(start);
    }

    /// <summary>Null when unreadable files can be tested here, else the reason they cannot.</summary>
    private static string? Probe()
    {
        if (OperatingSystem.IsWindows())
        {
            return "file modes are a Unix feature";
        }

        using var folder = new TempDirectory();
        var probe = folder.WriteText("probe.txt", "probe");
        if (!AsOtherUser)
        {
            File.SetUnixFileMode(probe, UnixFileMode.None);
            try
            {
                using var stream = File.OpenRead(probe);
                return $"this user ({Environment.UserName}) reads files of mode 0000, so nothing here is unreadable";
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        // As root, the other user must be able to start logreg, to read the test's temp folder, and must be refused a
        // file of mode 0000; checked with cat so that the product's own messages are not what decides.
        var readable = folder.WriteText("readable.txt", "readable");
        OpenUp(folder.Path);
        File.SetUnixFileMode(probe, UnixFileMode.None);
        var none = new Dictionary<string, string>();
        try
        {
            var started = RunAsNobody(folder.Path, none, ["--version"]);
            if (started.ExitCode != 0)
            {
                return $"logreg does not start as user {Nobody} through setpriv (exit code {started.ExitCode}): {started.Error.Trim()}";
            }

            if (RunAs(folder.Path, none, ["cat", readable]).ExitCode != 0)
            {
                return $"user {Nobody} cannot read the test's temp folder {folder.Path}";
            }

            return RunAs(folder.Path, none, ["cat", probe]).ExitCode == 0 ? $"user {Nobody} reads files of mode 0000" : null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"setpriv is not available to run logreg as user {Nobody}: {e.Message}";
        }
    }
}
