using System.Text.Json;
using System.Text.Json.Nodes;
using LogReg.Reporting;

namespace LogReg.Tests.Reporting;

public sealed class ChartSpecsTests
{
    private static ReportDocument Document(int points, bool withSweep = false, bool withConfusion = false)
    {
        var curves = new List<CurvePoint>();
        for (var p = 0; p < points; p++)
        {
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                foreach (var split in new[] { "train", "validation" })
                {
                    curves.Add(new CurvePoint($"point {p}", epoch, "loss", split, 1.0 / epoch, 0.9 / epoch, 1.1 / epoch, points > 1 ? 2 : 1));
                    curves.Add(new CurvePoint($"point {p}", epoch, "accuracy", split, 0.8, 0.7, 0.9, points > 1 ? 2 : 1));
                }
            }
        }

        return new ReportDocument
        {
            Kind = points > 1 ? "experiment" : "run",
            Title = "t",
            GeneratedBy = "LogReg test",
            Summary = [],
            Curves = curves,
            BestEpoch = points > 1 ? null : 2,
            LambdaSweep = withSweep
                ? [new("l1", 0.1, 10, 3, 0.9, 0.91, 2), new("l1", 0.01, 12, 4, 0.92, 0.9, 2), new("l2", 0.1, 9, 2, 0.9, 0.9, 2), new("l2", 0, 13, 5, 0.9, 0.9, 2)]
                : [],
            Confusion = withConfusion
                ? new ConfusionReport("c", ["a", "b", "c"], [[5, 1, 0], [0, 6, 0], [2, 0, 4]], 0.833, [])
                : null,
        };
    }

    private static JsonObject RoundTrip(JsonObject spec) => JsonNode.Parse(spec.ToJsonString())!.AsObject();

    [Fact]
    public void A_run_has_loss_and_accuracy_charts_with_one_line_per_split_and_the_kept_epoch_marked()
    {
        var charts = ChartSpecs.For(Document(points: 1));

        Assert.Equal([ChartSpecs.LossChart, ChartSpecs.AccuracyChart], charts.Keys.Order(StringComparer.Ordinal).Reverse().ToArray());
        var loss = RoundTrip(charts[ChartSpecs.LossChart]);
        Assert.Equal(6, loss["data"]!["values"]!.AsArray().Count); // 3 epochs x 2 splits
        var layers = loss["layer"]!.AsArray();
        Assert.Equal(["line", "rule"], layers.Select(l => l!["mark"]!["type"]!.GetValue<string>()));
        Assert.Equal(2, layers[1]!["encoding"]!["x"]!["datum"]!.GetValue<int>());
        Assert.Equal(["train", "validation"], layers[0]!["encoding"]!["color"]!["scale"]!["domain"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(2, ChartSpecs.SeriesCount(Document(points: 1), "loss"));
    }

    [Fact]
    public void An_experiment_has_one_panel_per_point_with_a_band_from_the_lowest_to_the_highest_run()
    {
        var charts = ChartSpecs.For(Document(points: 4));

        var loss = RoundTrip(charts[ChartSpecs.LossChart]);
        Assert.Equal("point", loss["facet"]!["field"]!.GetValue<string>());
        Assert.Equal(4, loss["facet"]!["sort"]!.AsArray().Count);
        var layers = loss["spec"]!["layer"]!.AsArray();
        Assert.Equal(["area", "line"], layers.Select(l => l!["mark"]!["type"]!.GetValue<string>()));
        Assert.Equal("min", layers[0]!["encoding"]!["y"]!["field"]!.GetValue<string>());
        Assert.Equal("max", layers[0]!["encoding"]!["y2"]!["field"]!.GetValue<string>());
        Assert.Equal("independent", loss["resolve"]!["scale"]!["y"]!.GetValue<string>());
        Assert.Equal(8, ChartSpecs.SeriesCount(Document(points: 4), "loss"));
    }

    [Fact]
    public void A_penalty_sweep_plots_both_norms_and_accuracy_against_lambda_on_a_log_axis_without_lambda_zero()
    {
        var charts = ChartSpecs.For(Document(points: 1, withSweep: true));

        var norms = RoundTrip(charts[ChartSpecs.WeightNormChart]);
        var values = norms["data"]!["values"]!.AsArray();
        Assert.Equal(6, values.Count); // 3 points with λ > 0, two norms each
        Assert.DoesNotContain(values, v => v!["lambda"]!.GetValue<double>() == 0);
        Assert.Equal("log", norms["spec"]!["encoding"]!["x"]!["scale"]!["type"]!.GetValue<string>());
        Assert.Equal(["l1", "l2"], norms["spec"]!["encoding"]!["color"]!["scale"]!["domain"]!.AsArray().Select(v => v!.GetValue<string>()));
        var accuracy = RoundTrip(charts[ChartSpecs.LambdaAccuracyChart]);
        Assert.Equal("final test accuracy", accuracy["encoding"]!["y"]!["title"]!.GetValue<string>());
        Assert.Equal(3, accuracy["data"]!["values"]!.AsArray().Count);
    }

    [Fact]
    public void The_confusion_heatmap_has_a_cell_per_pair_of_classes_with_count_and_row_share()
    {
        var charts = ChartSpecs.For(Document(points: 1, withConfusion: true));

        var confusion = RoundTrip(charts[ChartSpecs.ConfusionChart]);
        var cells = confusion["data"]!["values"]!.AsArray();
        Assert.Equal(9, cells.Count);
        var cell = cells.Single(c => c!["true"]!.GetValue<string>() == "c" && c["predicted"]!.GetValue<string>() == "a")!;
        Assert.Equal(2, cell["count"]!.GetValue<long>());
        Assert.Equal(2.0 / 6, cell["share"]!.GetValue<double>(), 12);
        Assert.Equal("2\n33.3%", cell["label"]!.GetValue<string>());
        Assert.Equal(["rect", "text"], confusion["layer"]!.AsArray().Select(l => l!["mark"]!["type"]!.GetValue<string>()));
    }

    [Fact]
    public void Sections_without_data_have_no_chart()
    {
        var document = Document(points: 1) with { Curves = [] };

        Assert.Empty(ChartSpecs.For(document));
    }

    [Fact]
    public void Every_spec_is_valid_json_with_the_vega_lite_schema()
    {
        foreach (var (_, spec) in ChartSpecs.For(Document(points: 3, withSweep: true, withConfusion: true)))
        {
            using var parsed = JsonDocument.Parse(spec.ToJsonString());
            Assert.Equal("https://vega.github.io/schema/vega-lite/v6.json", parsed.RootElement.GetProperty("$schema").GetString());
        }
    }
}
