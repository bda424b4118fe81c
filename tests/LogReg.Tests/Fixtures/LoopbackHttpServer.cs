using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests. Each path maps to a response that can be cut short: the
/// headers promise the full length, part of the body is sent, then the connection is dropped.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);

    public LoopbackHttpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseAddress { get; }

    /// <summary>How many requests each path received.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <param name="path">Request path, e.g. "/good/t10k-labels-idx1-ubyte.gz".</param>
    /// <param name="body">The full body; Content-Length always announces all of it.</param>
    /// <param name="dropAfter">Send only this many body bytes, then drop the connection.</param>
    public void Serve(string path, byte[] body, int? dropAfter = null, int status = 200) =>
        _routes[path] = new Route(body, dropAfter, status);

    /// <summary>
    /// A hostile response: the headers announce <paramref name="announced"/> bytes (none when null), then
    /// <paramref name="chunk"/> zero bytes are sent every <paramref name="interval"/> until <paramref name="total"/> bytes
    /// are out or the client hangs up.
    /// </summary>
    public void ServeStream(string path, long? announced, int chunk, TimeSpan interval, long total) =>
        _streams[path] = new StreamRoute(announced, chunk, interval, total);

    private readonly ConcurrentDictionary<string, StreamRoute> _streams = new(StringComparer.Ordinal);

    private sealed record StreamRoute(long? Announced, int Chunk, TimeSpan Interval, long Total);

    private async Task Stream(NetworkStream stream, StreamRoute route)
    {
        var length = route.Announced is { } n ? $"Content-Length: {n}\r\n" : "";
        await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n{length}Connection: close\r\n\r\n", []);
        var chunk = new byte[route.Chunk];
        for (long sent = 0; sent < route.Total && !_stop.IsCancellationRequested; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk, _stop.Token);
            await stream.FlushAsync(_stop.Token);
            if (route.Interval > TimeSpan.Zero)
            {
                await Task.Delay(route.Interval, _stop.Token);
            }
        }
    }

    public Uri Url(string prefix) => new(BaseAddress, prefix.TrimEnd('/') + "/");

    private sealed record Route(byte[] Body, int? DropAfter, int Status);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => Handle(client));
        }
    }

    private async Task Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadHeaders(stream);
                var path = request.Split(' ')[1];
                Requests.AddOrUpdate(path, 1, (_, n) => n + 1);
                if (_streams.TryGetValue(path, out var hostile))
                {
                    await Stream(stream, hostile);
                    return;
                }
                if (!_routes.TryGetValue(path, out var route))
                {
                    await Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                    return;
                }

                var header = $"HTTP/1.1 {route.Status} {(route.Status == 200 ? "OK" : "Error")}\r\nContent-Type: application/octet-stream\r\nContent-Length: {route.Body.Length}\r\nConnection: close\r\n\r\n";
                var sent = route.DropAfter is { } drop ? route.Body.AsSpan(0, drop).ToArray() : route.Body;
                await Write(stream, header, sent);
                if (route.DropAfter is not null)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // reset, not a graceful close
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static async Task Write(NetworkStream stream, string header, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    private static async Task<string> ReadHeaders(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
