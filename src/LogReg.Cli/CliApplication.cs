using System.CommandLine;
using System.CommandLine.Help;
using LogReg.Cli.Commands;

namespace LogReg.Cli;

/// <summary>Builds the <c>logreg</c> command tree and runs it.</summary>
public static class CliApplication
{
    /// <summary>
    /// The command tree. The root is a plain command named "logreg" (a RootCommand would take the assembly's name,
    /// LogReg.Cli, for its usage line) with the help and version options a RootCommand brings.
    /// </summary>
    public static Command BuildRoot(CliEnvironment env)
    {
        var root = new Command("logreg", "LogReg: train and study logistic and softmax regression classifiers on MNIST-style image datasets.");
        root.Add(new HelpOption());
        root.Add(new VersionOption());
        root.Add(CommonOptions.DataDir);
        root.Add(CommonOptions.NoDownload);
        root.Add(CommonOptions.Label);
        root.Add(TrainCommand.Create(env));
        root.Add(EvalCommand.Create(env));
        root.Add(PredictCommand.Create(env));
        root.Add(ExportCommand.Create(env));
        root.Add(ExperimentCommand.Create(env));
        root.Add(ReportCommand.Create(env));
        root.Add(DataCommand.Create(env));
        root.Add(BenchCommand.Create(env));
        root.Add(ServeCommand.Create(env));
        root.Add(ReproduceCommand.Create(env));
        root.SetAction(parseResult =>
        {
            new HelpAction().Invoke(parseResult);
            return ExitCodes.Ok;
        });
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the chosen command; returns the exit code. <paramref name="interrupt"/>
    /// asks the command to stop and save what it has (the executable signals it on Ctrl+C: see <see cref="Interruption"/>).
    /// </summary>
    public static int Run(string[] args, CliEnvironment env, CancellationToken interrupt = default)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = BuildRoot(env);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // The most specific error first: an unknown token says more than "required command was not provided".
            var error = parseResult.Errors.FirstOrDefault(e => e.Message.Contains('\'', StringComparison.Ordinal)) ?? parseResult.Errors[0];
            env.Error.WriteLine($"error: {CommandRunner.OneLine(error.Message)} (see '{CommandPath(parseResult)} --help')");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = env.Output,
            Error = env.Error,
            EnableDefaultExceptionHandler = false,

            // Ctrl+C is ours: System.CommandLine would end the process two seconds after the first one, which may be
            // in the middle of saving the model and the report.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return parseResult.InvokeAsync(configuration, interrupt).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            return CommandRunner.Report(env, e);
        }
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
