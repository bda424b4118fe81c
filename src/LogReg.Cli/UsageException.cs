namespace LogReg.Cli;

/// <summary>A command-line value that is wrong in a way only known after loading data (an index past the end). Exits 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
