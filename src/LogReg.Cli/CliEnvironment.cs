using Spectre.Console;

namespace LogReg.Cli;

/// <summary>
/// What a command may touch of the outside world: its output streams, environment variables and working directory.
/// Tests give their own, so commands run in-process exactly as they do from a shell.
/// </summary>
public sealed class CliEnvironment
{
    public CliEnvironment(TextWriter output, TextWriter error, Func<string, string?> getVariable, string currentDirectory, bool interactive = false)
    {
        Output = output;
        Error = error;
        GetVariable = getVariable;
        CurrentDirectory = currentDirectory;
        Interactive = interactive;
        Console = CreateConsole(output, interactive);
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public Func<string, string?> GetVariable { get; }

    public string CurrentDirectory { get; }

    /// <summary>Whether stdout is a terminal a person is watching (progress bars, colour).</summary>
    public bool Interactive { get; }

    /// <summary>Rich output (tables, progress) to <see cref="Output"/>.</summary>
    public IAnsiConsole Console { get; }

    public static CliEnvironment FromProcess()
    {
        var interactive = !System.Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
        return new CliEnvironment(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable, Environment.CurrentDirectory, interactive);
    }

    /// <summary>An environment writing to the given writers, with variables from <paramref name="variables"/> only.</summary>
    public static CliEnvironment ForTest(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string> variables, string currentDirectory) =>
        new(output, error, name => variables.TryGetValue(name, out var value) ? value : null, currentDirectory);

    /// <summary>Resolves a path the user typed against the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, CurrentDirectory);

    public void Warn(string message) => Error.WriteLine($"warning: {message}");

    private static IAnsiConsole CreateConsole(TextWriter output, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output has no terminal width: never wrap, so each table row stays on one line for grep and diff.
            console.Profile.Width = 1000;
        }

        return console;
    }
}
