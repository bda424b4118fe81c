namespace LogReg.Common;

/// <summary>
/// A value the caller chose (a training option, a class, a subset, a split, a shard, a thread count) that is outside
/// what it may be. The message names the setting, the allowed range, the value and a fix. The command line reports it as
/// a usage mistake (one line, exit code 2); any other <see cref="ArgumentException"/> reaching it is a bug in LogReg and
/// is reported as an internal error, never as bad input.
/// </summary>
public sealed class InvalidSettingException : ArgumentException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidSettingException()
        : this("invalid setting")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> as the problem shown to the user.</summary>
    public InvalidSettingException(string message)
        : base(message)
    {
        Problem = message;
    }

    /// <summary>Creates the exception with <paramref name="message"/> as the problem and the exception that caused it.</summary>
    public InvalidSettingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>Creates the exception with <paramref name="message"/> as the problem and the name of the setting or parameter at fault.</summary>
    public InvalidSettingException(string message, string? paramName)
        : base(message, paramName)
    {
        Problem = message;
    }

    /// <summary>What is wrong, ready for a user: the message without the " (Parameter 'x')" that .NET appends.</summary>
    public string Problem { get; }
}
