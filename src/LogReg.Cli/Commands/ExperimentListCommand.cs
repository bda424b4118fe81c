using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LogReg.Experiments;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg experiment list</c>: the spec files in a folder (presets) and the experiments run so far.</summary>
public static class ExperimentListCommand
{
    public static Command Create(CliEnvironment env)
    {
        var runs = new Option<string>("--runs") { Description = "Folder of experiment results", DefaultValueFactory = _ => "runs", HelpName = "DIR" };
        var specs = new Option<string>("--specs") { Description = "Folder of spec files (presets)", DefaultValueFactory = _ => "experiments", HelpName = "DIR" };
        var command = new Command("list", "List experiment specs (presets) and experiments run so far") { runs, specs };
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var specsDir = env.ResolvePath(parseResult.GetRequiredValue(specs));
            var runsDir = env.ResolvePath(parseResult.GetRequiredValue(runs));
            var presets = new Table().Border(TableBorder.Simple).AddColumn("Spec").AddColumn("Name").AddColumn("Description");
            var specFiles = Directory.Exists(specsDir) ? Directory.GetFiles(specsDir, "*.yaml").Order(StringComparer.Ordinal).ToArray() : [];
            foreach (var path in specFiles)
            {
                try
                {
                    var spec = ExperimentSpecReader.Read(path);
                    presets.AddRow(Markup.Escape(Path.GetRelativePath(env.CurrentDirectory, path)), Markup.Escape(spec.Name), Markup.Escape(FirstSentence(spec.Description)));
                }
                catch (LogReg.Data.LogRegDataException e)
                {
                    presets.AddRow(Markup.Escape(Path.GetRelativePath(env.CurrentDirectory, path)), "[red]invalid[/]", Markup.Escape(e.Problem));
                }
            }

            env.Output.WriteLine(specFiles.Length == 0 ? $"no spec files in {specsDir}" : $"specs in {specsDir}:");
            if (specFiles.Length > 0)
            {
                env.Console.Write(presets);
            }

            var results = new Table().Border(TableBorder.Simple).AddColumn("Experiment").AddColumn("Dataset").AddColumn(new TableColumn("Runs").RightAligned()).AddColumn("Best");
            var found = Directory.Exists(runsDir) ? Directory.GetDirectories(runsDir).Where(d => File.Exists(Path.Combine(d, ExperimentRunner.ManifestFile))).Order(StringComparer.Ordinal).ToArray() : [];
            foreach (var directory in found)
            {
                var (name, dataset, total) = Manifest(directory);
                var (finished, best) = Summary(directory);
                results.AddRow(Markup.Escape(Path.GetRelativePath(env.CurrentDirectory, directory)), Markup.Escape(dataset), string.Create(CultureInfo.InvariantCulture, $"{finished}/{total}"), Markup.Escape(best));
                _ = name;
            }

            env.Output.WriteLine(found.Length == 0 ? $"no experiments run in {runsDir} yet" : $"experiments in {runsDir}:");
            if (found.Length > 0)
            {
                env.Console.Write(results);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The description's first sentence, cut to fit a table cell.</summary>
    internal static string FirstSentence(string description)
    {
        const int Width = 90;
        var text = description.ReplaceLineEndings(" ").Trim();
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var stop = text.IndexOf(". ", StringComparison.Ordinal);
        var end = new[] { colon, stop }.Where(i => i > 0).DefaultIfEmpty(text.Length).Min();
        text = text[..end].TrimEnd('.', ',');
        return text.Length <= Width ? text : string.Concat(text.AsSpan(0, Width - 1).TrimEnd(), "…");
    }

    internal static (string Name, string Dataset, int Runs) Manifest(string directory)
    {
        var path = Path.Combine(directory, ExperimentRunner.ManifestFile);
        try
        {
            using var document = JsonDocument.Parse(LogReg.Data.DataFile.ReadAllBytes(path, Common.Limits.MaxResultsFileBytes));
            var root = document.RootElement;
            return (root.GetProperty("name").GetString() ?? "", root.GetProperty("dataset").GetString() ?? "", root.GetProperty("runs").GetInt32());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new LogReg.Data.LogRegDataException(path, "not a valid experiment manifest");
        }
    }

    /// <summary>Finished runs and the best point, from results.json when present.</summary>
    internal static (int Finished, string Best) Summary(string directory)
    {
        var path = Path.Combine(directory, ExperimentResults.JsonFile);
        if (!File.Exists(path))
        {
            return (0, "no results yet");
        }

        try
        {
            return ReadSummary(path);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogReg.Data.LogRegDataException(path, $"not a valid results file ({e.Message.Split('.', '\n')[0]}); rerun the experiment with --resume to write it again");
        }
    }

    private static (int Finished, string Best) ReadSummary(string path)
    {
        using var document = JsonDocument.Parse(LogReg.Data.DataFile.ReadAllBytes(path, Common.Limits.MaxResultsFileBytes));
        var root = document.RootElement;
        var finished = root.GetProperty("finished_runs").GetInt32();
        var select = root.GetProperty("select").GetString() ?? "val_accuracy";
        if (!root.TryGetProperty("best_point", out var bestId))
        {
            return (finished, "-");
        }

        var best = root.GetProperty("points").EnumerateArray().First(p => p.GetProperty("id").GetString() == bestId.GetString());
        var parameters = string.Join(", ", best.GetProperty("params").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
        var value = best.GetProperty("mean_" + select);
        var text = value.ValueKind == JsonValueKind.Number ? value.GetDouble().ToString("0.0000", CultureInfo.InvariantCulture) : "-";
        return (finished, $"{select.Replace('_', ' ')} {text}{(parameters.Length > 0 ? $" ({parameters})" : "")}");
    }
}
