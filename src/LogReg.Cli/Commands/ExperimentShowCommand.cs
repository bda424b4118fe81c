using System.CommandLine;
using System.Globalization;
using LogReg.Data;
using LogReg.Experiments;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg experiment show DIR</c>: an experiment's results table and how far it got.</summary>
public static class ExperimentShowCommand
{
    public static Command Create(CliEnvironment env)
    {
        var directory = new Argument<string>("DIR") { Description = "An experiment folder (runs/NAME)" };
        var command = new Command("show", "Show an experiment's results") { directory };
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var path = env.ResolvePath(parseResult.GetRequiredValue(directory));
            if (!File.Exists(Path.Combine(path, ExperimentRunner.ManifestFile)))
            {
                throw new LogRegDataException(path, "not an experiment folder (no experiment.json): run one with logreg experiment run FILE");
            }

            var (_, dataset, total) = ExperimentListCommand.Manifest(path);
            var markdown = Path.Combine(path, ExperimentResults.MarkdownFile);
            if (!File.Exists(markdown))
            {
                throw new LogRegDataException(path, "no results yet: finish it with logreg experiment run SPEC --resume");
            }

            var (finished, _) = ExperimentListCommand.Summary(path);
            env.Output.Write(DataFile.ReadAllText(markdown, Common.Limits.MaxResultsFileBytes));
            env.Output.WriteLine();
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dataset {dataset}; {finished} of {total} runs finished; folder {path}"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
