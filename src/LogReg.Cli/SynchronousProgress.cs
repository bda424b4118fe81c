namespace LogReg.Cli;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
