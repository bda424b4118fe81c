using System.Globalization;
using System.Text.Json;
using LogReg.Data;
using LogReg.Runs;

namespace LogReg.Experiments;

/// <summary>The experiment that the shard folders of a merge hold: its spec (text and parsed) and how many shards it was split into.</summary>
public sealed record MergeSources(ExperimentSpec Spec, string SpecText, string SpecHash, int? ShardCount, int Manifests, int RunsCopied);

/// <summary>
/// The first half of <c>logreg experiment merge</c>: checks that the folders hold shards (or whole runs) of one and the
/// same spec, and gathers their finished runs into the output folder. The second half, results and retraining, is the
/// runner's (<see cref="ExperimentRunOptions.Collect"/>).
/// </summary>
public static class ExperimentMerge
{
    /// <summary>The shard manifests in a folder: shard-I-of-N.json.</summary>
    public const string ShardManifestPattern = "shard-*-of-*.json";

    /// <exception cref="LogRegDataException">A folder holds no experiment, a manifest is malformed, the folders hold different specs, or a run was made by another spec.</exception>
    public static MergeSources Gather(IReadOnlyList<string> directories, string output)
    {
        ArgumentNullException.ThrowIfNull(directories);
        ArgumentNullException.ThrowIfNull(output);
        if (directories.Count == 0)
        {
            throw new ArgumentException("name at least one experiment folder to merge");
        }

        output = Path.GetFullPath(output);
        var manifests = new List<(string Path, string Hash, string Dataset, string SpecText, string SpecFile, int? Shards)>();
        foreach (var directory in directories.Select(Path.GetFullPath))
        {
            if (!Directory.Exists(directory))
            {
                throw new LogRegDataException(directory, "no such folder");
            }

            var found = Directory.GetFiles(directory, ShardManifestPattern).Order(StringComparer.Ordinal).ToList();
            var whole = Path.Combine(directory, ExperimentRunner.ManifestFile);
            if (File.Exists(whole))
            {
                found.Add(whole);
            }

            if (found.Count == 0)
            {
                throw new LogRegDataException(directory, "holds no shard-I-of-N.json or experiment.json: not an experiment folder, or none of its shards has started");
            }

            manifests.AddRange(found.Select(ReadManifest));
        }

        var first = manifests[0];
        if (manifests.FirstOrDefault(m => m.Hash != first.Hash) is { Path: not null } other)
        {
            throw new LogRegDataException(other.Path, $"ran a different spec (or dataset) from {first.Path} (sha256 {other.Hash[..12]}… and {first.Hash[..12]}…): merge only the shards of one experiment");
        }

        var spec = ExperimentSpecReader.Parse(first.SpecText, first.SpecFile) with { Dataset = first.Dataset };
        var counts = manifests.Where(m => m.Shards is not null).Select(m => m.Shards!.Value).Distinct().ToList();
        var copied = 0;
        foreach (var directory in directories.Select(Path.GetFullPath).Distinct().Where(d => d != output))
        {
            copied += CopyRuns(spec, first.Hash, directory, output);
        }

        return new MergeSources(spec, first.SpecText, first.Hash, counts.Count == 1 ? counts[0] : null, manifests.Count, copied);
    }

    private static (string Path, string Hash, string Dataset, string SpecText, string SpecFile, int? Shards) ReadManifest(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var hash = root.GetProperty("spec_sha256").GetString() ?? throw new InvalidOperationException();
            var dataset = root.GetProperty("dataset").GetString() ?? throw new InvalidOperationException();
            var specFile = root.TryGetProperty("spec_file", out var f) ? f.GetString() ?? "" : "";
            if (Path.GetFileName(path) == ExperimentRunner.ManifestFile)
            {
                // A whole experiment keeps its spec beside the manifest.
                var copy = Path.Combine(Path.GetDirectoryName(path)!, ExperimentRunner.SpecCopyFile);
                if (!File.Exists(copy))
                {
                    throw new LogRegDataException(Path.GetDirectoryName(path)!, $"has {ExperimentRunner.ManifestFile} but no {ExperimentRunner.SpecCopyFile}");
                }

                return (path, hash, dataset, File.ReadAllText(copy), copy, null);
            }

            var text = root.GetProperty("spec").GetString() ?? throw new InvalidOperationException();
            return (path, hash, dataset, text, specFile.Length > 0 ? specFile : path, root.GetProperty("shards").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogRegDataException(path, "not a valid experiment or shard manifest", e);
        }
    }

    /// <summary>
    /// Copies the finished runs of <paramref name="source"/> that <paramref name="output"/> lacks: each into a
    /// temporary folder first, renamed into place once whole, so an interrupted merge never leaves half a run.
    /// </summary>
    private static int CopyRuns(ExperimentSpec spec, string hash, string source, string output)
    {
        var copied = 0;
        foreach (var point in GridPoint.Expand(spec))
        {
            foreach (var seed in spec.Seeds)
            {
                for (var fold = 0; fold < spec.Validation.RunsPerSeed; fold++)
                {
                    var relative = new RunKey(point, seed, fold).RelativeDirectory;
                    var from = Path.Combine(source, relative);
                    var to = Path.Combine(output, relative);
                    if (!File.Exists(Path.Combine(from, RunFiles.Metrics)) || File.Exists(Path.Combine(to, RunFiles.Metrics)))
                    {
                        continue;
                    }

                    var hashFile = Path.Combine(from, ExperimentRunner.RunSpecHashFile);
                    if (File.Exists(hashFile) && File.ReadAllText(hashFile).Trim() != hash)
                    {
                        throw new LogRegDataException(from, "this run was made by a different spec (or dataset) than the shards' manifests name");
                    }

                    var parent = Path.GetDirectoryName(to)!;
                    Directory.CreateDirectory(parent);
                    var temporary = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(to)}.{Guid.NewGuid():N}.tmp"));
                    Directory.CreateDirectory(temporary);
                    foreach (var file in Directory.GetFiles(from))
                    {
                        File.Copy(file, Path.Combine(temporary, Path.GetFileName(file)));
                    }

                    if (Directory.Exists(to))
                    {
                        Directory.Delete(to, recursive: true); // an unfinished run (no metrics.json)
                    }

                    Directory.Move(temporary, to);
                    copied++;
                }
            }
        }

        return copied;
    }
}
