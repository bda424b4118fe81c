using System.Text.Json;
using System.Threading.Channels;
using LogReg.Data;
using LogReg.Reporting;
using LogReg.Training;

namespace LogReg.Cli.Serve;

/// <summary>
/// A training run seen from the page (logreg train --serve): each epoch's record and the weights as images, sent to
/// every connected page as server-sent events, and a stop request that cancels training exactly as Ctrl+C does. A
/// page that connects late is sent every epoch so far and the latest weights.
/// </summary>
internal sealed class LiveTraining : IEpochWeightsProgress
{
    private const int WeightZoom = 3;

    private readonly Lock _gate = new();
    private readonly List<string> _epochs = [];
    private readonly List<Channel<string>> _listeners = [];
    private readonly CancellationTokenSource _stop;
    private readonly ImageShape _shape;
    private string? _weights;
    private string? _finished;

    /// <param name="stop">Cancelled when the page asks to stop; training is given its token (linked with Ctrl+C's).</param>
    public LiveTraining(string run, IReadOnlyList<string> classNames, ImageShape shape, int epochs, CancellationTokenSource stop)
    {
        Run = run;
        ClassNames = classNames;
        Epochs = epochs;
        _shape = shape;
        _stop = stop;
    }

    public string Run { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Epochs { get; }

    public bool StopRequested => _stop.IsCancellationRequested;

    public void ReportWeights(int epoch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias)
    {
        var outputs = bias.Length;
        var features = weights.Length / outputs;
        var scale = ImageFigures.SymmetricScale(weights);
        var images = new string[outputs];
        for (var o = 0; o < outputs; o++)
        {
            images[o] = DrawingAnalysis.DataUrl(ImageFigures.Weights(weights.Slice(o * features, features), _shape, scale, WeightZoom));
        }

        var message = Event("weights", JsonSerializer.Serialize(new { epoch, images }));
        lock (_gate)
        {
            _weights = message;
        }

        Broadcast(message);
    }

    public void Report(EpochRecord value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var message = Event("epoch", JsonSerializer.Serialize(new
        {
            epoch = value.Epoch,
            train_loss = Finite(value.TrainLoss),
            train_accuracy = Finite(value.TrainAccuracy),
            val_loss = Finite(value.ValidationLoss),
            val_accuracy = Finite(value.ValidationAccuracy),
            test_loss = Finite(value.TestLoss),
            test_accuracy = Finite(value.TestAccuracy),
            elapsed_seconds = value.ElapsedSeconds,
        }));
        lock (_gate)
        {
            _epochs.Add(message);
        }

        Broadcast(message);
    }

    /// <summary>Training has ended (finished, stopped, diverged); every page is told how and its stream closed.</summary>
    public void Finish(StopReason reason, int epochsRun, int bestEpoch)
    {
        var message = Event("done", JsonSerializer.Serialize(new { stop_reason = reason.ToString(), epochs_run = epochsRun, best_epoch = bestEpoch }));
        Channel<string>[] listeners;
        lock (_gate)
        {
            _finished = message;
            listeners = [.. _listeners];
            _listeners.Clear();
        }

        foreach (var listener in listeners)
        {
            listener.Writer.TryWrite(message);
            listener.Writer.TryComplete();
        }
    }

    /// <summary>Asks training to stop after the current batch, as Ctrl+C does; false when it has already ended.</summary>
    public bool RequestStop()
    {
        lock (_gate)
        {
            if (_finished is not null)
            {
                return false;
            }
        }

        _ = _stop.CancelAsync();
        return true;
    }

    /// <summary>The events so far, then each new one as it comes, until training ends or the page goes away.</summary>
    public async IAsyncEnumerable<string> Subscribe([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Bounded so that a page that stops reading cannot make the server hold every epoch's images: the oldest
        // unread weights are dropped, never the end of the stream (Finish completes the channel).
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        string[] backlog;
        lock (_gate)
        {
            backlog = [.. _epochs, .. _weights is null ? Array.Empty<string>() : [_weights], .. _finished is null ? Array.Empty<string>() : [_finished]];
            if (_finished is null)
            {
                _listeners.Add(channel);
            }
            else
            {
                channel.Writer.TryComplete();
            }
        }

        try
        {
            foreach (var message in backlog)
            {
                yield return message;
            }

            await foreach (var message in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return message;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }

    private void Broadcast(string message)
    {
        Channel<string>[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            listener.Writer.TryWrite(message);
        }
    }

    /// <summary><paramref name="inner"/> (the terminal's progress), and the page's too when training is served.</summary>
    public static IProgress<EpochRecord> Alongside(IProgress<EpochRecord> inner, LiveTraining? live) => live is null ? inner : new Both(inner, live);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string Event(string type, string json) => $"event: {type}\ndata: {json}\n\n";
}

/// <summary>Reports to the terminal and to the page; weights go to the page only.</summary>
file sealed class Both(IProgress<EpochRecord> terminal, LiveTraining page) : IEpochWeightsProgress
{
    public void ReportWeights(int epoch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias) => page.ReportWeights(epoch, weights, bias);

    public void Report(EpochRecord value)
    {
        terminal.Report(value);
        page.Report(value);
    }
}
