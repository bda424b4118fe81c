using System.CommandLine;
using System.Globalization;
using LogReg.Data;
using LogReg.Reporting;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg report DIR</c>: writes report.html (self-contained, opens offline), report.json and the figures as PNG
/// files into a run or experiment folder, from what the folder holds. train and experiment run write the same report at
/// the end from what they hold in memory.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var directory = new Argument<string>("DIR") { Description = "A run folder (from logreg train) or an experiment folder (from logreg experiment run)" };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "Where the images are, when the model was trained on a folder [default: the dataset the run names]", HelpName = "NAME|DIR" };
        var command = new Command("report", "Write report.html with charts and images (and report.json, figures/*.png) for a run or an experiment") { directory, dataset };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var path = env.ResolvePath(parseResult.GetRequiredValue(directory));
            DataFile.EnsureReadableDirectory(path);

            if (!ReportBuilder.IsRun(path) && !ReportBuilder.IsExperiment(path))
            {
                throw new LogRegDataException(path, "neither a run folder (model.json) nor an experiment folder (experiment.json): pass a folder written by logreg train or logreg experiment run");
            }

            var location = parseResult.GetValue(dataset) is { } d ? (Directory.Exists(env.ResolvePath(d)) ? env.ResolvePath(d) : d) : null;
            Write(env, path, new ReportDataSource(DataServices.Loader(env, parseResult, cancellationToken), location));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>Loads a run or experiment folder, builds and writes its report, and says where it is: only logreg report DIR reads a report's input from disk.</summary>
    internal static void Write(CliEnvironment env, string directory, ReportDataSource data) =>
        Write(env, directory, ReportBuilder.IsExperiment(directory) ? ReportBuilder.ForExperiment(directory, data) : ReportBuilder.ForRun(directory, data));

    /// <summary>Writes a report built in memory into <paramref name="directory"/>, and says where it is.</summary>
    internal static void Write(CliEnvironment env, string directory, Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = ReportWriter.Write(directory, report, ReportScripts.Assets);
        foreach (var note in report.Document.Notes)
        {
            env.Warn("report: " + note);
        }

        env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report: {html} (and {ReportWriter.JsonFile}, {report.Figures.Count} figures in {ReportBuilder.FiguresFolder}/)"));
    }

    /// <summary>The --no-report option of the commands that write a report when they finish.</summary>
    internal static Option<bool> NoReportOption() => new("--no-report") { Description = "Do not write report.html at the end" };
}
