using System.Text.Json;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reproduction;

/// <summary><c>logreg reproduce</c>: the document list, bad names, and the notebook reproduced end to end on real MNIST.</summary>
public sealed class ReproduceCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Environment() => new() { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

    [Fact]
    public void An_unknown_document_is_one_error_line_with_the_closest_name_and_exit_2()
    {
        var result = Fixtures.Cli.Run(Environment(), "reproduce", "mnist-notebok", "--out", _dir.File("out"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: unknown document 'mnist-notebok'; did you mean 'mnist-notebook'? (known: kmnist-report, mnist-report, mnist-notebook, fashion-blog)"], result.ErrorLines);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void No_document_and_no_list_is_a_usage_error()
    {
        var result = Fixtures.Cli.Run(Environment(), "reproduce");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: name a document to reproduce", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_preset_is_one_error_line_naming_the_file()
    {
        Directory.CreateDirectory(_dir.File("specs"));
        var result = Fixtures.Cli.Run(Environment(), "reproduce", "fashion-blog", "--specs", _dir.File("specs"), "--out", _dir.File("out"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {_dir.File("specs")}/fashion-softmax-learning-rates.yaml: no such preset", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("out")));
    }

    [Fact]
    public void List_names_each_document_with_its_presets_and_runs()
    {
        var specs = Path.Combine(RealData.RepositoryRoot()!, "experiments");
        var result = Fixtures.Cli.Run(Environment(), "reproduce", "--list", "--specs", specs);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mnist-notebook: seed 003 (the notebook)", result.OutputLines);
        Assert.Contains(result.OutputLines, l => l.StartsWith("  2 experiments, 2 runs, ", StringComparison.Ordinal) && l.EndsWith("mnist-1-vs-rest.yaml, mnist-ovr.yaml", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("  3 experiments, 270 runs, ", StringComparison.Ordinal));
    }

    /// <summary>The notebook's protocol as seed 003 runs it: mean gradient, and for the ten units its own decision rule.</summary>
    private string NotebookPresets()
    {
        return NotebookSpecs.Write(
            _dir,
            $"""
                name: mnist-1-vs-rest
                description: digit 1 against the rest, the notebook's protocol
                positive: 1
                {NotebookSpecs.Data}
                model: logistic
                options:
                  epochs: 100
                  batch_size: 0
                  learning_rate: 0.005
                  reduction: mean
                  divergence_threshold: 0
                  momentum: 0
                  schedule: constant
                select: train_accuracy
                test: runs
                """,
            $"""
                name: mnist-ovr
                description: ten one-vs-rest units, the notebook's protocol and decision
                {NotebookSpecs.Data}
                model: ovr
                options:
                  epochs: 110
                  batch_size: 0
                  learning_rate: 0.002
                  reduction: mean
                  decision: probabilities
                  divergence_threshold: 0
                  momentum: 0
                  schedule: constant
                select: train_accuracy
                test: runs
                """);
    }

    [SkippableFact]
    public void The_notebook_is_reproduced_exactly_with_its_html_and_json()
    {
        var output = _dir.File("notebook");
        var result = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "reproduce", "mnist-notebook", "--specs", NotebookPresets(), "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "reproduction.json")));
        var root = json.RootElement;
        Assert.Equal("mnist-notebook", root.GetProperty("document").GetString());
        var verdicts = root.GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("verdict").GetString());
        Assert.Equal("PASS", verdicts["notebook-digit1-train-exact"]); // 2,977 of 3,000
        Assert.Equal("PASS", verdicts["notebook-digit1-test-exact"]); // 495 of 500
        Assert.Equal("PASS", verdicts["notebook-ovr-iteration-10"]); // 78.4 % under the notebook's rule
        Assert.Equal("PASS", verdicts["notebook-ovr-iteration-20"]); // 70.1 %
        Assert.Equal("PASS", verdicts["notebook-ovr-not-monotone"]);
        Assert.Equal(root.GetProperty("claims").GetArrayLength(), root.GetProperty("scorecard").EnumerateObject().Sum(p => p.Value.GetInt32()));

        var values = root.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(14, values.Count); // the binary model's 2, the ten units' 11 printed accuracies and their test accuracy
        var tenth = values.Single(v => v.GetProperty("metric").GetString() == "train_accuracy@10");
        Assert.Equal(2352, Math.Round(tenth.GetProperty("ours").GetDouble() * 3000));
        Assert.Equal(0, tenth.GetProperty("difference").GetDouble(), 12);
        Assert.All(values, v => Assert.Equal(JsonValueKind.Number, v.GetProperty("ours").ValueKind));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("subset").ValueKind);
        Assert.Empty(root.GetProperty("reduced_training").EnumerateArray());

        var html = File.ReadAllText(Path.Combine(output, "reproduction.html"));
        Assert.Contains("<h2>Findings scorecard</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"verdict pass\">PASS</span>", html, StringComparison.Ordinal);
        Assert.Contains("const REPRODUCTION_CHARTS = {\"chart-1\":", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("Binary model: is it a 1?", StringComparison.Ordinal) < html.IndexOf("Ten one-vs-rest units", StringComparison.Ordinal));
        Assert.Contains("findings scorecard: ", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_subset_is_stated_in_the_document_and_a_rerun_resumes_instead_of_training_again()
    {
        var output = _dir.File("quick");
        var specs = NotebookPresets();
        var first = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "reproduce", "mnist-notebook", "--specs", specs, "--out", output, "--train-first", "600");
        var again = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "reproduce", "mnist-notebook", "--specs", specs, "--out", output, "--train-first", "600", "--resume");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("2 of 2 runs finished", again.Output, StringComparison.Ordinal);
        Assert.Contains("(1 already done)", again.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "reproduction.json")));
        Assert.Equal("--train-first 600", json.RootElement.GetProperty("subset").GetString());
        var verdicts = json.RootElement.GetProperty("claims").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("verdict").GetString());
        Assert.Equal("FAIL", verdicts["notebook-digit1-train-exact"]); // 600 images are not the notebook's 3,000
        Assert.Contains("Run with --train-first 600", File.ReadAllText(Path.Combine(output, "reproduction.html")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Every_chart_of_the_document_draws_offline_in_a_browser()
    {
        var chromium = Browser.RequireExecutable();
        var output = _dir.File("browser");
        var result = Fixtures.Cli.Run(Fixtures.Cli.WithRealDataIn(_dir), "reproduce", "mnist-notebook", "--specs", NotebookPresets(), "--out", output, "--train-first", "300");
        Assert.True(result.ExitCode == 0, result.Error);

        await using var browser = await Browser.LaunchAsync(chromium);
        await using var page = await browser.NewPageAsync();
        await page.OpenAsync(Path.Combine(output, "reproduction.html"), "window.reportReady === true || window.reportFailure !== undefined", TimeSpan.FromSeconds(60));

        Assert.Null(await page.EvaluateAsync<string?>("window.reportFailure === undefined ? null : String(window.reportFailure)"));
        var charts = await page.CountAsync("div.chart");
        Assert.Equal(1, charts); // the ten units' accuracy per iteration (the binary model has no figure)
        Assert.Equal(charts, await page.CountAsync("div.chart svg.marks"));
        Assert.Equal(20, await page.CountAsync("table.weights img.weight")); // ten units' weights and ten class averages
        Assert.Empty(page.ConsoleErrors);
        Assert.DoesNotContain(page.RequestedUrls, u => u.StartsWith("http", StringComparison.Ordinal));
    }
}
