using System.Runtime.InteropServices;

namespace LogReg.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the logreg process. The first asks the running command to stop: training stops at
/// the next batch and saves what it has (the best model, the history, the report marked interrupted), an experiment
/// keeps its finished runs. A second one exits at once with code 130: every file is written to a temporary name and
/// renamed, so quitting mid-write leaves the previous version of a file or none, never half of one.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption(TextWriter error)
    {
        _error = error;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // The runtime's default would end the process at once; the first signal is a request to stop cleanly.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _error.WriteLine("interrupting: stopping after the current batch and saving what is done (press Ctrl+C again to quit at once)");

            // Not Cancel(): it would run the cancellation callbacks on this thread, and signals are handled one at a
            // time, so a second Ctrl+C would wait for them.
            _ = _source.CancelAsync();
            return;
        }

        _error.WriteLine("interrupted again: quitting at once");
        _error.Flush();
        Environment.Exit(ExitCodes.Interrupted);
    }
}
