namespace LogReg.Cli.Serve;

/// <summary>A request the server refuses: answered with <see cref="Status"/> and a JSON body {"error": message}.</summary>
internal sealed class ServeRequestException : Exception
{
    public ServeRequestException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public ServeRequestException()
    {
    }

    public ServeRequestException(string message)
        : base(message)
    {
    }

    public ServeRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 400;
}
