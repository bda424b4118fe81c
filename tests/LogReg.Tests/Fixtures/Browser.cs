using Microsoft.Playwright;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// Debian's chromium, headless, driven by Playwright for .NET (its own browser builds are never downloaded: the
/// executable is given). Each page records its console errors, failed loads and every URL it asked for, and is cut off
/// from the network: a request for anything but file:, data:, blob: and the origins a test allows is aborted, so a
/// page that quietly depends on a CDN fails here instead of passing on a developer's machine.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private static readonly string[] ExecutableNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The switches that keep a test browser quiet: no sandbox (tests run as root in CI), no GPU, no calls home.</summary>
    private static readonly string[] LaunchArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
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

    /// <summary>Starts the browser found by <see cref="RequireExecutable"/> (skipping the test when there is none).</summary>
    public static async Task<Browser> LaunchAsync(string executable)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = LaunchArguments,
                Timeout = 60_000,
            });
            return new Browser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page in a fresh context, 1280 × 900 unless told, that may reach only <paramref name="allowedOrigins"/> besides local files.</summary>
    public async Task<BrowserPage> NewPageAsync(IReadOnlyList<Uri>? allowedOrigins = null, int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        return await BrowserPage.CreateAsync(context, allowedOrigins ?? []);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>One page of a <see cref="Browser"/>, with what it logged and requested.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private static readonly string[] LocalSchemes = ["file:", "data:", "blob:"];

    private readonly IBrowserContext _context;
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];
    private readonly List<string> _requested = [];

    private BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions and failed loads, in order.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_gate)
            {
                return [.. _errors];
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
                return [.. _requested];
            }
        }
    }

    internal static async Task<BrowserPage> CreateAsync(IBrowserContext context, IReadOnlyList<Uri> allowedOrigins)
    {
        var origins = allowedOrigins.Select(o => o.GetLeftPart(UriPartial.Authority)).ToArray();
        await context.RouteAsync("**/*", route =>
        {
            var url = route.Request.Url;
            var allowed = LocalSchemes.Any(s => url.StartsWith(s, StringComparison.Ordinal))
                || origins.Any(o => url.StartsWith(o + "/", StringComparison.Ordinal) || url == o);
            return allowed ? route.ContinueAsync() : route.AbortAsync("internetdisconnected");
        });
        var page = await context.NewPageAsync();
        var result = new BrowserPage(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                result.Add(result._errors, message.Text);
            }
        };
        page.PageError += (_, error) => result.Add(result._errors, error);
        page.RequestFailed += (_, request) => result.Add(result._errors, $"failed to load {request.Url}: {request.Failure}");
        page.Request += (_, request) => result.Add(result._requested, request.Url);
        return result;
    }

    /// <summary>
    /// Opens <paramref name="location"/> (a file path or a URL) and waits until <paramref name="readyExpression"/> is
    /// true; a timeout says what the page logged.
    /// </summary>
    public async Task OpenAsync(string location, string readyExpression, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(location);
        var url = location.Contains("://", StringComparison.Ordinal) ? location : new Uri(Path.GetFullPath(location)).AbsoluteUri;
        await Page.GotoAsync(url, new PageGotoOptions { Timeout = (float)timeout.TotalMilliseconds });
        await WaitForAsync(readyExpression, timeout);
    }

    /// <summary>Waits until <paramref name="expression"/> is true in the page.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        try
        {
            await Page.WaitForFunctionAsync(expression, null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 50 });
        }
        catch (TimeoutException e)
        {
            var errors = ConsoleErrors;
            throw new TimeoutException(
                $"`{expression}` was not true within {timeout.TotalSeconds:0.#} s; "
                + (errors.Count == 0 ? "no console errors" : "console errors:\n  " + string.Join("\n  ", errors)), e);
        }
    }

    public Task<T> EvaluateAsync<T>(string expression) => Page.EvaluateAsync<T>(expression);

    /// <summary>The number of elements matching a CSS selector.</summary>
    public Task<int> CountAsync(string selector) => Page.Locator(selector).CountAsync();

    /// <summary>A PNG of the whole page (not only the window).</summary>
    public Task<byte[]> ScreenshotAsync() => Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png });

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Add(List<string> list, string text)
    {
        lock (_gate)
        {
            list.Add(text);
        }
    }
}
