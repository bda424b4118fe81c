using System.Text;

namespace LogReg.Reporting;

/// <summary>The coefficient bars of a table model: plain HTML and CSS (no chart library), one block per class.</summary>
internal static partial class HtmlReport
{
    private static void Coefficients(StringBuilder html, CoefficientBars bars)
    {
        html.Append("<section id=\"coefficients\"><h2>Coefficients</h2><p class=\"note\">").Append(E(bars.Caption)).Append("</p><div class=\"coefficients\">");
        var scale = bars.Classes.SelectMany(c => c.Bars).Select(b => Math.Abs(b.Coefficient)).DefaultIfEmpty(0).Max();
        foreach (var c in bars.Classes)
        {
            html.Append("<table class=\"bars\"><caption>").Append(E(c.Class)).Append("<span class=\"muted small\"> · intercept ").Append(Number(c.Intercept, "0.###")).Append("</span></caption><tbody>");
            foreach (var b in c.Bars)
            {
                // Half the cell is each side of zero; widths share one scale across classes so bars compare.
                var width = scale > 0 ? 50 * Math.Abs(b.Coefficient) / scale : 0;
                var side = b.Coefficient >= 0 ? "pos" : "neg";
                html.Append("<tr><th>").Append(E(b.Feature)).Append("</th><td class=\"bar\"><span class=\"").Append(side).Append("\" style=\"width:")
                    .Append(Invariant($"{width:0.##}")).Append("%\"></span></td><td class=\"num\">").Append(Number(b.Coefficient, "0.000")).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</div></section>\n");
    }

    private const string CoefficientsCss = """
        .coefficients { display: flex; flex-wrap: wrap; gap: 24px; }
        table.bars { border-collapse: collapse; font-size: 13px; }
        table.bars caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
        table.bars th { text-align: right; font-weight: normal; padding: 1px 8px 1px 0; white-space: nowrap; }
        table.bars td.bar { width: 240px; position: relative; border-left: 0; }
        table.bars td.bar span { position: absolute; top: 3px; bottom: 3px; }
        table.bars td.bar span.pos { left: 50%; background: #d6604d; }
        table.bars td.bar span.neg { right: 50%; background: #4393c3; }
        table.bars td.bar::after { content: ""; position: absolute; left: 50%; top: 0; bottom: 0; border-left: 1px solid #999; }
        """;
}
