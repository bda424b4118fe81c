using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reporting;

/// <summary>The Playwright browser fixture itself: the report and serve tests rely on each of these behaviours.</summary>
public sealed class BrowserFixtureTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task Open_waits_for_the_ready_signal_and_collects_console_errors()
    {
        var chromium = Browser.RequireExecutable();
        using var temp = new TempDirectory();
        var file = temp.WriteText("delayed.html", """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>delayed</title></head>
            <body>
            <script>
              setTimeout(() => {
                for (let i = 0; i < 3; i++) {
                  const p = document.createElement("p");
                  p.textContent = "paragraph " + i;
                  document.body.appendChild(p);
                }
                console.error("boom");
                window.ready = true;
              }, 200);
            </script>
            </body></html>
            """);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync();
        await page.OpenAsync(file, "window.ready === true", ReadyTimeout);

        Assert.Equal(3, await page.EvaluateAsync<int>("document.querySelectorAll('p').length"));
        Assert.Contains("boom", page.ConsoleErrors);
    }

    [SkippableFact]
    public async Task Open_cuts_the_page_off_from_the_network()
    {
        var chromium = Browser.RequireExecutable();
        using var temp = new TempDirectory();
        var file = temp.WriteText("remote.html", """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>remote</title></head>
            <body>
            <img src="http://example.com/x.png" alt="remote image">
            <script>
              window.fetchOutcome = null;
              fetch("https://example.com/").then(
                () => { window.fetchOutcome = "loaded"; },
                error => { window.fetchOutcome = "failed: " + error; });
            </script>
            </body></html>
            """);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync();
        await page.OpenAsync(file, "document.readyState === 'complete' && window.fetchOutcome !== null", ReadyTimeout);

        // Both requests were attempted, so the page really did try to reach the network...
        Assert.Contains(page.RequestedUrls, url => url.EndsWith("://example.com/x.png", StringComparison.Ordinal));
        Assert.Contains("https://example.com/", page.RequestedUrls);
        // ...and neither got anywhere.
        Assert.Equal(0, await page.EvaluateAsync<int>("document.querySelector('img').naturalWidth"));
        Assert.StartsWith("failed", await page.EvaluateAsync<string>("window.fetchOutcome"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Screenshot_captures_the_whole_page_as_a_png_the_image_reader_can_decode()
    {
        var chromium = Browser.RequireExecutable();
        using var temp = new TempDirectory();
        // Twice the 900-pixel window: black above, white below, so the bottom half only shows in a full-page capture.
        var file = temp.WriteText("tall.html", """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>tall</title>
            <style>
              html, body { margin: 0; padding: 0; background: #fff; }
              #top { height: 900px; background: #000; }
              #bottom { height: 900px; background: #fff; }
            </style></head>
            <body><div id="top"></div><div id="bottom"></div>
            <script>window.ready = true;</script>
            </body></html>
            """);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync();
        await page.OpenAsync(file, "window.ready === true", ReadyTimeout);
        var png = await page.ScreenshotAsync();

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.AsSpan(0, 8).ToArray());
        var (shape, pixels) = ImageFileReader.Read(temp.Write("tall.png", png));
        Assert.Equal(1280, shape.Width);
        Assert.Equal(1800, shape.Height);
        Assert.Equal(0, pixels[(450 * shape.Width) + 640]);
        Assert.Equal(255, pixels[(1350 * shape.Width) + 640]);
    }
}
