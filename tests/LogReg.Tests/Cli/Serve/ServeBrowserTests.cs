using System.Globalization;
using System.Text.Json;
using LogReg.Cli.Serve;
using LogReg.Data;
using LogReg.Models;
using LogReg.Reporting;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;
using Xunit.Abstractions;

namespace LogReg.Tests.Cli.Serve;

/// <summary>
/// The page of logreg serve in a real browser (Debian's chromium through Playwright, cut off from every origin but the
/// app's): real MNIST test digits drawn stroke by stroke with the mouse and uploaded as PNG files, the runs listed and
/// compared, a live training run watched and stopped from the page. Screenshots go to artifacts/test-screenshots/.
/// </summary>
public sealed class ServeBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    private string Runs => _dir.File("runs");

    private static Dataset MnistTest() =>
        new DatasetLoader(new DataLocator(null, RealData.Require(), Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null)).Load("mnist", DatasetSplit.Test);

    /// <summary>Trains a softmax model on the first 20000 MNIST images into runs/NAME.</summary>
    private void Train(string name, params string[] more)
    {
        var result = Fixtures.Cli.Run(Env(), ["train", "--train-first", "20000", "--epochs", "5", "--out", Path.Combine(Runs, name), .. more]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    private async Task<ServeApp> ServeAsync()
    {
        var loader = new DatasetLoader(new DataLocator(null, RealData.Require(), _dir.File("xdg"), [], systemDatasetsDirectory: null));
        return await ServeApp.StartAsync(new ServeSettings(Runs, "127.0.0.1", 0, new ReportDataSource(loader)));
    }

    private async Task KeepScreenshotAsync(BrowserPage page, string name)
    {
        var path = await Screenshots.KeepAsync(page, name, _dir);
        output.WriteLine($"screenshot: {path}");
        var (shape, _) = ImageFileReader.Read(path);
        Assert.True(shape.Width >= 320, $"the screenshot is only {shape.Width} px wide");
    }

    private static async Task WaitForPredictionAsync(BrowserPage page) =>
        await page.WaitForAsync("window.predictionIdle() && document.body.dataset.predicted !== undefined", Timeout);

    /// <summary>Traces the digit's ink (pixels of 128 and more) row by row as mouse strokes over the 28 x 28 grid of the pad.</summary>
    private static async Task DrawAsync(BrowserPage page, byte[] pixels)
    {
        var box = (await page.Page.Locator("#pad").BoundingBoxAsync())!;
        var cell = box.Width / 28;
        var mouse = page.Page.Mouse;
        for (var y = 0; y < 28; y++)
        {
            var x = 0;
            while (x < 28)
            {
                if (pixels[(y * 28) + x] < 128)
                {
                    x++;
                    continue;
                }

                var start = x;
                while (x < 28 && pixels[(y * 28) + x] >= 128)
                {
                    x++;
                }

                var top = box.Y + ((y + 0.5f) * cell);
                await mouse.MoveAsync(box.X + ((start + 0.5f) * cell), top);
                await mouse.DownAsync();
                await mouse.MoveAsync(box.X + ((x - 0.5f) * cell), top, new() { Steps = Math.Max(1, x - start) });
                await mouse.UpAsync();
            }
        }
    }

    [SkippableFact]
    public async Task Real_test_digits_drawn_with_the_mouse_are_read_as_their_class_with_evidence_and_neighbours()
    {
        var chromium = Browser.RequireExecutable();
        Train("mnist-softmax");
        var test = MnistTest();
        await using var app = await ServeAsync();
        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync([app.Url]);
        await page.OpenAsync(app.Url + "#draw", "document.body.dataset.ready === 'true'", Timeout);
        Assert.Equal("1", await page.EvaluateAsync<string>("document.body.dataset.models"));

        // The first five test digits (7, 2, 1, 0, 4), each drawn on a cleared pad.
        for (var i = 0; i < 5; i++)
        {
            await page.Page.ClickAsync("#clear");
            await DrawAsync(page, test.Image(i).ToArray());
            await WaitForPredictionAsync(page);

            var expected = test.ClassNames[test.Label(i)];
            Assert.Equal(expected, await page.EvaluateAsync<string>("document.body.dataset.predicted"));
            Assert.Equal(expected, await page.Page.Locator("#bars .bar.predicted .name").TextContentAsync());
        }

        Assert.Equal(10, await page.CountAsync("#bars .bar"));
        Assert.Equal(DrawingAnalysis.TopClasses, await page.CountAsync("#evidence img[src^='data:image/png']"));
        Assert.Equal(DrawingAnalysis.NearestCount, await page.CountAsync("#nearest img[src^='data:image/png']"));
        Assert.StartsWith("data:image/png", await page.Page.GetAttributeAsync("#seen", "src"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("Array.from(document.images).filter(i => i.src).every(i => i.complete && i.naturalWidth > 0)"));
        Assert.Empty(page.ConsoleErrors);
        Assert.All(page.RequestedUrls, url => Assert.True(url.StartsWith(app.Url.AbsoluteUri, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal), $"the page fetched {url}"));
        await KeepScreenshotAsync(page, "serve-draw");
    }

    /// <summary>Test digit <paramref name="index"/> as a scan would give it: dark ink on white paper, four times larger, as PNG.</summary>
    private static byte[] Scan(Dataset test, int index)
    {
        var digit = test.Image(index);
        var scan = new byte[112 * 112];
        for (var p = 0; p < scan.Length; p++)
        {
            scan[p] = (byte)(255 - digit[((p / 112 / 4) * 28) + (p % 112 / 4)]);
        }

        return PngEncoder.Grayscale(scan, 112, 112);
    }

    [SkippableFact]
    public async Task A_png_dropped_on_the_pad_or_pasted_is_read_as_its_digit()
    {
        var chromium = Browser.RequireExecutable();
        Train("mnist-softmax");
        var test = MnistTest();
        await using var app = await ServeAsync();
        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync([app.Url]);
        await page.OpenAsync(app.Url + "#draw", "document.body.dataset.ready === 'true'", Timeout);

        // Test digits 1 (a 2) dropped and 3 (a 0) pasted, each as the browser would deliver a file: in a DataTransfer.
        foreach (var (index, how) in new[] { (1, "new DragEvent('drop', { dataTransfer: t, bubbles: true, cancelable: true })"), (3, "new ClipboardEvent('paste', { clipboardData: t, bubbles: true, cancelable: true })") })
        {
            await page.Page.ClickAsync("#clear");
            await page.Page.EvaluateAsync(
                $"bytes => {{ const t = new DataTransfer(); t.items.add(new File([new Uint8Array(bytes)], 'digit.png', {{ type: 'image/png' }})); document.getElementById('pad').dispatchEvent({how}); }}",
                Scan(test, index).Select(b => (int)b).ToArray());
            await WaitForPredictionAsync(page);
            Assert.Equal(test.ClassNames[test.Label(index)], await page.EvaluateAsync<string>("document.body.dataset.predicted"));
        }

        Assert.Empty(page.ConsoleErrors);
    }

    [SkippableFact]
    public async Task An_uploaded_png_of_dark_ink_on_paper_is_read_as_its_digit_also_on_a_phone_sized_screen()
    {
        var chromium = Browser.RequireExecutable();
        Train("mnist-softmax");
        var test = MnistTest();

        // Test digit 11 (a 6), scanned.
        const int Index = 11;
        var file = _dir.Write("digit.png", Scan(test, Index));
        await using var app = await ServeAsync();
        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync([app.Url], width: 390, height: 844);
        await page.OpenAsync(app.Url + "#draw", "document.body.dataset.ready === 'true'", Timeout);

        await page.Page.SetInputFilesAsync("#upload", file);
        await WaitForPredictionAsync(page);

        Assert.Equal(test.ClassNames[test.Label(Index)], await page.EvaluateAsync<string>("document.body.dataset.predicted"));
        // On a phone the pad, the prepared image and the bars stack in one column that fits the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        var pad = (await page.Page.Locator("#pad").BoundingBoxAsync())!;
        var bars = (await page.Page.Locator("#bars").BoundingBoxAsync())!;
        Assert.True(bars.Y > pad.Y + pad.Height, "the bars are not below the pad on a narrow screen");
        Assert.Empty(page.ConsoleErrors);
        await KeepScreenshotAsync(page, "serve-phone");
    }

    [SkippableFact]
    public async Task The_runs_view_lists_runs_links_their_reports_compares_curves_and_refuses_traversal()
    {
        var chromium = Browser.RequireExecutable();
        Train("mnist-softmax");
        Train("mnist-ovr", "--model", "ovr");
        await using var app = await ServeAsync();
        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync([app.Url]);
        await page.OpenAsync(app.Url + "#runs", "document.body.dataset.runs === '2'", Timeout);

        Assert.Equal(2, await page.CountAsync("#runs-table tbody tr"));
        Assert.Equal(2, await page.CountAsync("#runs-table a[href$='/report.html']"));
        await page.Page.CheckAsync("#runs-table input[value='mnist-softmax']");
        await page.Page.CheckAsync("#runs-table input[value='mnist-ovr']");
        await page.Page.ClickAsync("#compare");
        await page.WaitForAsync("document.body.dataset.compared === '2'", Timeout);

        // One line per run and split that has a loss in history.json.
        var series = 0;
        foreach (var run in new[] { "mnist-softmax", "mnist-ovr" })
        {
            var history = TrainingHistory.ReadJson(Path.Combine(Runs, run, RunFiles.HistoryJson));
            series += new[] { history.Epochs.Any(e => double.IsFinite(e.TrainLoss)), history.Epochs.Any(e => e.ValidationLoss is not null), history.Epochs.Any(e => e.TestLoss is not null) }.Count(b => b);
        }

        Assert.Equal(series, await page.CountAsync("#compare-chart g.mark-line.role-mark path"));
        Assert.Empty(page.ConsoleErrors);
        await KeepScreenshotAsync(page, "serve-runs");

        // A report opens from its link, its charts drawn from the embedded libraries.
        await page.Page.ClickAsync("#runs-table a[href='/runs/mnist-softmax/report.html']");
        await page.WaitForAsync("window.reportReady === true || window.reportFailure !== undefined", Timeout);
        Assert.True(await page.EvaluateAsync<bool>("window.reportReady === true"));

        // The browser's own requests for files outside the runs folder are refused with a JSON error.
        foreach (var target in new[] { "runs/%2e%2e/%2e%2e/etc/passwd", "runs/mnist-softmax/..%2f..%2f..%2fetc%2fpasswd", "api/history?run=..%2F..%2Fetc" })
        {
            var response = (await page.Page.GotoAsync(app.Url + target))!;
            Assert.InRange(response.Status, 400, 499);
            using var json = JsonDocument.Parse(await response.TextAsync());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetString()));
        }
    }

    [SkippableFact]
    public async Task A_live_training_run_streams_epochs_and_weights_to_the_page_and_its_stop_button_stops_it_as_ctrl_c_does()
    {
        var chromium = Browser.RequireExecutable();
        var output = Path.Combine(Runs, "live");
        using var process = CliProcess.Start(Env(), "train", "--serve", "0", "--epochs", "400", "--train-first", "20000", "--out", output);
        Assert.True(process.WaitForOutput(l => l.StartsWith("live: http://127.0.0.1:", StringComparison.Ordinal), Generous), process.Output + process.Error);
        var url = new Uri(process.Output.Split('\n').First(l => l.StartsWith("live: ", StringComparison.Ordinal)).Split(' ')[1]);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync([url]);
        await page.OpenAsync(url.AbsoluteUri, "Number(document.body.dataset.liveEpochs || 0) >= 3 && document.querySelectorAll('#live-weights img').length === 10", Generous);

        var seen = int.Parse(await page.EvaluateAsync<string>("document.body.dataset.liveEpochs"), CultureInfo.InvariantCulture);
        await page.WaitForAsync($"Number(document.body.dataset.liveEpochs) > {seen}", Timeout); // still adding epochs
        Assert.Equal(2, await page.CountAsync("#live-loss g.mark-line.role-mark path")); // train and test
        Assert.Equal(2, await page.CountAsync("#live-accuracy g.mark-line.role-mark path"));
        await KeepScreenshotAsync(page, "serve-live");

        await page.Page.ClickAsync("#stop");
        await page.WaitForAsync("document.body.dataset.liveDone !== undefined", Generous);
        Assert.Equal("Interrupted", await page.EvaluateAsync<string>("document.body.dataset.liveDone"));

        Assert.Equal(130, process.WaitForExit(Generous));
        var model = ModelFile.Load(Path.Combine(output, RunFiles.Model));
        Assert.Equal(StopReason.Interrupted, model.Metrics.StopReason);
        var history = TrainingHistory.ReadJson(Path.Combine(output, RunFiles.HistoryJson));
        Assert.InRange(history.Epochs.Count, seen + 1, 399);
        Assert.True(File.Exists(Path.Combine(output, ReportWriter.HtmlFile)));

        // The one failed load allowed: the event stream, closed by the page itself once training is done.
        Assert.All(page.ConsoleErrors, e => Assert.Matches("^failed to load http://127\\.0\\.0\\.1:[0-9]+/api/live/events: net::ERR_ABORTED$", e));
    }
}
