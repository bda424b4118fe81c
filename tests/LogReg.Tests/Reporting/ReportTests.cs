using System.Text.Json;
using System.Text.RegularExpressions;
using LogReg.Data;
using LogReg.Reporting;
using LogReg.Runs;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reporting;

public sealed partial class ReportTests : IDisposable
{
    private static readonly string[] AllSections = ["summary", "curves", "results", "lambda", "weights", "confusion", "samples", "mistakes", "notes"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => SyntheticFolder.Write(_dir.File("data"), train: 240, test: 90, classes: 3);

    private Dictionary<string, string> Env() => new() { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

    private string Train(string name, params string[] extra)
    {
        var output = _dir.File(name);
        var result = Fixtures.Cli.Run(Env(), ["train", "--dataset", Data, "--epochs", "4", "--batch-size", "16", "--val-fraction", "0.2", "--out", output, .. extra]);
        Assert.True(result.ExitCode == 0, result.Error);
        return output;
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static string[] Sections(string html) => SectionId().Matches(html).Select(m => m.Groups[1].Value).ToArray();

    [GeneratedRegex("<section id=\"([a-z]+)\"")]
    private static partial Regex SectionId();

    [Fact]
    public void Train_writes_a_report_with_every_section_a_softmax_run_has_and_none_it_has_not()
    {
        var run = Train("run");

        var html = File.ReadAllText(Path.Combine(run, "report.html"));

        var mistakes = Json(Path.Combine(run, "metrics.json")).GetProperty("test_accuracy").GetDouble() < 1;
        Assert.Equal(["summary", "curves", "weights", "confusion", "samples", .. (mistakes ? new[] { "mistakes" } : [])], Sections(html));
        Assert.Contains("<h1>Softmax regression on data</h1>", html, StringComparison.Ordinal);
        Assert.Contains("data-log=\"chart-loss\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("chart-lambda", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_json_holds_the_numbers_the_run_recorded()
    {
        var run = Train("run");

        var report = Json(Path.Combine(run, "report.json"));
        var metrics = Json(Path.Combine(run, "metrics.json"));
        var history = Json(Path.Combine(run, "history.json"));

        Assert.Equal("run", report.GetProperty("kind").GetString());
        var test = report.GetProperty("final_metrics").EnumerateArray().Single(m => m.GetProperty("split").GetString() == "test");
        Assert.Equal(metrics.GetProperty("test_accuracy").GetDouble(), test.GetProperty("accuracy").GetDouble(), 12);
        var curves = report.GetProperty("curves").EnumerateArray().ToArray();
        Assert.Equal(history.GetArrayLength() * 6, curves.Length); // loss and accuracy on train, validation, test
        var lastTrainLoss = curves.Single(c => c.GetProperty("metric").GetString() == "loss" && c.GetProperty("split").GetString() == "train" && c.GetProperty("epoch").GetInt32() == 4);
        Assert.Equal(history[3].GetProperty("train_loss").GetDouble(), lastTrainLoss.GetProperty("mean").GetDouble(), 12);
        var confusion = report.GetProperty("confusion");
        Assert.Equal(90, confusion.GetProperty("counts").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt64())));
        Assert.Equal(metrics.GetProperty("test_accuracy").GetDouble(), confusion.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(3, report.GetProperty("weights").GetProperty("classes").GetArrayLength());
        Assert.Equal(3, report.GetProperty("samples").GetArrayLength());
    }

    [Fact]
    public void Every_figure_the_report_names_is_a_png_beside_it_and_inlined_in_the_page()
    {
        var run = Train("run");
        var html = File.ReadAllText(Path.Combine(run, "report.html"));
        var json = File.ReadAllText(Path.Combine(run, "report.json"));

        var named = FigureName().Matches(json).Select(m => m.Value).Distinct().ToArray();
        var written = Directory.GetFiles(Path.Combine(run, "figures")).Select(f => "figures/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(written, named.Order(StringComparer.Ordinal).ToArray());
        foreach (var file in written)
        {
            var (shape, _) = ImageFileReader.Read(Path.Combine(run, file));
            Assert.True(shape.PixelCount > 0);
            Assert.Contains(Convert.ToBase64String(File.ReadAllBytes(Path.Combine(run, file))), html, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("figures/[a-z0-9-]+\\.png")]
    private static partial Regex FigureName();

    [Fact]
    public void The_page_is_self_contained_nothing_in_it_is_fetched()
    {
        var html = File.ReadAllText(Path.Combine(Train("run"), "report.html"));

        var page = Regex.Replace(html, "<script>.*?</script>", "", RegexOptions.Singleline); // the markup, without the inline code

        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<img [^>]*src=\"(?!data:image/png;base64,)", page);
        Assert.Matches("<img [^>]*src=\"data:image/png;base64,", page);
        Assert.Equal(4, Regex.Count(html, "<script>"));
        Assert.Equal(4, Regex.Count(html, "</script>"));
        Assert.Contains("vegaEmbed", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("pair")]
    public void The_report_train_builds_in_memory_equals_the_one_logreg_report_builds_from_the_folder(string which)
    {
        // train passes the model, history and its one test evaluation to the report; logreg report DIR reads the folder.
        var run = which == "pair" ? Train("pair", "--classes", "0,2") : Train("softmax");
        var fromMemory = File.ReadAllBytes(Path.Combine(run, "report.json"));
        var figures = Directory.GetFiles(Path.Combine(run, "figures")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

        var result = Fixtures.Cli.Run(Env(), "report", run, "--dataset", Data);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(fromMemory, File.ReadAllBytes(Path.Combine(run, "report.json")));
        Assert.Equal(figures, Directory.GetFiles(Path.Combine(run, "figures")).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray());
    }

    [Fact]
    public void A_class_pair_report_shows_the_binary_weights_beside_the_difference_of_two_one_vs_rest_models()
    {
        var run = Train("pair", "--classes", "0,2");

        var report = Json(Path.Combine(run, "report.json"));

        Assert.Equal("Logistic regression on data: 0 vs 2", report.GetProperty("title").GetString());
        var pair = report.GetProperty("weights").GetProperty("pair");
        Assert.Equal("figures/weights-ovr-difference.png", pair.GetProperty("difference_file").GetString());
        Assert.Contains("w(2 vs rest) − w(0 vs rest)", pair.GetProperty("difference_caption").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "figures", "weights-ovr-difference.png")));
        Assert.Equal(2, report.GetProperty("weights").GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public void Train_announces_the_one_vs_rest_step_saves_its_difference_and_report_dir_reads_it_without_training()
    {
        var output = _dir.File("pair");
        var result = Fixtures.Cli.Run(Env(), "train", "--dataset", Data, "--epochs", "4", "--batch-size", "16", "--classes", "0,2", "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("training 2 vs rest and 0 vs rest (all classes of the training images) for the report's one-vs-rest weight difference (skip with --no-ovr-difference)", result.Output, StringComparison.Ordinal);
        var saved = OneVsRestDifference.Read(output, 4 * 4)!;

        // Replace the saved difference: a report that trained would draw its own; one that reads draws this one.
        var planted = new OneVsRestDifference("0", "2", 7, Enumerable.Range(0, saved.Weights.Length).Select(i => i - 7.5f).ToArray());
        planted.Write(output);
        var report = ReportBuilder.ForRun(output, ReportDataSource.None);

        Assert.Equal(saved.Weights.Length, planted.Weights.Length);
        Assert.Equal(7.5, report.Document.Weights!.Pair!.DifferenceScale);
        Assert.Contains("on the same 7 training images", report.Document.Weights.Pair.DifferenceCaption, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_ovr_difference_train_skips_the_step_and_the_report_says_the_figure_is_left_out()
    {
        var run = Train("pair", "--classes", "0,2", "--no-ovr-difference");

        var report = Json(Path.Combine(run, "report.json"));

        Assert.False(File.Exists(Path.Combine(run, OneVsRestDifference.FileName)));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("weights").GetProperty("pair").GetProperty("difference_file").ValueKind);
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("the one-vs-rest weight difference is left out: the run has no ovr-difference.json", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(run, "figures", "weights-ovr-difference.png")));
    }

    [Fact]
    public void Without_the_images_the_report_leaves_out_averages_samples_and_mistakes_and_says_why()
    {
        var run = Train("run", "--no-report");
        File.Delete(Path.Combine(run, "history.json"));

        var report = ReportBuilder.ForRun(run, ReportDataSource.None);
        var html = HtmlReport.Render(report, new ReportAssets("", "", ""));

        Assert.Equal(["summary", "weights", "confusion", "notes"], Sections(html));
        Assert.Empty(report.Document.Samples);
        Assert.Empty(report.Document.Mistakes);
        Assert.All(report.Document.Weights!.Classes, c => Assert.Null(c.AverageFile));
        Assert.Contains(report.Document.Notes, n => n.StartsWith("class averages are left out: no dataset was given to the report", StringComparison.Ordinal));
        Assert.Contains(report.Document.Notes, n => n.StartsWith("no history.json", StringComparison.Ordinal));
        Assert.NotNull(report.Document.Confusion); // from confusion.csv
    }

    [Fact]
    public void Images_whose_checksum_differs_from_the_models_are_not_used()
    {
        var run = Train("run", "--no-report");
        SyntheticFolder.Write(_dir.File("data"), train: 240, test: 90, classes: 3, seed: 7); // same place, other images

        var loader = new DatasetLoader(new DataLocator(null, null, _dir.File("cache"), [], systemDatasetsDirectory: null));

        var report = ReportBuilder.ForRun(run, new ReportDataSource(loader, _dir.File("data")));

        Assert.Empty(report.Document.Samples);
        Assert.Contains(report.Document.Notes, n => n.Contains("are not the ones the model was trained with (their checksum differs)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_experiment_report_has_the_results_table_the_penalty_sweep_and_a_band_over_the_folds()
    {
        var spec = _dir.WriteText("sweep.yaml", $"""
            name: sweep
            dataset: {Data}
            options:
              epochs: 3
              batch_size: 16
            grid:
              penalty: [l1, l2]
              lambda: [0.1, 0.001]
            validation:
              method: kfold
              folds: 2
            """);

        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "exp");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("report: " + _dir.File("exp/report.html"), result.Output, StringComparison.Ordinal);
        var html = File.ReadAllText(_dir.File("exp/report.html"));
        Assert.Equal(["summary", "curves", "results", "lambda", "weights", "confusion", "samples"], Sections(html).Take(7));
        Assert.DoesNotContain("notes", Sections(html));
        var report = Json(_dir.File("exp/report.json"));
        Assert.Equal(4, report.GetProperty("results").GetProperty("rows").GetArrayLength());
        Assert.Single(report.GetProperty("results").GetProperty("rows").EnumerateArray(), r => r.GetProperty("best").GetBoolean());
        Assert.Equal(4, report.GetProperty("lambda_sweep").GetArrayLength());
        Assert.All(report.GetProperty("lambda_sweep").EnumerateArray(), p => Assert.True(p.GetProperty("weight_l1_norm").GetDouble() > 0));
        Assert.All(report.GetProperty("curves").EnumerateArray(), c => Assert.Equal(2, c.GetProperty("runs").GetInt32()));
        Assert.Equal(4, report.GetProperty("curves").EnumerateArray().Select(c => c.GetProperty("point").GetString()).Distinct().Count());
    }

    [Fact]
    public void Report_rewrites_the_same_report_from_the_folder_and_removes_stale_figures()
    {
        var run = Train("run");
        var before = File.ReadAllText(Path.Combine(run, "report.json"));
        File.WriteAllBytes(Path.Combine(run, "figures", "old-figure.png"), [1, 2, 3]);

        var result = Fixtures.Cli.Run(Env(), "report", run, "--dataset", Data);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(before, File.ReadAllText(Path.Combine(run, "report.json")));
        Assert.False(File.Exists(Path.Combine(run, "figures", "old-figure.png")));
        Assert.Contains($"report: {Path.Combine(run, "report.html")} (and report.json, ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "no such folder")]
    [InlineData("empty", "neither a run folder (model.json) nor an experiment folder (experiment.json)")]
    public void Report_of_a_folder_that_is_not_a_run_is_a_one_line_error(string folder, string problem)
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var result = Fixtures.Cli.Run(Env(), "report", folder);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_the_data_cannot_break_out_of_the_page()
    {
        var run = Train("run", "--no-report");
        var report = ReportBuilder.ForRun(run, ReportDataSource.None);
        string[] names = ["</script><b>x</b>", "<!--", "ok"];
        var confusion = report.Document.Confusion! with { ClassNames = names, PerClass = [.. report.Document.Confusion.PerClass.Select((c, i) => c with { Class = names[i] })] };
        var tampered = report with { Document = report.Document with { Confusion = confusion, Title = "<i>title</i>" } };

        var html = HtmlReport.Render(tampered, new ReportAssets("var a = '</script>';", "", ""));

        Assert.Equal(4, Regex.Count(html, "</script>"));
        Assert.Contains("<h1>&lt;i&gt;title&lt;/i&gt;</h1>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;", html, StringComparison.Ordinal); // the per-class table
        Assert.Contains("\\u003C/script\\u003E\\u003Cb\\u003Ex", html, StringComparison.Ordinal); // the chart data
    }
}
