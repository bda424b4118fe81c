using System.Text.Json;
using LogReg.Cli.Serve;
using LogReg.Data;
using LogReg.Training;

namespace LogReg.Tests.Cli.Serve;

/// <summary>The live run's event stream, without a server: what a page that connects early or late is sent.</summary>
public sealed class LiveTrainingTests : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public void Dispose() => _stop.Dispose();

    private LiveTraining Live() => new("run", ["a", "b", "c"], new ImageShape(2, 2), epochs: 10, _stop);

    private static EpochRecord Epoch(int epoch) => new(epoch, 1.0 / epoch, 0.5, null, null, 0.9, 0.4, 0.1, 1, 2, epoch);

    private static void Train(LiveTraining live, int epochs)
    {
        var weights = new float[12];
        for (var e = 1; e <= epochs; e++)
        {
            weights[0] = e;
            live.ReportWeights(e, weights, new float[3]);
            live.Report(Epoch(e));
        }
    }

    private static async Task<List<string>> ReadAll(IAsyncEnumerable<string> events)
    {
        var all = new List<string>();
        await foreach (var e in events)
        {
            all.Add(e);
        }

        return all;
    }

    private static string Type(string message) => message.Split('\n')[0]["event: ".Length..];

    private static JsonElement Data(string message) => JsonDocument.Parse(message.Split('\n')[1]["data: ".Length..]).RootElement;

    [Fact]
    public async Task A_page_that_connects_after_the_end_gets_every_epoch_the_latest_weights_and_the_end()
    {
        var live = Live();
        Train(live, 3);
        live.Finish(StopReason.Completed, 3, 3);

        var events = await ReadAll(live.Subscribe(CancellationToken.None));

        Assert.Equal(["epoch", "epoch", "epoch", "weights", "done"], events.Select(Type));
        Assert.Equal([1, 2, 3], events.Take(3).Select(e => Data(e).GetProperty("epoch").GetInt32()));
        Assert.Equal(0.9, Data(events[0]).GetProperty("test_loss").GetDouble());
        Assert.Equal(JsonValueKind.Null, Data(events[0]).GetProperty("val_loss").ValueKind);
        var weights = Data(events[3]);
        Assert.Equal(3, weights.GetProperty("epoch").GetInt32());
        Assert.Equal(3, weights.GetProperty("images").GetArrayLength());
        Assert.Equal("Completed", Data(events[4]).GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task A_page_connected_from_the_start_gets_each_event_as_it_happens_and_the_stream_ends_with_training()
    {
        var live = Live();
        var reading = ReadAll(live.Subscribe(CancellationToken.None));
        Train(live, 2);
        live.Finish(StopReason.Interrupted, 2, 2);

        var events = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["weights", "epoch", "weights", "epoch", "done"], events.Select(Type));
        Assert.Equal("Interrupted", Data(events[^1]).GetProperty("stop_reason").GetString());
    }

    [Fact]
    public void Stop_cancels_trainings_token_once_and_is_refused_after_the_end()
    {
        var live = Live();
        Assert.True(live.RequestStop());
        Assert.True(SpinWait.SpinUntil(() => _stop.IsCancellationRequested, TimeSpan.FromSeconds(5)));
        Assert.True(live.StopRequested);

        live.Finish(StopReason.Interrupted, 1, 1);
        Assert.False(live.RequestStop());
    }
}
