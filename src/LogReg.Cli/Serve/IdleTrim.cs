namespace LogReg.Cli.Serve;

/// <summary>
/// Gives memory back to the system once the server has been idle for a moment after some requests. Each prediction
/// allocates a few hundred kilobytes; the garbage collector lets its youngest generation grow to a budget sized from
/// the processor's cache before collecting, so after a few hundred strokes a resting server would keep holding
/// hundreds of megabytes it no longer uses (measured: bench/RESULTS.md, "logreg serve"). One full, compacting
/// collection when the requests stop costs a few milliseconds and nobody is waiting then.
/// </summary>
internal sealed class IdleTrim : IDisposable
{
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private readonly Timer _timer;
    private long _lastRequest;
    private int _dirty;

    public IdleTrim()
    {
        _timer = new Timer(_ => Check(), null, Quiet, Quiet);
    }

    /// <summary>Called at each request.</summary>
    public void Touch()
    {
        Interlocked.Exchange(ref _lastRequest, Environment.TickCount64);
        Interlocked.Exchange(ref _dirty, 1);
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        if (Volatile.Read(ref _dirty) == 1 && Environment.TickCount64 - Interlocked.Read(ref _lastRequest) >= Quiet.TotalMilliseconds
            && Interlocked.Exchange(ref _dirty, 0) == 1)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
