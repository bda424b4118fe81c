namespace LogReg.Cli;

/// <summary>The process exit codes <c>logreg</c> uses.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed that is not the user's input (an I/O error writing results, a bug).</summary>
    public const int Failure = 1;

    /// <summary>Bad input or usage: unknown option, bad value, missing or malformed data file.</summary>
    public const int BadInput = 2;

    /// <summary>Stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
