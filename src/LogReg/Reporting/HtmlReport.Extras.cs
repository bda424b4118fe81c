using System.Text;

namespace LogReg.Reporting;

/// <summary>The sections drawn by <see cref="ExperimentFigures"/>: weights per grid point, pair differences, least accurate classes.</summary>
internal static partial class HtmlReport
{
    private static void GridWeightsAndPairDifferences(StringBuilder html, ReportDocument d, IReadOnlyDictionary<string, byte[]> figures)
    {
        if (d.GridWeights.Count > 0)
        {
            html.Append("<section id=\"grid-weights\"><h2>Weights at each grid point</h2><p class=\"note\">The weights of each point's first run, each on its own colour scale (red for the second class, blue for the first, white 0), with the point's mean weight length and test accuracy.</p><div class=\"gallery\">");
            foreach (var g in d.GridWeights)
            {
                html.Append(Tile(figures, g.File, g.Point, Invariant($"±{g.Scale:0.###} · ‖w‖ {Number(g.WeightNorm, "0.###")} · test {Percent(g.TestAccuracy)}")));
            }

            html.Append("</div></section>\n");
        }

        if (d.PairDifferences.Count > 0)
        {
            html.Append("<section id=\"pair-differences\"><h2>Weight differences as classifiers</h2><p class=\"note\">Two class-pair models that share a class, subtracted (weights and biases) without any training: the difference scores the two other classes against each other. It is scored here on their test images, selected as this experiment's were.</p>");
            html.Append("<table class=\"per-class\"><thead><tr><th>Classifier</th><th>Weights</th><th>Test images</th><th>Test accuracy</th></tr></thead><tbody>");
            foreach (var p in d.PairDifferences)
            {
                html.Append("<tr><th>").Append(E(p.Negative)).Append(" vs ").Append(E(p.Positive)).Append("<div class=\"muted small\">").Append(E(p.Caption)).Append("</div></th><td>")
                    .Append(Image(figures, p.File, p.Negative + " vs " + p.Positive + " difference weights", "weight")).Append("<div class=\"muted small\">±").Append(Number(p.Scale, "0.###")).Append("</div></td><td class=\"num\">")
                    .Append(p.TestImages.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("</td><td class=\"num\">").Append(Percent(p.TestAccuracy)).Append("</td></tr>");
            }

            html.Append("</tbody></table></section>\n");
        }
    }

    private static void LeastAccurateClasses(StringBuilder html, ReportDocument d, IReadOnlyDictionary<string, byte[]> figures)
    {
        if (d.LeastAccurate.Count == 0)
        {
            return;
        }

        html.Append("<section id=\"least-accurate\"><h2>Least accurate classes</h2><p class=\"note\">The classes with the lowest test recall, lowest first, with their first test images.</p><table class=\"samples\">");
        foreach (var c in d.LeastAccurate)
        {
            html.Append("<tr><th>").Append(E(c.Class)).Append("<div class=\"muted small\">recall ").Append(Percent(c.Recall)).Append(" of ")
                .Append(c.Support.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("</div></th><td>")
                .Append(c.SamplesFile is { } file ? Image(figures, file, c.Class + " samples", "sample-strip") : "<span class=\"muted\">no images</span>").Append("</td></tr>");
        }

        html.Append("</table></section>\n");
    }
}
