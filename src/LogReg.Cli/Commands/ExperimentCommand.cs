using System.CommandLine;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg experiment</c>: run, list and show experiments described by spec files.</summary>
public static class ExperimentCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("experiment", "Run grids of trainings with cross-validation from a spec file, and look at their results");
        command.Add(ExperimentRunCommand.Create(env));
        command.Add(ExperimentListCommand.Create(env));
        command.Add(ExperimentShowCommand.Create(env));
        command.Add(ExperimentMergeCommand.Create(env));
        command.Add(ExperimentClusterCommands.Slurm(env));
        command.Add(ExperimentClusterCommands.Kubernetes(env));
        command.SetAction(parseResult =>
        {
            new System.CommandLine.Help.HelpAction().Invoke(parseResult);
            return ExitCodes.Ok;
        });
        return command;
    }
}
