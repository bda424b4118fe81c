using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using LogReg.Data;
using LogReg.Reporting;
using LogReg.Runs;
using LogReg.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LogReg.Cli.Serve;

/// <summary>What the web app serves: the runs folder, where to listen, the training data (for nearest examples) and, under logreg train --serve, the live run.</summary>
internal sealed record ServeSettings(string RunsFolder, string Host, int Port, ReportDataSource Data, LiveTraining? Live = null);

/// <summary>
/// The local web app of <c>logreg serve</c> and <c>logreg train --serve</c>: one page (Draw, Runs, Live) and the JSON
/// API behind it, on Kestrel. Loopback only unless a host is given. Every failure is a 4xx or 5xx with a JSON body
/// {"error": ...}, never a stack trace; POSTs must carry the <see cref="RequestHeader"/> header, which a page of another
/// site cannot send without the browser asking first (and this server never says yes), so other sites cannot stop a
/// training run or post images.
/// </summary>
internal sealed class ServeApp : IAsyncDisposable
{
    /// <summary>Uploads larger than this are refused with 413 before they are read.</summary>
    public const int MaxUploadBytes = 1 << 20;

    public const string RequestHeader = "X-LogReg-Request";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly WebApplication _app;
    private readonly IdleTrim _trim;

    private ServeApp(WebApplication app, IdleTrim trim, Uri url)
    {
        _app = app;
        _trim = trim;
        Url = url;
    }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:5050/ (the port chosen when 0 was asked for).</summary>
    public Uri Url { get; }

