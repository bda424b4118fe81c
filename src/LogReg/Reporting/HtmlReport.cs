using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogReg.Reporting;

/// <summary>The chart libraries a report inlines: the minified browser builds of vega, vega-lite and vega-embed.</summary>
public sealed record ReportAssets(string Vega, string VegaLite, string VegaEmbed);

/// <summary>
/// Renders a report as one self-contained HTML page: the chart libraries and the chart specs inline, every image as a
/// data URI, nothing fetched from the network. Sections that do not apply are left out.
/// </summary>
internal static partial class HtmlReport
{
    public static string Render(Report report, ReportAssets assets)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(assets);
        var d = report.Document;
        var charts = ChartSpecs.For(d);
        var html = new StringBuilder(1 << 20);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta name=\"generator\" content=\"").Append(E(d.GeneratedBy)).Append("\">\n");
        html.Append("<title>").Append(E(d.Title)).Append(" — LogReg report</title>\n");
        html.Append("<style>").Append(Css).Append(CoefficientsCss).Append("</style>\n</head>\n<body>\n<main>\n");

        html.Append("<header><h1>").Append(E(d.Title)).Append("</h1>");
        if (d.Description is { Length: > 0 } description)
        {
            html.Append("<p class=\"lead\">").Append(E(description)).Append("</p>");
        }

        html.Append("<p class=\"meta\">").Append(d.Kind == "experiment" ? "Experiment report" : "Training run report").Append(" · ").Append(E(d.GeneratedBy)).Append("</p>");
        html.Append(Navigation(d, charts)).Append("</header>\n");
        if (d.Incomplete is { } incomplete)
        {
            html.Append("<p class=\"banner\" role=\"status\"><strong>Incomplete.</strong> ").Append(E(incomplete)).Append("</p>\n");
        }


        Summary(html, d);
        if (charts.ContainsKey(ChartSpecs.LossChart) || charts.ContainsKey(ChartSpecs.AccuracyChart))
        {
            Curves(html, d, charts);
        }

        if (d.Results is { } results)
        {
            Results(html, results);
        }

        if (charts.ContainsKey(ChartSpecs.WeightNormChart))
        {
            html.Append("<section id=\"lambda\"><h2>Penalty sweep</h2>");
            html.Append("<p class=\"note\">Final weight length (mean over each point's runs; bias excluded) and accuracy against the penalty strength λ, one line per penalty. λ = 0 is not on the log axis.</p>");
            html.Append("<div class=\"charts\">").Append(ChartBox(ChartSpecs.WeightNormChart, "Weight length vs λ")).Append(ChartBox(ChartSpecs.LambdaAccuracyChart, "Accuracy vs λ")).Append("</div></section>\n");
        }

        if (d.Weights is { } weights)
        {
            Weights(html, weights, report.Figures);
        }

        if (d.Coefficients is { } coefficients)
        {
            Coefficients(html, coefficients);
        }

        GridWeightsAndPairDifferences(html, d, report.Figures);
        if (d.Confusion is { } confusion)
        {
            Confusion(html, confusion);
        }

        LeastAccurateClasses(html, d, report.Figures);

        if (d.Samples.Count > 0)
        {
            html.Append("<section id=\"samples\"><h2>Sample images</h2><p class=\"note\">The first images of each class in the test split (the training split when there is none).</p><table class=\"samples\">");
            foreach (var s in d.Samples)
            {
                html.Append("<tr><th>").Append(E(s.Class)).Append("</th><td>").Append(Image(report.Figures, s.File, s.Class + " samples", "sample-strip")).Append("</td></tr>");
            }

            html.Append("</table></section>\n");
        }

        if (d.Mistakes.Count > 0)
        {
            Mistakes(html, d.Mistakes, report.Figures);
        }

        if (d.Notes.Count > 0)
        {
            html.Append("<section id=\"notes\"><h2>Notes</h2><ul>");
            foreach (var note in d.Notes)
            {
                html.Append("<li>").Append(E(note)).Append("</li>");
            }

            html.Append("</ul></section>\n");
        }

        html.Append("<footer>Written by ").Append(E(d.GeneratedBy)).Append(". The numbers behind every chart are in report.json beside this file; the figures are in ")
            .Append(ReportBuilder.FiguresFolder).Append("/.</footer>\n</main>\n");

        foreach (var script in new[] { assets.Vega, assets.VegaLite, assets.VegaEmbed })
        {
            html.Append("<script>").Append(ScriptSafe(script)).Append("</script>\n");
        }

        var specs = new JsonObject();
        foreach (var (id, spec) in charts)
        {
            specs[id] = spec.DeepClone();
        }

        html.Append("<script>\nconst REPORT_CHARTS = ").Append(ScriptSafe(specs.ToJsonString(new JsonSerializerOptions { WriteIndented = false }))).Append(";\n").Append(Script).Append("</script>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static string Navigation(ReportDocument d, IReadOnlyDictionary<string, JsonObject> charts)
    {
        var links = new List<(string Id, string Title)> { ("summary", "Summary") };
        if (charts.ContainsKey(ChartSpecs.LossChart) || charts.ContainsKey(ChartSpecs.AccuracyChart))
        {
            links.Add(("curves", "Training curves"));
        }

        if (d.Results is not null)
        {
            links.Add(("results", "Results"));
        }

        if (charts.ContainsKey(ChartSpecs.WeightNormChart))
        {
            links.Add(("lambda", "Penalty sweep"));
        }

        if (d.Weights is not null)
        {
            links.Add(("weights", "Weights"));
        }

        if (d.Coefficients is not null)
        {
            links.Add(("coefficients", "Coefficients"));
        }

        if (d.Confusion is not null)
        {
            links.Add(("confusion", "Confusion matrix"));
        }

        if (d.Samples.Count > 0)
        {
            links.Add(("samples", "Samples"));
        }

        if (d.Mistakes.Count > 0)
        {
            links.Add(("mistakes", "Mistakes"));
        }

        if (d.Notes.Count > 0)
        {
            links.Add(("notes", "Notes"));
        }

        return "<nav>" + string.Join(" ", links.Select(l => $"<a href=\"#{l.Id}\">{E(l.Title)}</a>")) + "</nav>";
    }

    private static void Summary(StringBuilder html, ReportDocument d)
    {
        html.Append("<section id=\"summary\"><h2>Summary</h2><div class=\"summary\"><table class=\"facts\">");
        foreach (var item in d.Summary)
        {
            var value = item.Label == "Data checksum" ? $"<code class=\"hash\">{E(item.Value)}</code>" : E(item.Value);
            html.Append("<tr><th>").Append(E(item.Label)).Append("</th><td>").Append(value).Append("</td></tr>");
        }

        html.Append("</table>");
        if (d.FinalMetrics.Count > 0)
        {
            html.Append("<table class=\"metrics\"><caption>Final model</caption><tr><th>Split</th><th>Accuracy</th><th>Loss</th></tr>");
            foreach (var m in d.FinalMetrics)
            {
                html.Append("<tr><td>").Append(E(m.Split)).Append("</td><td class=\"num big\">").Append(Percent(m.Accuracy)).Append("</td><td class=\"num\">").Append(Number(m.Loss, "0.0000")).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</div></section>\n");
    }

    private static void Curves(StringBuilder html, ReportDocument d, IReadOnlyDictionary<string, JsonObject> charts)
    {
        var experiment = d.Curves.Select(c => c.Point).Distinct().Count() > 1;
        html.Append("<section id=\"curves\"><h2>Training curves</h2><p class=\"note\">");
        html.Append(experiment
            ? "One panel per grid point: the line is the mean over the point's runs (folds, seeds), the band spans the lowest to the highest run."
            : "Per epoch, after the epoch's updates." + (d.BestEpoch is { } best ? Invariant($" The dashed line marks epoch {best}, whose weights were kept.") : ""));
        html.Append("</p>");
        if (charts.ContainsKey(ChartSpecs.LossChart))
        {
            html.Append("<div class=\"chart-head\"><h3>Loss</h3><label><input type=\"checkbox\" data-log=\"").Append(ChartSpecs.LossChart).Append("\"> log scale</label></div>");
            html.Append("<div id=\"").Append(ChartSpecs.LossChart).Append("\" class=\"chart\"></div>");
        }

        if (charts.ContainsKey(ChartSpecs.AccuracyChart))
        {
            html.Append("<div class=\"chart-head\"><h3>Accuracy</h3></div><div id=\"").Append(ChartSpecs.AccuracyChart).Append("\" class=\"chart\"></div>");
        }

        html.Append("</section>\n");
    }

    private static void Results(StringBuilder html, ResultsTable results)
    {
        html.Append("<section id=\"results\"><h2>Results</h2><p class=\"note\">Values are ").Append(E(results.Footnote))
            .Append("; the best point by ").Append(E(results.SelectedBy)).Append(" is marked. Click a column title to sort.</p>");
        html.Append("<table class=\"results sortable\"><thead><tr>");
        for (var i = 0; i < results.Columns.Count; i++)
        {
            html.Append("<th data-column=\"").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\" tabindex=\"0\">").Append(E(results.Columns[i])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in results.Rows)
        {
            html.Append(row.Best ? "<tr class=\"best\" title=\"best\">" : "<tr>");
            for (var i = 0; i < row.Cells.Count; i++)
            {
                var key = row.SortKeys[i] is { } k ? k.ToString("R", CultureInfo.InvariantCulture) : "";
                html.Append("<td data-sort=\"").Append(E(key)).Append('"').Append(row.SortKeys[i] is null ? ">" : " class=\"num\">").Append(E(row.Cells[i])).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void Weights(StringBuilder html, WeightFigures weights, IReadOnlyDictionary<string, byte[]> figures)
    {
        html.Append("<section id=\"weights\"><h2>Weights</h2><p class=\"note\">").Append(E(weights.Caption)).Append(" White is 0.</p>");
        html.Append("<div class=\"colorbar\"><span>").Append(Number(-weights.SharedScale, "0.###")).Append("</span>")
            .Append(Image(figures, weights.ColorBar, "colour scale", "bar")).Append("<span>+").Append(Number(weights.SharedScale, "0.###")).Append("</span><span class=\"muted\">shared scale</span></div>");
        if (weights.Pair is { } pair)
        {
            html.Append("<div class=\"gallery\">");
            html.Append(Tile(figures, pair.BinaryFile, Invariant($"binary model: {pair.Negative} (blue) vs {pair.Positive} (red)"), Invariant($"±{pair.BinaryScale:0.###}")));
            if (pair.DifferenceFile is { } difference)
            {
                html.Append(Tile(figures, difference, "difference of one-vs-rest weights", Invariant($"±{pair.DifferenceScale:0.###}; its own scale")));
            }

            foreach (var c in weights.Classes.Where(c => c.AverageFile is not null))
            {
                html.Append(Tile(figures, c.AverageFile!, Invariant($"average {c.Label}"), "class average"));
            }

            html.Append("</div>");
            if (pair.DifferenceFile is not null)
            {
                html.Append("<p class=\"note\">").Append(E(pair.DifferenceCaption)).Append(".</p>");
            }
        }
        else
        {
            // Classes across, as the seeds lay out weight images: each column is one class's weights on the scale shared
            // by all classes, on its own scale, and the class's average image.
            html.Append("<div class=\"scroll\"><table class=\"weights\"><tr><th></th>");
            foreach (var c in weights.Classes)
            {
                html.Append("<th>").Append(E(c.Label)).Append("</th>");
            }

            html.Append("</tr><tr><th>shared scale</th>");
            foreach (var c in weights.Classes)
            {
                html.Append("<td>").Append(Image(figures, c.SharedFile, c.Label + " weights, shared scale", "weight")).Append("</td>");
            }

            html.Append("</tr><tr><th>own scale</th>");
            foreach (var c in weights.Classes)
            {
                html.Append("<td>").Append(Image(figures, c.OwnFile, c.Label + " weights, own scale", "weight")).Append("<div class=\"muted small\">±").Append(Number(c.OwnScale, "0.###")).Append("</div></td>");
            }

            if (weights.Classes.Any(c => c.AverageFile is not null))
            {
                html.Append("</tr><tr><th>class average</th>");
                foreach (var c in weights.Classes)
                {
                    html.Append("<td>").Append(c.AverageFile is null ? "<span class=\"muted\">—</span>" : Image(figures, c.AverageFile, c.Label + " class average", "weight")).Append("</td>");
                }
            }

            html.Append("</tr>");
            html.Append("</table></div>");
        }

        html.Append("</section>\n");
    }

    private static void Confusion(StringBuilder html, ConfusionReport confusion)
    {
        html.Append("<section id=\"confusion\"><h2>Confusion matrix</h2><p class=\"note\">").Append(E(confusion.Caption))
            .Append(Invariant($": rows are true classes, columns predictions; each cell gives the count and its share of the row. Accuracy {confusion.Accuracy * 100:0.00}%."))
            .Append("</p><div id=\"").Append(ChartSpecs.ConfusionChart).Append("\" class=\"chart\"></div>");
        html.Append("<table class=\"per-class\"><thead><tr><th>Class</th><th>Support</th><th>Accuracy</th><th>Precision</th><th>Recall</th><th>F1</th></tr></thead><tbody>");
        foreach (var c in confusion.PerClass)
        {
            html.Append("<tr><th>").Append(E(c.Class)).Append("</th><td class=\"num\">").Append(c.Support.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"num\">").Append(Number(c.Accuracy, "0.0000")).Append("</td><td class=\"num\">").Append(Number(c.Precision, "0.0000"))
                .Append("</td><td class=\"num\">").Append(Number(c.Recall, "0.0000")).Append("</td><td class=\"num\">").Append(Number(c.F1, "0.0000")).Append("</td></tr>");
        }

        html.Append("</tbody></table><p class=\"note\">Per class, against the rest: accuracy is the share of all test images whose membership of the class is predicted right; recall the share of the class's images predicted as it.</p></section>\n");
    }

    private static void Mistakes(StringBuilder html, IReadOnlyList<MistakeItem> mistakes, IReadOnlyDictionary<string, byte[]> figures)
    {
        html.Append("<section id=\"mistakes\"><h2>Most confident mistakes</h2><p class=\"note\">The test images the model got wrong with the highest probability for its (wrong) prediction.</p><div class=\"gallery\">");
        foreach (var m in mistakes)
        {
            html.Append(Tile(figures, m.File, Invariant($"true {m.TrueClass} · predicted {m.PredictedClass}"), Invariant($"p = {m.Probability:0.000} · test image {m.Index}")));
        }

        html.Append("</div></section>\n");
    }

    private static string ChartBox(string id, string title) => $"<div><h3>{E(title)}</h3><div id=\"{id}\" class=\"chart\"></div></div>";

    private static string Tile(IReadOnlyDictionary<string, byte[]> figures, string file, string caption, string detail) =>
        $"<figure>{Image(figures, file, caption, "tile")}<figcaption>{E(caption)}<span class=\"muted\">{E(detail)}</span></figcaption></figure>";

    private static string Image(IReadOnlyDictionary<string, byte[]> figures, string file, string alt, string cssClass) =>
        figures.TryGetValue(file, out var png)
            ? $"<img class=\"{cssClass}\" alt=\"{E(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">"
            : $"<span class=\"muted\">({E(file)} missing)</span>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    private static string Percent(double? value) => value is { } v && double.IsFinite(v) ? (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Text that cannot end the inline script element it is placed in.</summary>
    internal static string ScriptSafe(string script) => script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase).Replace("<!--", "<\\!--", StringComparison.Ordinal);

    private const string Script = """
        (function () {
          const options = { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false }, mode: "vega-lite" };
          function logScale(node) {
            if (Array.isArray(node)) { node.forEach(logScale); return; }
            if (!node || typeof node !== "object") { return; }
            if (node.encoding && node.encoding.y) { node.encoding.y.scale = Object.assign({}, node.encoding.y.scale, { type: "log", zero: false }); }
            Object.values(node).forEach(logScale);
          }
          window.reportViews = {};
          function draw(id, log) {
            const spec = JSON.parse(JSON.stringify(REPORT_CHARTS[id]));
            if (log) { logScale(spec); }
            return vegaEmbed("#" + id, spec, options).then(function (result) { window.reportViews[id] = result.view; return result; });
          }
          document.querySelectorAll("input[data-log]").forEach(function (box) {
            box.addEventListener("change", function () { draw(box.dataset.log, box.checked).catch(function (e) { console.error(e); }); });
          });
          document.querySelectorAll("table.sortable").forEach(function (table) {
            table.querySelectorAll("th[data-column]").forEach(function (th) {
              function sort() {
                const column = Number(th.dataset.column);
                const ascending = th.dataset.order !== "asc";
                table.querySelectorAll("th[data-column]").forEach(function (other) { delete other.dataset.order; });
                th.dataset.order = ascending ? "asc" : "desc";
                const body = table.tBodies[0];
                const rows = Array.from(body.rows);
                rows.sort(function (a, b) {
                  const x = a.cells[column].dataset.sort, y = b.cells[column].dataset.sort;
                  const c = x !== "" && y !== "" ? Number(x) - Number(y) : a.cells[column].textContent.localeCompare(b.cells[column].textContent);
                  return ascending ? c : -c;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              }
              th.addEventListener("click", sort);
              th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
            });
          });
          Promise.all(Object.keys(REPORT_CHARTS).map(function (id) { return draw(id, false); }))
            .then(function () { window.reportReady = true; document.body.dataset.ready = "true"; })
            .catch(function (e) { window.reportFailure = String(e); console.error("a chart could not be drawn:", e); });
        })();

        """;

    internal const string Css = """
        :root { --ink: #1d2330; --muted: #667085; --line: #e4e7ec; --accent: #0072B2; --best: #fff6d6; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f6f7f9; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK JP", sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
        header h1 { margin: 0 0 6px; font-size: 28px; letter-spacing: -0.01em; }
        .lead { margin: 0 0 8px; max-width: 900px; color: #344054; }
        .meta, .muted, .note { color: var(--muted); }
        .note { font-size: 13.5px; max-width: 900px; }
        .banner { background: #fff4e5; border: 1px solid #f5b971; border-radius: 8px; padding: 10px 14px; margin: 14px 0 0; }
        nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 14px 0 4px; }
        nav a { padding: 3px 10px; border: 1px solid var(--line); border-radius: 999px; background: #fff; color: var(--ink); text-decoration: none; font-size: 13px; }
        nav a:hover { border-color: var(--accent); color: var(--accent); }
        section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin: 18px 0; }
        h2 { margin: 0 0 10px; font-size: 19px; }
        h3 { margin: 12px 0 4px; font-size: 15px; }
        table { border-collapse: collapse; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .summary { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .facts { flex: 1 1 560px; font-size: 14px; }
        .facts th { width: 140px; color: var(--muted); font-weight: 600; }
        .hash { font-size: 11.5px; word-break: break-all; }
        .metrics caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        .metrics td { vertical-align: baseline; }
        .metrics .big { font-size: 18px; font-weight: 600; }
        .chart-head { display: flex; align-items: baseline; gap: 16px; }
        .chart-head label { font-size: 13px; color: var(--muted); cursor: pointer; }
        .chart { margin: 4px 0 12px; overflow-x: auto; }
        .charts { display: flex; flex-wrap: wrap; gap: 28px; }
        table.results th { cursor: pointer; white-space: nowrap; user-select: none; }
        table.results th[data-order="asc"]::after { content: " ▲"; font-size: 10px; }
        table.results th[data-order="desc"]::after { content: " ▼"; font-size: 10px; }
        table.results tr.best td { background: var(--best); font-weight: 600; }
        table.results tr.best td:first-child { box-shadow: inset 4px 0 0 #e3b400; }
        img.weight, img.tile { image-rendering: pixelated; width: 112px; height: auto; border: 1px solid var(--line); }
        img.sample-strip { image-rendering: pixelated; height: 56px; width: auto; }
        .scroll { overflow-x: auto; }
        table.weights th, table.weights td { padding: 4px 5px; border: none; text-align: center; vertical-align: top; font-size: 13px; }
        table.weights tr th:first-child { text-align: right; color: var(--muted); font-weight: 600; white-space: nowrap; vertical-align: middle; }
        table.weights img.weight { width: 78px; }
        .small { font-size: 11.5px; }
        .colorbar { display: flex; align-items: center; gap: 8px; margin: 6px 0 12px; font-size: 13px; }
        img.bar { width: 240px; height: 12px; border: 1px solid var(--line); }
        .gallery { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; width: 150px; }
        figure img.tile { width: 112px; }
        figcaption { font-size: 12.5px; line-height: 1.35; margin-top: 4px; }
        figcaption .muted { display: block; }
        .per-class { margin-top: 8px; font-size: 14px; }
        footer { color: var(--muted); font-size: 12.5px; margin-top: 20px; }
        @media print { body { background: #fff; } section { break-inside: avoid; border: none; padding: 0; } nav, .chart-head label { display: none; } }

        """;
}
