using System.CommandLine;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg data</c>: find, fetch and look at datasets.</summary>
public static class DataCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("data", "Find, download and inspect datasets (MNIST, Fashion-MNIST, KMNIST, or a folder of IDX/NPZ/CSV files)");
        command.Add(DataListCommand.Create(env));
        command.Add(DataInfoCommand.Create(env));
        command.Add(DataFetchCommand.Create(env));
        command.Add(DataShowCommand.Create(env));
        command.SetAction(parseResult =>
        {
            new System.CommandLine.Help.HelpAction().Invoke(parseResult);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The NAME argument: a registered dataset name or a folder.</summary>
    internal static Argument<string> NameArgument() => new("NAME")
    {
        Description = "A registered dataset (mnist, fashion-mnist, kmnist, kmnist-partial) or a folder holding IDX, NPZ or CSV files",
    };
}
