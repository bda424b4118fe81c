using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LogReg.Data;
using LogReg.Reporting;

namespace LogReg.Reproduction;

/// <summary>
/// Renders a reproduction as one self-contained HTML page in the source's order: the scorecard first, then each
/// section with its published numbers beside ours, its figures re-drawn from our runs and its claims. The chart
/// libraries are inlined as in every LogReg report; images are data URIs.
/// </summary>
public static class ReproductionHtml
{
    private const string Schema = "https://vega.github.io/schema/vega-lite/v6.json";
    private static readonly ImageShape Shape28 = new(28, 28);

    /// <summary>The self-contained HTML document of <paramref name="outcome"/>, with the chart libraries of <paramref name="assets"/> inlined.</summary>
    public static string Render(ReproductionOutcome outcome, ReportAssets assets)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(assets);
        var d = outcome.Document;
        var c = outcome.Conditions;
        var charts = new JsonObject();
        var html = new StringBuilder(1 << 20);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(d.Title)).Append(" — LogReg reproduction</title>\n<style>").Append(HtmlReport.Css).Append(ExtraCss).Append("</style>\n</head>\n<body>\n<main>\n");
        html.Append("<header><h1>").Append(E(d.Title)).Append("</h1><p class=\"lead\">A reproduction of ").Append(E(d.Source)).Append(" by LogReg: every experiment re-run from its preset, every published number beside ours, every figure re-drawn from our runs, and each claim checked.</p>");
        html.Append("<p class=\"meta\">").Append(E(c.GeneratedBy)).Append(" · ").Append(E(c.Started.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append(Invariant($" · {c.FinishedRuns} of {c.TotalRuns} runs · {c.ElapsedSeconds:0} s")).Append("</p></header>\n");
        if (c.Subset is { } subset)
        {
            html.Append("<p class=\"banner\" role=\"status\"><strong>Subset.</strong> Run with ").Append(E(subset)).Append(": every experiment used at most that many training images, so the numbers are not the source's protocol.</p>\n");
        }

        foreach (var line in outcome.ReducedTraining())
        {
            html.Append("<p class=\"banner\" role=\"status\">").Append(E(line)).Append("</p>\n");
        }

        if (c.Interrupted || c.FinishedRuns < c.TotalRuns)
        {
            html.Append("<p class=\"banner\" role=\"status\"><strong>Incomplete.</strong> ").Append(Invariant($"{c.TotalRuns - c.FinishedRuns} runs did not finish; rerun with --resume.")).Append("</p>\n");
        }

        Scorecard(html, outcome);
        foreach (var section in d.Sections)
        {
            html.Append("<section><h2>").Append(E(section.Heading)).Append("</h2><p class=\"note\">").Append(E(section.Note)).Append("</p>");
            html.Append("<p class=\"note\">Presets: ").Append(string.Join(", ", section.Experiments.Select(p => $"<code>{E(p)}</code>" + (outcome.Data[p] is { } e ? $" ({E(e.Dataset)}, {e.Points.Count} points)" : " (not run)")))).Append("</p>");
            foreach (var table in section.Tables)
            {
                Table(html, table, outcome.Values.Where(v => v.Section == section.Heading && v.Table == table.Caption).ToList());
            }

            foreach (var figure in section.Figures)
            {
                Figure(html, charts, figure, outcome.Data);
            }

            if (section.Claims.Count > 0)
            {
                html.Append("<h3>Claims of this section</h3>");
                ClaimTable(html, outcome.Claims.Where(x => x.Section == section.Heading));
            }

            html.Append("</section>\n");
        }

        html.Append("<footer>Numbers quoted from the source are given with their table, figure or section; the text is LogReg's. Accuracies are percentages of the split's images; differences are ours minus published, in percentage points for accuracies.</footer>\n</main>\n");
        foreach (var script in new[] { assets.Vega, assets.VegaLite, assets.VegaEmbed })
        {
            html.Append("<script>").Append(HtmlReport.ScriptSafe(script)).Append("</script>\n");
        }

        html.Append("<script>\nconst REPRODUCTION_CHARTS = ").Append(HtmlReport.ScriptSafe(charts.ToJsonString())).Append(";\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Scorecard(StringBuilder html, ReproductionOutcome outcome)
    {
        html.Append("<section id=\"scorecard\"><h2>Findings scorecard</h2><p class=\"note\">")
            .Append(Invariant($"{outcome.Count(Verdict.Pass)} pass, {outcome.Count(Verdict.Fail)} fail, {outcome.Count(Verdict.NotApplicable)} not applicable (a result the check needs is missing)."))
            .Append(" Each claim of the source, as an automatic check over our results.</p>");
        ClaimTable(html, outcome.Claims);
        html.Append("</section>\n");
    }

    private static void ClaimTable(StringBuilder html, IEnumerable<CheckedClaim> claims)
    {
        html.Append("<table class=\"claims\"><thead><tr><th>Verdict</th><th>Claim</th><th>Where</th><th>Measured</th></tr></thead><tbody>");
        foreach (var c in claims)
        {
            var name = ReproductionOutcome.VerdictName(c.Result.Verdict);
            html.Append("<tr><td><span class=\"verdict ").Append(c.Result.Verdict.ToString().ToLowerInvariant()).Append("\">").Append(name).Append("</span></td><td>")
                .Append(E(c.Claim.Statement)).Append(c.Claim.DependsOnTrainingSize ? " <span class=\"muted\">(depends on the training set's size)</span>" : "")
                .Append("</td><td class=\"small\">").Append(E(c.Claim.Reference)).Append("</td><td class=\"small\">").Append(E(c.Result.Reason)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Table(StringBuilder html, PublishedTable table, IReadOnlyList<ComparedValue> values)
    {
        html.Append("<h3>").Append(E(table.Caption)).Append("</h3><div class=\"scroll\"><table class=\"compare\"><thead><tr><th>Row</th><th>Source</th><th>Published</th><th>Ours</th><th>Difference</th></tr></thead><tbody>");
        foreach (var v in values)
        {
            var accuracy = v.Metric.Contains("accuracy", StringComparison.Ordinal);
            html.Append("<tr><td>").Append(E(v.Label)).Append("</td><td class=\"small\">").Append(E(v.Reference)).Append("</td><td class=\"num\">").Append(Value(v.Published, accuracy))
                .Append("</td><td class=\"num\">").Append(Value(v.Ours, accuracy)).Append("</td><td class=\"num\">").Append(Difference(v.Difference, accuracy)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
    }

    private static void Figure(StringBuilder html, JsonObject charts, FigureSpec figure, ReproductionData data)
    {
        html.Append("<h3>").Append(E(figure.Caption)).Append(" <span class=\"muted small\">re-draws ").Append(E(figure.Reference)).Append("</span></h3>");
        switch (figure)
        {
            case CurvesFigure curves:
                foreach (var kind in new[] { "loss", "accuracy" })
                {
                    var metrics = curves.Metrics.Where(m => m.EndsWith(kind, StringComparison.Ordinal)).ToList();
                    var rows = new JsonArray();
                    foreach (var point in curves.Points)
                    {
                        if (data.Find(point) is not { } p)
                        {
                            continue;
                        }

                        foreach (var e in p.History)
                        {
                            foreach (var m in metrics)
                            {
                                if (PointData.HistoryValue(e, m) is { } v)
                                {
                                    rows.Add(new JsonObject { ["point"] = point.Describe(), ["epoch"] = e.Epoch, ["series"] = m.Replace('_', ' '), ["value"] = v });
                                }
                            }
                        }
                    }

                    if (rows.Count > 0)
                    {
                        var spec = Line(rows, "epoch", false, kind == "loss" ? "mean cross-entropy" : "accuracy");
                        if (curves.Points.Count > 1)
                        {
                            spec = Facet(spec);
                        }

                        AddChart(html, charts, spec);
                    }
                    else if (metrics.Count > 0)
                    {
                        html.Append("<p class=\"muted\">(no history: the experiment did not run)</p>");
                    }
                }

                break;

            case SweepFigure sweep:
            {
                var rows = new JsonArray();
                foreach (var p in data[sweep.Preset]?.Points ?? [])
                {
                    foreach (var m in sweep.Metrics)
                    {
                        if (p.Axis(sweep.Axis) is { } x && (!sweep.LogX || x > 0) && p.Metric(m) is { } v)
                        {
                            var series = sweep.SeriesAxis is { } s && p.Parameters.TryGetValue(s, out var sv) ? $"{s} {sv}" : m.Replace('_', ' ');
                            rows.Add(new JsonObject { ["x"] = x, ["series"] = series, ["value"] = v });
                        }
                    }
                }

                if (rows.Count == 0)
                {
                    html.Append("<p class=\"muted\">(no results: the experiment did not run)</p>");
                }
                else
                {
                    AddChart(html, charts, Line(rows, "x", sweep.LogX, string.Join(", ", sweep.Metrics.Select(m => m.Replace('_', ' '))), sweep.Axis.Replace('_', ' ')));
                }

                break;
            }

            case PerClassFigure perClass:
            {
                var classes = data[perClass.Preset]?.PerClass ?? [];
                if (classes.Count == 0)
                {
                    html.Append("<p class=\"muted\">(no per-class results: the experiment did not run or had no test split)</p>");
                    break;
                }

                var rows = new JsonArray([.. classes.OrderBy(k => k.Accuracy).Select(k => (JsonNode)new JsonObject { ["class"] = k.Class, ["accuracy"] = k.Accuracy, ["support"] = k.Support })]);
                AddChart(html, charts, new JsonObject
                {
                    ["$schema"] = Schema,
                    ["width"] = 420,
                    ["height"] = new JsonObject { ["step"] = 18 },
                    ["data"] = new JsonObject { ["values"] = rows },
                    ["mark"] = new JsonObject { ["type"] = "bar", ["color"] = "#0072B2" },
                    ["encoding"] = new JsonObject
                    {
                        ["y"] = new JsonObject { ["field"] = "class", ["type"] = "nominal", ["sort"] = new JsonObject { ["field"] = "accuracy", ["order"] = "ascending" }, ["title"] = null },
                        ["x"] = new JsonObject { ["field"] = "accuracy", ["type"] = "quantitative", ["title"] = "test accuracy of the class", ["axis"] = new JsonObject { ["format"] = ".0%" } },
                        ["tooltip"] = new JsonArray(new JsonObject { ["field"] = "class" }, new JsonObject { ["field"] = "accuracy", ["format"] = ".2%" }, new JsonObject { ["field"] = "support" }),
                    },
                });
                break;
            }

            case WeightsFigure weightsFigure:
                Weights(html, data, weightsFigure);
                break;
        }
    }

    private static void Weights(StringBuilder html, ReproductionData data, WeightsFigure figure)
    {
        var experiment = data[figure.Point.Preset];
        var point = experiment?.Find(figure.Point);
        var weights = point is not null && ReferenceEquals(point, experiment!.Best) ? experiment.Weights : [];
        if (weights.Count == 0 || weights[0].Weights.Length != Shape28.PixelCount)
        {
            html.Append("<p class=\"muted\">(").Append(point is null ? "the experiment did not run" : "weights are kept for the selected model only; this point is not it").Append(")</p>");
            return;
        }

        var scale = weights.Max(w => ImageFigures.SymmetricScale(w.Weights));
        html.Append("<p class=\"note\">").Append(E(point!.Describe())).Append(Invariant($". Blue negative, red positive, one colour scale ±{scale:0.###} for all.")).Append("</p><div class=\"scroll\"><table class=\"weights\"><tr><th>weights</th>");
        foreach (var w in weights)
        {
            html.Append("<td>").Append(Png(ImageFigures.Weights(w.Weights, Shape28, scale, 3), $"weights of {w.Class}")).Append("<br>").Append(E(w.Class)).Append("</td>");
        }

        html.Append("</tr>");
        if (weights.All(w => w.Average is not null))
        {
            html.Append("<tr><th>class average</th>");
            foreach (var w in weights)
            {
                html.Append("<td>").Append(Png(ImageFigures.Ink(w.Average, Shape28, 3), $"average of {w.Class}")).Append("<br>").Append(Invariant($"r = {w.Correlation:0.00}")).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table></div>");
    }

    private static JsonObject Line(JsonArray rows, string x, bool logX, string yTitle, string? xTitle = null) => new()
    {
        ["$schema"] = Schema,
        ["width"] = 520,
        ["height"] = 240,
        ["data"] = new JsonObject { ["values"] = rows },
        ["mark"] = new JsonObject { ["type"] = "line", ["point"] = rows.Count <= 60, ["strokeWidth"] = 2 },
        ["encoding"] = new JsonObject
        {
            ["x"] = new JsonObject { ["field"] = x, ["type"] = "quantitative", ["title"] = xTitle ?? x, ["scale"] = logX ? new JsonObject { ["type"] = "log" } : new JsonObject { ["zero"] = false } },
            ["y"] = new JsonObject { ["field"] = "value", ["type"] = "quantitative", ["title"] = yTitle, ["scale"] = new JsonObject { ["zero"] = false } },
            ["color"] = new JsonObject { ["field"] = "series", ["type"] = "nominal", ["title"] = null },
            ["tooltip"] = new JsonArray(new JsonObject { ["field"] = x }, new JsonObject { ["field"] = "series" }, new JsonObject { ["field"] = "value", ["format"] = ".4f" }),
        },
    };

    private static JsonObject Facet(JsonObject line)
    {
        var data = line["data"]!.DeepClone();
        line.Remove("data");
        line.Remove("$schema");
        line["width"] = 250;
        line["height"] = 160;
        return new JsonObject
        {
            ["$schema"] = Schema,
            ["data"] = data,
            ["facet"] = new JsonObject { ["field"] = "point", ["type"] = "nominal", ["title"] = null },
            ["columns"] = 2,
            ["spec"] = line,

            // Each panel on its own loss scale: a diverging rate's curve would flatten the others to a line.
            ["resolve"] = new JsonObject { ["scale"] = new JsonObject { ["y"] = "independent" } },
        };
    }

    private static void AddChart(StringBuilder html, JsonObject charts, JsonObject spec)
    {
        var id = Invariant($"chart-{charts.Count + 1}");
        charts[id] = spec;
        html.Append("<div class=\"chart\" id=\"").Append(id).Append("\"></div>");
    }

    private static string Png(byte[] png, string alt) => $"<img class=\"weight\" alt=\"{E(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";

    private static string Value(double? v, bool accuracy) =>
        v is not { } x || !double.IsFinite(x) ? "—" : accuracy ? (x * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : x.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Difference(double? v, bool accuracy) =>
        v is not { } x || !double.IsFinite(x) ? "—" : accuracy ? (x * 100).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) + " pt" : x.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private const string ExtraCss = """
        .verdict { display: inline-block; min-width: 52px; text-align: center; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 700; white-space: nowrap; }
        .verdict.pass { background: #dcfae6; color: #067647; }
        .verdict.fail { background: #fee4e2; color: #b42318; }
        .verdict.notapplicable { background: #f2f4f7; color: #475467; }
        table.claims td, table.compare td { font-size: 14px; }
        code { font-size: 13px; }

        """;

    private const string Script = """
        (function () {
          const options = { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false }, mode: "vega-lite" };
          Promise.all(Object.keys(REPRODUCTION_CHARTS).map(function (id) { return vegaEmbed("#" + id, REPRODUCTION_CHARTS[id], options); }))
            .then(function () { window.reportReady = true; document.body.dataset.ready = "true"; })
            .catch(function (e) { window.reportFailure = String(e); console.error("a chart could not be drawn:", e); });
        })();

        """;
}
