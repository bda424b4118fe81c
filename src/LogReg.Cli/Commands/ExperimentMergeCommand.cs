using System.CommandLine;
using System.Globalization;
using LogReg.Experiments;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg experiment merge DIR...</c>: the finished runs of an experiment's shards (in one folder or several) into
/// one folder with results.csv, results.md, results.json and the report, as a single-machine run would have written.
/// </summary>
public static class ExperimentMergeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var directories = new Argument<string[]>("DIR") { Description = "The experiment folder the shards wrote into (or each shard's folder)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the merged experiment [default: the first DIR]", HelpName = "DIR" };
        output.AcceptLegalFilePathsOnly();
        var partial = new Option<bool>("--partial") { Description = "Write the results of the runs that finished even when some are missing" };
        var noReport = ReportCommand.NoReportOption();
        var command = new Command("merge", "Merge the shards of an experiment (logreg experiment run --shard) into its results") { directories, output, partial, noReport };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var folders = parseResult.GetRequiredValue(directories).Select(env.ResolvePath).ToArray();
            var target = parseResult.GetValue(output) is { } o ? env.ResolvePath(o) : folders[0];
            var sources = ExperimentMerge.Gather(folders, target);
            var options = new ExperimentRunOptions { Collect = true, Resume = true, Partial = parseResult.GetValue(partial), ShardCount = sources.ShardCount };
            var loader = DataServices.Loader(env, parseResult, cancellationToken);
            var outcome = new ExperimentRunner(sources.Spec, loader, target, options, sources.SpecText).Run(null, cancellationToken);
            env.Output.Write(outcome.Results.ToMarkdown());
            env.Output.WriteLine();
            var shards = sources.ShardCount is { } n ? string.Create(CultureInfo.InvariantCulture, $" from {n} shards") : "";
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"merged {outcome.Finished} of {outcome.Total} runs{shards} ({sources.RunsCopied} copied from other folders), spec sha256 {sources.SpecHash[..12]}…"));
            env.Output.WriteLine($"saved {Path.Combine(outcome.Directory, ExperimentResults.MarkdownFile)} (and {ExperimentResults.CsvFile}, {ExperimentResults.JsonFile})");
            if (outcome.Finished < outcome.Total)
            {
                env.Warn(string.Create(CultureInfo.InvariantCulture, $"partial results: {outcome.Total - outcome.Finished} of {outcome.Total} runs are missing"));
            }

            if (!parseResult.GetValue(noReport))
            {
                // The runs came from the shards' folders, read as the runner gathered them; the report draws what the outcome keeps.
                ReportCommand.Write(env, outcome.Directory, Reporting.ReportBuilder.ForExperiment(new Reporting.ExperimentForReport(outcome.Directory, outcome.Results), new Reporting.ReportDataSource(loader)));
            }

            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
