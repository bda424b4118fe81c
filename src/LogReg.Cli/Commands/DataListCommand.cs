using System.CommandLine;
using LogReg.Common;
using LogReg.Data;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg data list</c>: each registered dataset, where it was found (or "not found"), its files and sizes.</summary>
public static class DataListCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("list", "List the registered datasets, where each was found, and its files");
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var locator = DataServices.Locator(env, parseResult.GetValue(CommonOptions.DataDir));
            Write(env, locator);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(CliEnvironment env, DataLocator locator)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("Dataset").AddColumn("Description").AddColumn("Found in").AddColumn("Files");
        foreach (var definition in DatasetRegistry.All)
        {
            var locations = locator.FindAll(definition);
            var primary = locations.FirstOrDefault(l => l.IsComplete) ?? (locations.Count > 0 ? locations[0] : null);
            string where;
            string files;
            if (primary is null)
            {
                where = definition.CanDownload ? $"not found (logreg data fetch {definition.Name})" : "not found";
                files = "";
            }
            else
            {
                where = $"{primary.Source}: {primary.Directory}{(primary.IsComplete ? "" : " (incomplete)")}";
                files = string.Join('\n', definition.Files.Select(f => primary.PathOf(f.Role) is { } path
                    ? $"{Path.GetFileName(path)}  {Invariant.Bytes(new FileInfo(path).Length)}"
                    : $"{f.FileName}  missing"));
            }

            table.AddRow(
                new Markup(Markup.Escape(definition.Name)),
                new Markup(Markup.Escape(definition.Title)),
                new Markup(Markup.Escape(where)),
                new Markup(Markup.Escape(files)));
        }

        env.Console.Write(table);
        env.Console.WriteLine($"Look-up order: --data-dir, ${DataLocator.DataDirVariable}, the cache ({locator.CacheDirectory}), local installs, then download.");
    }
}