    /// <summary>Starts listening; fails with a <see cref="UsageException"/> when the port is taken or the host cannot be bound.</summary>
    public static async Task<ServeApp> StartAsync(ServeSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var address = ParseHost(settings.Host);
        var runs = new RunsFolder(settings.RunsFolder);
        var analysis = new DrawingAnalysis(runs, settings.Data);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, settings.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxUploadBytes;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        var app = builder.Build();
        var loopbackOnly = IPAddress.IsLoopback(address);
        var trim = new IdleTrim();
        app.Use((context, next) =>
        {
            trim.Touch();
            return Guard(context, next, loopbackOnly);
        });
        Map(app, runs, analysis, settings.Live);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            trim.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UsageException($"cannot listen on {settings.Host} port {settings.Port.ToString(CultureInfo.InvariantCulture)}: {e.Message.TrimEnd('.')} (choose another with --port)", e);
        }

        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        var host = address.Equals(IPAddress.Any) ? "127.0.0.1" : address.Equals(IPAddress.IPv6Any) ? "[::1]" : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new ServeApp(app, trim, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}/")));
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _trim.Dispose();
    }

    private static IPAddress ParseHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? address
            : throw new UsageException($"--host must be an IP address to listen on (127.0.0.1, ::1, 0.0.0.0 for every interface), not '{host}'");
    }

    private static void Map(WebApplication app, RunsFolder runs, DrawingAnalysis analysis, LiveTraining? live)
    {
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/app.js", () => Page("app.js"));
        app.MapGet("/app.css", () => Page("app.css"));
        app.MapGet("/lib/{name}", (string name) => Library(name));

        app.MapGet("/api/runs", () => Results.Json(new { runs_folder = runs.Root, runs = runs.List(), live = live is not null }, Json));
        app.MapGet("/api/history", (string? run) =>
        {
            var directory = runs.Resolve(run, out var problem) ?? throw new ServeRequestException(400, problem);
            var path = Path.Combine(directory, RunFiles.HistoryJson);
            if (!File.Exists(path))
            {
                throw new ServeRequestException(404, $"run '{run}' has no {RunFiles.HistoryJson}");
            }

            var history = TrainingHistory.ReadJson(path);
            return Results.Text(history.ToJson(), "application/json; charset=utf-8");
        });
        app.MapGet("/runs/{**path}", (string? path) =>
        {
            var full = runs.ResolveFile(path, out var problem) ?? throw new ServeRequestException(400, problem);
            if (!File.Exists(full))
            {
                throw new ServeRequestException(404, $"no file '{path}' in the runs folder");
            }

            return Results.File(full, RunsFolder.ContentType(full));
        });
        app.MapPost("/api/predict", async (HttpContext context, string? run) =>
        {
            if (string.IsNullOrEmpty(run))
            {
                throw new ServeRequestException(400, "say which run's model to use: /api/predict?run=RUN");
            }

            var image = await ReadBody(context).ConfigureAwait(false);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = analysis.Analyse(run, image);

            // How long the server itself took (browsers' developer tools show it beside the network time).
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"analyse;dur={clock.Elapsed.TotalMilliseconds:0.00}");
            return Results.Json(result, Json);
        });

        app.MapGet("/api/live", () => live is null
            ? Results.Json(new { active = false }, Json)
            : Results.Json(new { active = true, run = live.Run, classes = live.ClassNames, epochs = live.Epochs, stop_requested = live.StopRequested }, Json));
        app.MapGet("/api/live/events", async (HttpContext context) =>
        {
            var session = live ?? throw new ServeRequestException(404, "no training is streaming here: start one with logreg train --serve");
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            try
            {
                await foreach (var message in session.Subscribe(context.RequestAborted).ConfigureAwait(false))
                {
                    await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The page went away.
            }
        });
        app.MapPost("/api/live/stop", () =>
        {
            var session = live ?? throw new ServeRequestException(404, "no training is streaming here: start one with logreg train --serve");
            return session.RequestStop()
                ? Results.Json(new { stopping = true }, Json, statusCode: 202)
                : Results.Json(new { error = "training has already ended" }, Json, statusCode: 409);
        });
    }

    /// <summary>
    /// Every request passes here: the host check (a loopback server answers only to loopback names, so a web page
    /// that rebinds its own name to 127.0.0.1 cannot read from it), the header POSTs need, and the translation of
    /// failures into a status and a JSON error.
    /// </summary>
    private static async Task Guard(HttpContext context, RequestDelegate next, bool loopbackOnly)
    {
        try
        {
            if (loopbackOnly && !IsLoopbackName(context.Request.Host.Host))
            {
                throw new ServeRequestException(400, "this server answers to localhost, 127.0.0.1 and [::1] only");
            }

            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Headers[RequestHeader] != "1")
            {
                throw new ServeRequestException(403, $"requests that change something need the header {RequestHeader}: 1");
            }

            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            context.Response.Headers.XFrameOptions = "DENY";
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null)
            {
                await Error(context, context.Response.StatusCode, context.Response.StatusCode switch
                {
                    404 => "no such page or API",
                    405 => "this address does not take that method",
                    413 => $"the upload is larger than {MaxUploadBytes / 1024} KB",
                    _ => ReasonPhrase(context.Response.StatusCode),
                }).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, message) = e switch
            {
                ServeRequestException r => (r.Status, r.Message),
                LogRegDataException d => (400, d.Message),
                BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? $"the upload is larger than {MaxUploadBytes / 1024} KB" : CommandRunner.OneLine(b.Message)),
                ArgumentException a => (400, CommandRunner.OneLine(a.Message)),
                _ => (500, "internal error: " + e.GetType().Name),
            };
            await Error(context, status, message).ConfigureAwait(false);
        }
    }

    private static bool IsLoopbackName(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static async Task Error(HttpContext context, int status, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = JsonSerializer.SerializeToUtf8Bytes(new { error = message }, Json);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "bad request";

    private static async Task<byte[]> ReadBody(HttpContext context)
    {
        if (context.Request.ContentLength is > MaxUploadBytes)
        {
            throw new ServeRequestException(413, $"the upload is larger than {MaxUploadBytes / 1024} KB");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            throw new ServeRequestException(400, "the request has no image: post PNG or PGM bytes");
        }

        return buffer.ToArray();
    }

    private static IResult Page(string name)
    {
        var (bytes, type) = PageFiles.Value[name];
        return Results.Bytes(bytes, type);
    }

    private static IResult Library(string name) => LibraryFiles.Value.TryGetValue(name, out var bytes)
        ? Results.Bytes(bytes, "text/javascript; charset=utf-8")
        : throw new ServeRequestException(404, $"no library '{name}'");

    private static readonly Lazy<Dictionary<string, (byte[] Bytes, string Type)>> PageFiles = new(() =>
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8") })
        {
            var resource = "LogReg.Cli.Serve.Page." + name;
            using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"the executable was built without {resource}");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name] = (copy.ToArray(), type);
        }

        return files;
    });

    /// <summary>The chart libraries the reports embed, served to the page so that it works offline too.</summary>
    private static readonly Lazy<Dictionary<string, byte[]>> LibraryFiles = new(() => new(StringComparer.Ordinal)
    {
        ["vega.min.js"] = Encoding.UTF8.GetBytes(ReportScripts.Assets.Vega),
        ["vega-lite.min.js"] = Encoding.UTF8.GetBytes(ReportScripts.Assets.VegaLite),
        ["vega-embed.min.js"] = Encoding.UTF8.GetBytes(ReportScripts.Assets.VegaEmbed),
    });
}
