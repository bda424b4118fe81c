using System.CommandLine;

namespace LogReg.Cli;

/// <summary>
/// The model file that eval and predict read: <c>--model-file FILE</c> (<c>-m FILE</c>). In train, <c>--model</c> names a
/// model kind, so the file got a name of its own; the old spelling <c>--model FILE</c> still works here, with a one-line
/// note on stderr, so that existing scripts keep running.
/// </summary>
internal sealed class ModelFileOption
{
    public const string DeprecationNote = "note: --model FILE is now --model-file FILE (in train, --model names a model kind); the old spelling still works";

    public Option<string?> Option { get; } = new("--model-file", "-m")
    {
        Description = "A model file written by logreg train (model.json)",
        HelpName = "FILE",
    };

    /// <summary>The old spelling, accepted and hidden from the help.</summary>
    public Option<string?> OldSpelling { get; } = new("--model")
    {
        Description = "Old spelling of --model-file",
        HelpName = "FILE",
        Hidden = true,
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Option);
        command.Add(OldSpelling);
        command.Validators.Add(r =>
        {
            var given = r.GetResult(Option) is not null;
            var old = r.GetResult(OldSpelling) is not null;
            if (given && old)
            {
                r.AddError("--model-file and --model (its old spelling) cannot be combined");
            }
            else if (!given && !old)
            {
                r.AddError("Option '--model-file' is required.");
            }
        });
    }

    /// <summary>The path given, resolved; the old spelling prints its note first.</summary>
    public string Path(CliEnvironment env, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(OldSpelling) is { } old)
        {
            env.Error.WriteLine(DeprecationNote);
            return env.ResolvePath(old);
        }

        return env.ResolvePath(parse.GetValue(Option)!);
    }
}
