using System.Globalization;
using System.Text;

namespace LogReg.Evaluation;

/// <summary>A confusion matrix with its class names and where it came from, for reports.</summary>
public sealed record ConfusionTable(string Caption, IReadOnlyList<string> ClassNames, ConfusionMatrix Matrix)
{
    /// <summary>A Markdown table: rows are true classes, columns predictions, the diagonal in bold.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(Caption).Append(" (rows: true class, columns: predicted class):\n\n");
        text.Append("| true \\ predicted |");
        foreach (var name in ClassNames)
        {
            text.Append(' ').Append(Escape(name)).Append(" |");
        }

        text.Append("\n| --- |").Append(string.Concat(Enumerable.Repeat(" ---: |", ClassNames.Count))).Append('\n');
        for (var actual = 0; actual < ClassNames.Count; actual++)
        {
            text.Append("| ").Append(Escape(ClassNames[actual])).Append(" |");
            for (var predicted = 0; predicted < ClassNames.Count; predicted++)
            {
                var count = Matrix[actual, predicted].ToString(CultureInfo.InvariantCulture);
                text.Append(' ').Append(actual == predicted ? $"**{count}**" : count).Append(" |");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Escape(string name) => name.Replace("|", "\\|", StringComparison.Ordinal);
}
