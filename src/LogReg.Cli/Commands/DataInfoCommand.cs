using System.CommandLine;
using System.Globalization;
using LogReg.Data;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg data info NAME</c>: image shape, counts per class with class names, pixel mean and std.</summary>
public static class DataInfoCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = DataCommand.NameArgument();
        var split = new Option<string>("--split")
        {
            Description = "Which split to describe",
            DefaultValueFactory = _ => "all",
        };
        split.AcceptOnlyFromAmong("train", "test", "all");
        var command = new Command("info", "Describe a dataset: image shape, images per class with class names, pixel mean and std") { name, split };
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var loader = DataServices.Loader(env, parseResult);
            Write(env, loader, parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(split));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(CliEnvironment env, DatasetLoader loader, string name, string which)
    {
        DatasetSplit[] splits = which switch
        {
            "train" => [DatasetSplit.Train],
            "test" => [DatasetSplit.Test],
            _ => [DatasetSplit.Train, DatasetSplit.Test],
        };
        var loaded = new List<Dataset>();
        var missing = new List<LogRegDataException>();
        foreach (var split in splits)
        {
            try
            {
                loaded.Add(loader.Load(name, split));
            }
            catch (SplitNotFoundException e) when (splits.Length > 1)
            {
                missing.Add(e);
            }
        }

        if (loaded.Count == 0)
        {
            // Neither split: the first one's reason says where we looked, which is what the user needs.
            throw missing[0];
        }

        var first = loaded[0];
        var definition = DatasetRegistry.Find(name);
        env.Console.WriteLine(definition is null ? first.Provenance.Name : $"{definition.Name}: {definition.Title}");
        env.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"image shape {first.Shape}, {first.ClassCount} classes"));
        foreach (var line in missing)
        {
            env.Output.WriteLine($"not available: {line.Message}");
        }

        var splitsTable = new Table().Border(TableBorder.Simple)
            .AddColumn("Split").AddColumn(new TableColumn("Images").RightAligned())
            .AddColumn(new TableColumn("Pixel mean").RightAligned()).AddColumn(new TableColumn("Pixel std").RightAligned())
            .AddColumn("Checksum").AddColumn("Source");
        foreach (var data in loaded)
        {
            var (mean, std) = data.PixelStatistics();
            var status = data.Provenance.Files.All(f => f.Checksum == ChecksumStatus.Verified) ? "verified"
                : data.Provenance.Files.Any(f => f.Checksum == ChecksumStatus.Mismatch) ? "differs from canonical"
                : "no reference";
            splitsTable.AddRow(
                data.Provenance.Split,
                data.Count.ToString(CultureInfo.InvariantCulture),
                mean.ToString("0.00", CultureInfo.InvariantCulture),
                std.ToString("0.00", CultureInfo.InvariantCulture),
                status,
                Markup.Escape(Path.GetDirectoryName(data.Provenance.Files[0].Path) ?? ""));
        }

        env.Console.Write(splitsTable);

        var classTable = new Table().Border(TableBorder.Simple).AddColumn(new TableColumn("Class").RightAligned()).AddColumn("Name");
        foreach (var data in loaded)
        {
            classTable.AddColumn(new TableColumn(data.Provenance.Split).RightAligned());
        }

        var counts = loaded.Select(d => d.ClassCounts()).ToArray();
        var classCount = loaded.Max(d => d.ClassCount);
        var names = loaded.MaxBy(d => d.ClassCount)!.ClassNames;
        for (var c = 0; c < classCount; c++)
        {
            var row = new List<string> { c.ToString(CultureInfo.InvariantCulture), Markup.Escape(names[c]) };
            row.AddRange(counts.Select(k => c < k.Length ? k[c].ToString(CultureInfo.InvariantCulture) : "0"));
            classTable.AddRow(row.ToArray());
        }

        var total = new List<string> { "", "total" };
        total.AddRange(loaded.Select(d => d.Count.ToString(CultureInfo.InvariantCulture)));
        classTable.AddRow(total.ToArray());
        env.Console.Write(classTable);
    }
}
