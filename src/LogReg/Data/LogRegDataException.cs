namespace LogReg.Data;

/// <summary>
/// Bad input data: a file that is missing, unreadable, malformed or inconsistent. The message is one line that names
/// the file and the problem, ready to show to a user as it is.
/// </summary>
public class LogRegDataException : Exception
{
    /// <summary>Bad data in <paramref name="filePath"/>: <paramref name="problem"/> (one line, shown to users as it is).</summary>
    public LogRegDataException(string filePath, string problem)
        : base($"{filePath}: {problem}")
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Bad data in <paramref name="filePath"/>: <paramref name="problem"/>, found while handling <paramref name="innerException"/>.</summary>
    public LogRegDataException(string filePath, string problem, Exception innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>Bad data in an unknown file.</summary>
    public LogRegDataException()
        : this("(unknown file)", "invalid data")
    {
    }

    /// <summary>Bad data in an unknown file: <paramref name="message"/>.</summary>
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
    /// <summary>The split is missing from <paramref name="filePath"/>: <paramref name="problem"/>.</summary>
    public SplitNotFoundException(string filePath, string problem)
        : base(filePath, problem)
    {
    }

    /// <summary>A split is missing from an unknown file.</summary>
    public SplitNotFoundException()
    {
    }

    /// <summary>A split is missing from an unknown file: <paramref name="message"/>.</summary>
    public SplitNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>The split is missing from <paramref name="filePath"/>: <paramref name="problem"/>, found while handling <paramref name="innerException"/>.</summary>
    public SplitNotFoundException(string filePath, string problem, Exception innerException)
        : base(filePath, problem, innerException)
    {
    }
}
