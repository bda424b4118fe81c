using System.Text.Json;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;
using Xunit.Abstractions;

namespace LogReg.Tests.Reporting;

/// <summary>
/// Reports of real runs opened in a real browser (Debian's chromium, headless, network off): every chart renders with
/// the marks its data calls for, the page logs no errors and fetches nothing. Screenshots are kept in
/// artifacts/test-screenshots/ for people to look at.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan RenderTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    private static int Count(ReportDocument document, string metric) => ChartSpecs.SeriesCount(document, metric);

    private static Task<int> Marks(BrowserPage page, string selector) => page.CountAsync(selector);

    private static ReportDocument Document(string directory) =>
        JsonSerializer.Deserialize<ReportDocument>(File.ReadAllText(Path.Combine(directory, "report.json")), SnakeCase)!;

    private static async Task<BrowserPage> OpenAsync(Browser browser, string directory)
    {
        var page = await browser.NewPageAsync();
        await page.OpenAsync(Path.Combine(directory, "report.html"), "window.reportReady === true || window.reportFailure !== undefined", RenderTimeout);
        var error = await page.EvaluateAsync<string?>("window.reportFailure === undefined ? null : String(window.reportFailure)");
        Assert.True(error is null, "a chart failed: " + error);
        return page;
    }

    private async Task KeepScreenshotAsync(BrowserPage page, string name)
    {
        var path = await Screenshots.KeepAsync(page, name, _dir);
        output.WriteLine($"screenshot: {path}");
        var (shape, _) = LogReg.Data.ImageFileReader.Read(path);
        Assert.True(shape.Height > 1000, $"the screenshot is only {shape.Height} px tall");
    }

    private static void AssertOffline(BrowserPage page)
    {
        Assert.Empty(page.ConsoleErrors);
        Assert.All(page.RequestedUrls, url => Assert.True(url.StartsWith("file:", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), $"the report fetched {url}"));
    }

    [SkippableFact]
    public async Task A_training_run_report_draws_every_chart_offline_and_switches_the_loss_to_a_log_scale()
    {
        var chromium = Browser.RequireExecutable();
        var run = _dir.File("run");
        var train = Fixtures.Cli.Run(Env(), "train", "--classes", "2,8", "--train-first", "3000", "--test-last", "500", "--epochs", "4", "--val-fraction", "0.1", "--out", run);
        Assert.True(train.ExitCode == 0, train.Error);
        var document = Document(run);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await OpenAsync(browser, run);

        Assert.Equal(3, Count(document, "loss"));
        Assert.Equal(Count(document, "loss"), await Marks(page, "#chart-loss g.mark-line.role-mark path"));
        Assert.Equal(Count(document, "accuracy"), await Marks(page, "#chart-accuracy g.mark-line.role-mark path"));
        Assert.Equal(1, await Marks(page, "#chart-loss g.mark-rule.role-mark line"));
        Assert.Equal(4, await Marks(page, "#chart-confusion g.mark-rect.role-mark path"));
        Assert.Equal(4, await Marks(page, "#chart-confusion g.mark-text.role-mark text"));
        Assert.Equal(Directory.GetFiles(Path.Combine(run, "figures")).Length, await Marks(page, "img[src^='data:image/png']"));
        Assert.True(await page.EvaluateAsync<bool>("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"));
        Assert.Equal("linear", await page.EvaluateAsync<string>("window.reportViews['chart-loss'].scale('y').type"));

        await page.EvaluateAsync<object?>("document.querySelector(\"input[data-log='chart-loss']\").click()");
        await page.WaitForAsync("window.reportViews['chart-loss'].scale('y').type === 'log'", RenderTimeout);
        Assert.Equal(3, await Marks(page, "#chart-loss g.mark-line.role-mark path"));

        AssertOffline(page);
        await KeepScreenshotAsync(page, "report-run");
    }

    [SkippableFact]
    public async Task An_experiment_report_draws_a_panel_per_point_the_penalty_sweep_and_a_sortable_table()
    {
        var chromium = Browser.RequireExecutable();
        var spec = _dir.WriteText("sweep.yaml", """
            name: browser-sweep
            dataset: mnist
            train_first: 3000
            test_first: 500
            model: softmax
            options:
              epochs: 3
              batch_size: 64
            grid:
              penalty: [l1, l2]
              lambda: [0.01, 0.0001]
            validation:
              method: kfold
              folds: 2
            """);
        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "exp");
        Assert.True(result.ExitCode == 0, result.Error);
        var directory = _dir.File("exp");
        var document = Document(directory);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await OpenAsync(browser, directory);

        Assert.Equal(12, Count(document, "loss")); // 4 points x train, validation, test
        Assert.Equal(12, await Marks(page, "#chart-loss g.mark-line.role-mark path"));
        Assert.Equal(12, await Marks(page, "#chart-loss g.mark-area.role-mark path")); // the band over the 2 folds
        Assert.Equal(12, await Marks(page, "#chart-accuracy g.mark-line.role-mark path"));
        Assert.Equal(4, await Marks(page, "#chart-lambda-norms g.mark-line.role-mark path")); // L1 and L2 norm panels x 2 penalties
        Assert.Equal(8, await Marks(page, "#chart-lambda-norms g.mark-symbol.role-mark path"));
        Assert.Equal(2, await Marks(page, "#chart-lambda-accuracy g.mark-line.role-mark path"));
        Assert.Equal(100, await Marks(page, "#chart-confusion g.mark-rect.role-mark path"));
        Assert.Equal(4, await Marks(page, "table.results tbody tr"));
        Assert.Equal(1, await Marks(page, "table.results tbody tr.best"));

        // Sorting by λ, then again descending.
        const string Lambdas = "Array.from(document.querySelectorAll('table.results tbody tr')).map(r => r.cells[1].textContent).join(' ')";
        await page.EvaluateAsync<object?>("document.querySelector('table.results th[data-column=\"1\"]').click()");
        Assert.Equal("0.0001 0.0001 0.01 0.01", await page.EvaluateAsync<string>(Lambdas));
        await page.EvaluateAsync<object?>("document.querySelector('table.results th[data-column=\"1\"]').click()");
        Assert.Equal("0.01 0.01 0.0001 0.0001", await page.EvaluateAsync<string>(Lambdas));

        AssertOffline(page);
        await KeepScreenshotAsync(page, "report-experiment");
    }
}
