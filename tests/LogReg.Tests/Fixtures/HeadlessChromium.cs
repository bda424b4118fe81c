using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// A headless Chromium driven over the Chrome DevTools Protocol, for tests that open a local HTML report and check what
/// a browser makes of it: the DOM once its scripts have finished, console errors, requests it attempted, screenshots.
/// The network is cut off (an unreachable proxy, a resolver that maps every name to nothing, and CDP's offline
/// emulation), so a report that quietly depends on a CDN fails here instead of passing on a developer's machine.
/// </summary>
/// <remarks>
/// Hand-rolled on ClientWebSocket and System.Text.Json rather than Playwright or PuppeteerSharp, which fetch browser
/// builds of their own: the distribution's chromium is enough, and the handful of commands used here do not justify a
/// dependency.
/// </remarks>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] ExecutableNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultCommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly JsonDocumentOptions MessageOptions = new() { MaxDepth = 256 };

    private const string DevToolsBanner = "DevTools listening on ";
    private const int ScreenshotMinWidth = 1280;
    private const int ScreenshotMaxWidth = 4000;
    private const int ScreenshotMaxHeight = 16000;

    private readonly Process _process;
    private readonly string _userDataDirectory;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<int, PendingCommand> _pending = new();
    private readonly TaskCompletionSource<Uri> _browserEndpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _startupLog = new();
    private readonly Lock _gate = new();
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _requestedUrls = [];
    private readonly Task _stdoutDrain;
    private readonly Task _stderrDrain;
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;
    private bool _domainsEnabled;
    private volatile string? _closedReason;

    private HeadlessChromium(Process process, string userDataDirectory)
    {
        _process = process;
        _userDataDirectory = userDataDirectory;
        // Both pipes must be read for the browser's whole life: once a pipe's buffer fills, chromium blocks on its next
        // log line.
        _stdoutDrain = Task.Run(() => process.StandardOutput.BaseStream.CopyToAsync(Stream.Null));
        _stderrDrain = Task.Run(DrainStandardError);
    }

    /// <summary>Console errors, uncaught exceptions and error-level log entries (failed loads among them), in order.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_gate)
            {
                return [.. _consoleErrors];
            }
        }
    }

    /// <summary>Every URL the page tried to fetch, whether or not it got anywhere.</summary>
    public IReadOnlyList<string> RequestedUrls
    {
        get
        {
            lock (_gate)
            {
                return [.. _requestedUrls];
            }
        }
    }

    /// <summary>Set by CI so that a missing browser fails the build instead of silently skipping the browser tests.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("LOGREG_REQUIRE_BROWSER") == "1";

    /// <summary><c>$LOGREG_CHROMIUM</c> if it names a file, else the first Chromium or Chrome on PATH, else null.</summary>
    public static string? FindExecutable()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("LOGREG_CHROMIUM");
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ExecutableNames
            .SelectMany(name => directories.Select(directory => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The browser to test with; skips the calling test when there is none, unless <see cref="Required"/>.</summary>
    public static string RequireExecutable()
    {
        var executable = FindExecutable();
        if (executable is null && Required)
        {
            throw new InvalidOperationException(
                "chromium is required for the browser tests (LOGREG_REQUIRE_BROWSER=1, as CI sets) but none was found: "
                + "install it (apt-get install chromium) or point LOGREG_CHROMIUM at a Chromium or Chrome executable");
        }

        Skip.If(executable is null, "no chromium found (set LOGREG_CHROMIUM or put chromium on PATH), so this browser test is skipped on this machine");
        return executable!;
    }

    /// <summary>Starts a headless browser with a throwaway profile and attaches to its blank page.</summary>
    public static async Task<HeadlessChromium> LaunchAsync(string executable, CancellationToken token = default)
    {
        var userDataDirectory = Path.Combine(Path.GetTempPath(), "logreg-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userDataDirectory);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(userDataDirectory))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        }
        catch
        {
            TryDeleteDirectory(userDataDirectory);
            throw;
        }

        var browser = new HeadlessChromium(process, userDataDirectory);
        try
        {
            await browser.ConnectAsync(executable, token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends one CDP command to the page and returns its <c>result</c>. A CDP error becomes an
    /// <see cref="InvalidOperationException"/> carrying the protocol's message.
    /// </summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var pending = new PendingCommand(method);
        _pending[id] = pending;
        // The receive loop fails whatever is pending when it stops; a command registered after that would wait out
        // its whole timeout, so look again now that this one is registered.
        if (_closedReason is { } closed)
        {
            _pending.TryRemove(id, out _);
            throw new InvalidOperationException($"{method}: the DevTools connection is closed ({closed})");
        }

        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _pending.TryRemove(id, out _);
            throw new InvalidOperationException($"{method}: could not send to chromium: {e.Message}", e);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            return await pending.Result.Task.WaitAsync(timeout ?? DefaultCommandTimeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"chromium did not answer {method} within {(timeout ?? DefaultCommandTimeout).TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// Opens a local file with the network off and waits until <paramref name="readyExpression"/> evaluates to
    /// <c>true</c> in it: the page's own signal that its scripts have finished.
    /// </summary>
    public async Task OpenAsync(string path, string readyExpression, TimeSpan timeout)
    {
        // Events are only reported for enabled domains, and enabling them before navigating catches the page's
        // first console error and first request. Only once: enabling Log again replays its old entries.
        if (!_domainsEnabled)
        {
            foreach (var domain in new[] { "Runtime", "Log", "Network", "Page" })
            {
                await SendAsync(domain + ".enable");
            }

            await SendAsync("Network.emulateNetworkConditions", new { offline = true, latency = 0, downloadThroughput = -1, uploadThroughput = -1 });
            _domainsEnabled = true;
        }

        var url = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        var navigation = await SendAsync("Page.navigate", new { url });
        if (navigation.TryGetProperty("errorText", out var errorText))
        {
            throw new InvalidOperationException($"chromium could not open {url}: {errorText.GetString()}");
        }

        var loaderId = navigation.TryGetProperty("loaderId", out var loader) ? loader.GetString() : null;
        var deadline = Stopwatch.StartNew();
        var lastSeen = "nothing yet";
        while (true)
        {
            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                var errors = ConsoleErrors;
                throw new TimeoutException(
                    $"{url} was not ready within {timeout.TotalSeconds:0.#} s: `{readyExpression}` last gave {lastSeen}; "
                    + (errors.Count == 0 ? "no console errors" : "console errors:\n  " + string.Join("\n  ", errors)));
            }

            var callTimeout = remaining < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : remaining;
            // Page.navigate answers before the new document replaces about:blank (or the previous report), and an
            // expression that happens to hold there must not count, so wait for the frame to commit this load first.
            if (loaderId is not null && !await HasCommittedAsync(loaderId, callTimeout))
            {
                lastSeen = "nothing (the page had not loaded yet)";
            }
            else
            {
                try
                {
                    var evaluation = await SendAsync("Runtime.evaluate", new { expression = readyExpression, returnByValue = true }, callTimeout);
                    if (evaluation.TryGetProperty("exceptionDetails", out var exception))
                    {
                        lastSeen = "an exception: " + ExceptionText(exception);
                    }
                    else if (evaluation.GetProperty("result").TryGetProperty("value", out var value))
                    {
                        if (value.ValueKind == JsonValueKind.True)
                        {
                            return;
                        }

                        lastSeen = value.GetRawText();
                    }
                    else
                    {
                        lastSeen = "undefined";
                    }
                }
                catch (InvalidOperationException e) when (_closedReason is null)
                {
                    // The execution context can be torn down between commit and load (a redirect, a script that
                    // navigates); that is worth reporting on timeout but not a reason to give up early.
                    lastSeen = "an error: " + e.Message;
                }
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Waits until <paramref name="expression"/> evaluates to <c>true</c> in the open page (after a click, say).</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "nothing yet";
        while (clock.Elapsed < timeout)
        {
            var evaluation = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true });
            if (evaluation.TryGetProperty("exceptionDetails", out var exception))
            {
                last = "an exception: " + ExceptionText(exception);
            }
            else if (evaluation.GetProperty("result").TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.True)
            {
                return;
            }
            else
            {
                last = evaluation.GetProperty("result").TryGetProperty("value", out var v) ? v.GetRawText() : "undefined";
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"`{expression}` did not become true within {timeout.TotalSeconds:0.#} s; it last gave {last}");
    }

    /// <summary>
    /// Evaluates a JavaScript expression in the page, awaiting it if it is a promise, and returns its value as JSON
    /// (<see cref="JsonValueKind.Undefined"/> for undefined). A thrown exception becomes an InvalidOperationException.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var evaluation = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (evaluation.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"`{expression}` threw: {ExceptionText(exception)}");
        }

        return evaluation.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>
    /// A PNG of the page: by default all of it, at least 1280 pixels wide (at most 4000 × 16000); else only what the
    /// window shows.
    /// </summary>
    public async Task<byte[]> ScreenshotAsync(bool fullPage = true)
    {
        if (!fullPage)
        {
            return await CaptureAsync(beyondViewport: false);
        }

        // Sizing the viewport to the content fixes the image's size here, with caps, instead of leaving it to how
        // captureBeyondViewport behaves in whichever Chromium CI has (it has changed between releases). The override
        // is lifted afterwards so later evaluations see the usual window again.
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var content = metrics.GetProperty("cssContentSize");
        var width = (int)Math.Clamp(Math.Ceiling(content.GetProperty("width").GetDouble()), ScreenshotMinWidth, ScreenshotMaxWidth);
        var height = (int)Math.Clamp(Math.Ceiling(content.GetProperty("height").GetDouble()), 1, ScreenshotMaxHeight);
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
        try
        {
            return await CaptureAsync(beyondViewport: true);
        }
        finally
        {
            await SendAsync("Emulation.clearDeviceMetricsOverride");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                // The browser usually closes the connection before it can answer; any outcome will do.
                await SendAsync("Browser.close", timeout: TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
            }

            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        await _stop.CancelAsync();
        await _receiveLoop;

        using (var exiting = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(exiting.Token);
            }
            catch (OperationCanceledException)
            {
                KillProcessTree();
            }
        }

        // Helpers chromium leaves behind can hold the pipes open a little longer; they are not worth waiting for.
        await Task.WhenAny(Task.WhenAll(_stdoutDrain, _stderrDrain), Task.Delay(TimeSpan.FromSeconds(2)));
        _process.Dispose();
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
        TryDeleteDirectory(_userDataDirectory);
    }

    private static IEnumerable<string> Arguments(string userDataDirectory) =>
    [
        "--headless=new",
        // Containers and CI runners seldom allow the user namespaces the sandbox needs, nor a roomy /dev/shm.
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        "--mute-audio",
        // Keeps screenshots exactly as wide as the viewport.
        "--hide-scrollbars",
        "--user-data-dir=" + userDataDirectory,
        // Port 0 lets the OS pick, so parallel test runs never collide; the port is read back from stderr.
        "--remote-debugging-port=0",
        // Nothing listens on the discard port, so any request that escapes the offline emulation fails too, and
        // no name resolves, so not even a DNS query leaves the machine. 127.0.0.1 stays reachable for DevTools.
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--window-size=1280,900",
        "about:blank",
    ];

    private async Task ConnectAsync(string executable, CancellationToken token)
    {
        Uri browserEndpoint;
        try
        {
            browserEndpoint = await _browserEndpoint.Task.WaitAsync(StartupTimeout, token);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{executable} did not open its DevTools endpoint within {StartupTimeout.TotalSeconds:0} s; stderr so far:\n{StartupLog()}");
        }

        // The browser endpoint speaks only the Browser and Target domains; the page has its own socket, listed by
        // the HTTP endpoint on the same port once the initial about:blank tab exists.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var list = new Uri($"http://127.0.0.1:{browserEndpoint.Port.ToString(CultureInfo.InvariantCulture)}/json/list");
        var waited = Stopwatch.StartNew();
        Uri? page = null;
        while (page is null)
        {
            try
            {
                page = FirstPageTarget(await http.GetStringAsync(list, token));
            }
            catch (HttpRequestException) when (waited.Elapsed < TimeSpan.FromSeconds(10))
            {
            }

            if (page is null)
            {
                if (waited.Elapsed >= TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException($"{executable} listed no page target at {list} within 10 s");
                }

                await Task.Delay(PollInterval, token);
            }
        }

        _socket.Options.Proxy = null;
        // The default 16 KiB receive buffer would make multi-megabyte screenshots arrive in thousands of pieces.
        _socket.Options.SetBuffer(1 << 20, 1 << 16);
        await _socket.ConnectAsync(page, token);
        // The loop outlives this call, so it stops with the browser, not with the caller's token.
        _receiveLoop = Task.Run(ReceiveLoop, CancellationToken.None);
    }

    private static Uri? FirstPageTarget(string json)
    {
        using var targets = JsonDocument.Parse(json);
        foreach (var target in targets.RootElement.EnumerateArray())
        {
            if (target.TryGetProperty("type", out var type) && type.GetString() == "page"
                && target.TryGetProperty("webSocketDebuggerUrl", out var url) && url.GetString() is { Length: > 0 } address)
            {
                return new Uri(address);
            }
        }

        return null;
    }

    private async Task DrainStandardError()
    {
        var reader = _process.StandardError;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (_browserEndpoint.Task.IsCompleted)
            {
                continue;
            }

            lock (_gate)
            {
                _startupLog.AppendLine(line);
            }

            if (line.StartsWith(DevToolsBanner, StringComparison.Ordinal))
            {
                _browserEndpoint.TrySetResult(new Uri(line[DevToolsBanner.Length..].Trim()));
            }
        }

        var exitCode = _process.WaitForExit(TimeSpan.FromSeconds(2)) ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";
        _browserEndpoint.TrySetException(new InvalidOperationException(
            $"chromium exited (code {exitCode}) before opening its DevTools endpoint; stderr:\n{StartupLog()}"));
    }

    private string StartupLog()
    {
        lock (_gate)
        {
            return _startupLog.ToString();
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        var reason = "the browser closed the connection";
        try
        {
            while (true)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult frame;
                do
                {
                    frame = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (frame.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, frame.Count);
                }
                while (!frame.EndOfMessage);

                Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
            }
        }
        catch (OperationCanceledException)
        {
            reason = "the connection was disposed";
        }
        // JSON and lookup failures would mean a protocol change; they end the loop like a dropped connection, and
        // every waiting command then reports why.
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            reason = e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            _closedReason = reason;
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.Result.TrySetException(new InvalidOperationException(
                        $"{pending.Method}: the DevTools connection closed before an answer came ({reason})"));
                }
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8, MessageOptions);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryRemove(id.GetInt32(), out var pending))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    var text = error.TryGetProperty("message", out var m) ? m.GetString() : error.GetRawText();
                    var data = error.TryGetProperty("data", out var d) ? $" ({d})" : "";
                    pending.Result.TrySetException(new InvalidOperationException($"{pending.Method} failed: {text}{data}"));
                }
                else
                {
                    pending.Result.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var method) && root.TryGetProperty("params", out var parameters))
        {
            OnEvent(method.GetString(), parameters);
        }
    }

    private void OnEvent(string? method, JsonElement parameters)
    {
        switch (method)
        {
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert":
                Record(_consoleErrors, string.Join(" ", parameters.GetProperty("args").EnumerateArray().Select(RemoteObjectText)));
                break;
            case "Runtime.exceptionThrown":
                Record(_consoleErrors, ExceptionText(parameters.GetProperty("exceptionDetails")));
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry") is var entry && entry.GetProperty("level").GetString() == "error":
                Record(_consoleErrors, entry.GetProperty("text").GetString() ?? "");
                break;
            case "Network.requestWillBeSent":
                Record(_requestedUrls, parameters.GetProperty("request").GetProperty("url").GetString() ?? "");
                break;
        }
    }

    private void Record(List<string> list, string text)
    {
        lock (_gate)
        {
            list.Add(text);
        }
    }

    private static string RemoteObjectText(JsonElement remote)
    {
        if (remote.TryGetProperty("value", out var value))
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return remote.TryGetProperty("description", out var description) ? description.GetString() ?? "" : "";
    }

    // exceptionDetails.text is usually just "Uncaught"; the exception's description has the message and stack.
    private static string ExceptionText(JsonElement details) =>
        details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var description)
            ? description.GetString() ?? ""
            : details.TryGetProperty("text", out var text) ? text.GetString() ?? "" : details.GetRawText();

    private async Task<bool> HasCommittedAsync(string loaderId, TimeSpan timeout)
    {
        var tree = await SendAsync("Page.getFrameTree", timeout: timeout);
        var frame = tree.GetProperty("frameTree").GetProperty("frame");
        return frame.TryGetProperty("loaderId", out var current) && current.GetString() == loaderId;
    }

    private async Task<byte[]> CaptureAsync(bool beyondViewport)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = beyondViewport });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    private void KillProcessTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It exited between the check and the kill.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class PendingCommand(string method)
    {
        public string Method { get; } = method;

        public TaskCompletionSource<JsonElement> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
