namespace LogReg.Data;

/// <summary>
/// Bad input data: a file that is missing, unreadable, malformed or inconsistent. The message is one line that names
/// the file and the problem, ready to show to a user as it is.
/// </summary>
public class LogRegDataException : Exception
{
    public LogRegDataException(string filePath, string problem)
        : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    public LogRegDataException(string filePath, string problem, Exception innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    public LogRegDataException()
        : this("(unknown file)", "invalid data")
    {
    }

    public LogRegDataException(string message)
        : this("(unknown file)", message)
    {
    }

    /// <summary>The file the problem is in, as the user gave it.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}

/// <summary>
/// A dataset has no such split where it was looked for (e.g. a folder with training files only). Callers that can do
/// without the split (training without test metrics, data info on the other split) catch this type, never a message.
/// </summary>
public sealed class SplitNotFoundException : LogRegDataException
{
    public SplitNotFoundException(string filePath, string problem)
        : base(filePath, problem)
    {
    }

    public SplitNotFoundException()
    {
    }

    public SplitNotFoundException(string message)
        : base(message)
    {
    }

    public SplitNotFoundException(string filePath, string problem, Exception innerException)
        : base(filePath, problem, innerException)
    {
    }
}
