using System.Runtime.ExceptionServices;

namespace LogReg.Kernels;

/// <summary>
/// A fixed set of worker threads kept alive across batches: a mini-batch step is tens of microseconds, so starting
/// threads or queueing tasks per batch would cost as much as the work. Workers spin briefly waiting for the next job,
/// then sleep. The calling thread takes part as worker 0. Which worker runs which item never changes a result: callers
/// give every item its own output.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private const int SpinIterations = 20000;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly ManualResetEventSlim _done = new(false);
    private Action<int, int>? _body;
    private Action<int, int>? _then;
    private int _arrived;
    private int _items;
    private int _next;
    private int _pending;
    private bool _fixed;
    private long _generation;
    private volatile bool _disposed;
    private Exception? _failure;

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _threads = new Thread[threads - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            var worker = i + 1;
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"logreg-worker-{worker}" };
            _threads[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="body"/>(item, worker) for items 0..count-1 across the workers and waits for all. With
    /// <paramref name="fixedAssignment"/>, item i always runs on worker i mod Threads (so a worker can prefetch the data of
    /// its item in the next call); otherwise workers take items as they free up.
    /// </summary>
    public void Run(int count, Action<int, int> body, bool fixedAssignment = false) => Run(count, body, fixedAssignment, null);

    /// <summary>
    /// As above, then, once every item has finished, <paramref name="then"/>(worker, workers) on each worker: a second
    /// phase that needs all the first phase's results (summing partial gradients, each worker a slice of them) without a
    /// second hand-off to the workers. <c>workers</c> is how many take part in the second phase: 1 when the items ran on
    /// the calling thread alone.
    /// </summary>
    public void Run(int count, Action<int, int> body, bool fixedAssignment, Action<int, int>? then)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count <= 0)
        {
            return;
        }

        if (Threads == 1 || count == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i, 0);
            }

            then?.Invoke(0, 1);
            return;
        }

        _body = body;
        _then = then;
        _arrived = 0;
        _items = count;
        _next = 0;
        _fixed = fixedAssignment;
        _failure = null;
        _done.Reset();
        Volatile.Write(ref _pending, _threads.Length);
        Interlocked.Increment(ref _generation);
        _wake.Set();

        Work(0);

        var spinner = new SpinWait();
        for (var i = 0; i < SpinIterations && Volatile.Read(ref _pending) != 0; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (Volatile.Read(ref _pending) != 0)
        {
            _done.Wait();
        }

        _wake.Reset();
        _body = null;
        _then = null;
        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private void Work(int worker)
    {
        var body = _body!;
        try
        {
            if (_fixed)
            {
                for (var mine = worker; mine < _items; mine += Threads)
                {
                    body(mine, worker);
                }
            }
            else
            {
                int item;
                while ((item = Interlocked.Increment(ref _next) - 1) < _items)
                {
                    body(item, worker);
                }
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            Volatile.Write(ref _next, _items);
        }

        if (_then is not { } then)
        {
            return;
        }

        // Every worker arrives, even one whose item failed, so none waits here for ever.
        Interlocked.Increment(ref _arrived);
        var spinner = new SpinWait();
        while (Volatile.Read(ref _arrived) < Threads)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (Volatile.Read(ref _failure) is not null)
        {
            return;
        }

        try
        {
            then(worker, Threads);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
    }

    private void Loop(int worker)
    {
        long seen = 0;
        while (true)
        {
            var spinner = new SpinWait();
            var spins = 0;
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                if (spins++ < SpinIterations)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                else
                {
                    _wake.Wait();
                    spins = 0;
                }
            }

            if (_disposed)
            {
                return;
            }

            seen = Volatile.Read(ref _generation);
            Work(worker);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wake.Set();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _wake.Dispose();
        _done.Dispose();
    }
}
