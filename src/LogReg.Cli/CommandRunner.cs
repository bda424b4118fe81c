using LogReg.Common;
using LogReg.Data;

namespace LogReg.Cli;

/// <summary>
/// Runs a command's handler and turns failures into one line on stderr and an exit code: the user's mistakes (bad
/// data, bad option values) exit 2 without a stack trace, Ctrl+C exits 130, anything else exits 1.
/// </summary>
internal static class CommandRunner
{
    public static int Run(CliEnvironment env, Func<int> handler)
    {
        try
        {
            return handler();
        }
        catch (Exception e)
        {
            return Report(env, e);
        }
    }

    public static async Task<int> RunAsync(CliEnvironment env, Func<Task<int>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Report(env, e);
        }
    }

    internal static int Report(CliEnvironment env, Exception exception)
    {
        switch (exception)
        {
            case LogRegDataException data:
                env.Error.WriteLine($"error: {OneLine(data.Message)}");
                return ExitCodes.BadInput;
            case UsageException usage:
                env.Error.WriteLine($"error: {OneLine(usage.Message)}");
                return ExitCodes.BadInput;
            case InvalidSettingException setting:
                env.Error.WriteLine($"error: {OneLine(setting.Problem)}");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                env.Error.WriteLine("interrupted");
                return ExitCodes.Interrupted;
            case IOException or UnauthorizedAccessException:
                env.Error.WriteLine($"error: {OneLine(exception.Message)}");
                return ExitCodes.Failure;
            default:
                env.Error.WriteLine($"internal error: {exception.GetType().Name}: {OneLine(exception.Message)}");
                if (!string.IsNullOrEmpty(env.GetVariable("LOGREG_DEBUG")))
                {
                    env.Error.WriteLine(exception.ToString());
                }

                return ExitCodes.Failure;
        }
    }

    /// <summary>Collapses a multi-line message ("Must be one of:\n\t'a'\n\t'b'") into one line.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
