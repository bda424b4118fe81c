using System.Text.Json;
using LogReg.Experiments;
using LogReg.Reporting;
using LogReg.Runs;

namespace LogReg.Cli.Serve;

/// <summary>A run or experiment folder under the runs folder, as the Runs view lists it.</summary>
internal sealed record RunEntry(string Id, string Kind, double? TestAccuracy, int? Epochs, bool HasReport, bool HasHistory, bool HasModel, DateTime Modified);

/// <summary>
/// The one way a request reaches a file: a relative path checked to stay inside the runs folder. Refused: absolute
/// paths, backslashes, empty, "." and ".." segments, hidden names, percent signs left after the URL was decoded once
/// (a second encoding of a separator or a dot), file types that are not a run's outputs, and symbolic links anywhere
/// on the way (a link inside the folder may point anywhere).
/// </summary>
internal sealed class RunsFolder
{
    private const int MaxDepth = 4;
    private const int MaxPathLength = 1024;

    /// <summary>What a run folder holds that the page may read: its report, results, figures.</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".yaml"] = "text/yaml; charset=utf-8",
        [".png"] = "image/png",
    };

    public RunsFolder(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

        // The folder given may itself be a link (a user's choice): what is under its target is what is served.
        Root = Directory.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }

    public string Root { get; }

    /// <summary>The content type of a file the page may read, or null.</summary>
    public static string? ContentType(string path) => ContentTypes.GetValueOrDefault(Path.GetExtension(path));

    /// <summary>The full path of <paramref name="relative"/> inside the runs folder, or null and why it is refused.</summary>
    public string? Resolve(string? relative, out string problem)
    {
        problem = "";
        if (string.IsNullOrEmpty(relative) || relative.Length > MaxPathLength)
        {
            problem = "a path inside the runs folder is needed";
            return null;
        }

        if (relative.Contains('\\', StringComparison.Ordinal) || relative.Contains('%', StringComparison.Ordinal) || relative.Contains(':', StringComparison.Ordinal)
            || relative.Any(char.IsControl) || relative.StartsWith('/') || Path.IsPathRooted(relative))
        {
            problem = "the path must be relative to the runs folder, with '/' between names";
            return null;
        }

        var segments = relative.Split('/');
        if (segments.Any(s => s.Length == 0 || s.StartsWith('.')))
        {
            problem = "the path may not contain empty, '.', '..' or hidden names";
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problem = "the path leads outside the runs folder";
            return null;
        }

        var current = Root;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            // LinkTarget is null for anything that is not a link, including what does not exist (then a 404 follows).
            if (new FileInfo(current).LinkTarget is not null)
            {
                problem = "the path goes through a symbolic link";
                return null;
            }
        }

        return full;
    }

    /// <summary>A file the page may read (a run's outputs), or null and why not.</summary>
    public string? ResolveFile(string? relative, out string problem)
    {
        var full = Resolve(relative, out problem);
        if (full is null)
        {
            return null;
        }

        if (ContentType(full) is null)
        {
            problem = "only a run's reports and results (.html, .json, .csv, .md, .yaml, .png) are served";
            return null;
        }

        return full;
    }

    /// <summary>The relative id (with '/') of a folder under the runs folder.</summary>
    public string IdOf(string directory) => Path.GetRelativePath(Root, directory).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Every run and experiment folder up to four levels down, newest first; links and hidden folders are skipped.</summary>
    public IReadOnlyList<RunEntry> List()
    {
        var entries = new List<RunEntry>();
        if (Directory.Exists(Root))
        {
            Walk(Root, 0, entries);
        }

        return [.. entries.OrderByDescending(e => e.Modified).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    private void Walk(string directory, int depth, List<RunEntry> entries)
    {
        if (depth > 0)
        {
            var isExperiment = File.Exists(Path.Combine(directory, ExperimentRunner.ManifestFile));
            var hasModel = File.Exists(Path.Combine(directory, RunFiles.Model));
            if (isExperiment || hasModel)
            {
                entries.Add(Describe(directory, isExperiment ? "experiment" : "run", hasModel));
            }
        }

        if (depth >= MaxDepth)
        {
            return;
        }

        var options = new EnumerationOptions { AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden, IgnoreInaccessible = true };
        foreach (var child in Directory.EnumerateDirectories(directory, "*", options).Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(child).StartsWith('.'))
            {
                Walk(child, depth + 1, entries);
            }
        }
    }

    private RunEntry Describe(string directory, string kind, bool hasModel)
    {
        double? testAccuracy = null;
        int? epochs = null;
        var metrics = Path.Combine(directory, RunFiles.Metrics);
        try
        {
            if (File.Exists(metrics) && new FileInfo(metrics).Length < 1 << 20)
            {
                using var json = JsonDocument.Parse(File.ReadAllBytes(metrics));
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (json.RootElement.TryGetProperty("test_accuracy", out var a) && a.ValueKind == JsonValueKind.Number)
                    {
                        testAccuracy = a.GetDouble();
                    }

                    if (json.RootElement.TryGetProperty("epochs_run", out var e) && e.ValueKind == JsonValueKind.Number)
                    {
                        epochs = e.GetInt32();
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            // A damaged metrics.json only loses the figure in the list; the run is still shown.
        }

        return new RunEntry(
            IdOf(directory),
            kind,
            testAccuracy,
            epochs,
            File.Exists(Path.Combine(directory, ReportWriter.HtmlFile)),
            File.Exists(Path.Combine(directory, RunFiles.HistoryJson)),
            hasModel,
            Directory.GetLastWriteTimeUtc(directory));
    }
}
