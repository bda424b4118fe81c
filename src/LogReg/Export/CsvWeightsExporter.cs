using System.Globalization;
using System.Text;
using LogReg.Core;
using LogReg.Models;

namespace LogReg.Export;

/// <summary>
/// The weights as a spreadsheet: a header <c>row,class,intercept,r0c0,r0c1,…</c> (one column per pixel, named by its
/// row and column in the image), one <c>coef</c> row per class (one for a binary model: the second class's score), then
/// the <c>scaler_offset</c> and <c>scaler_scale</c> rows, so that a sheet can compute
/// score = intercept + Σ coef × (pixel − scaler_offset) × scaler_scale. Numbers are invariant-culture, shortest
/// round-trip; class names are quoted where they hold a comma or a quote.
/// </summary>
public static class CsvWeightsExporter
{
    /// <summary>Writes the model's weights and biases to <paramref name="path"/> as CSV.</summary>
    public static void Save(TrainedModel model, string path)
    {
        var text = Serialize(model);
        ExportTarget.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The model's weights and biases as CSV: one row per output, the bias then one column per feature.</summary>
    public static string Serialize(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.Model;
        var text = new StringBuilder();
        text.Append("row,class,intercept");
        for (var r = 0; r < model.Shape.Height; r++)
        {
            for (var c = 0; c < model.Shape.Width; c++)
            {
                text.Append(CultureInfo.InvariantCulture, $",r{r}c{c}");
            }
        }

        text.Append('\n');
        for (var k = 0; k < m.Outputs; k++)
        {
            var className = m.ClassNames[m.Kind == ModelKind.Logistic ? 1 : k];
            Row(text, "coef", className, m.Bias[k], m.WeightsOf(k));
        }

        Row(text, "scaler_offset", "", null, model.Scaler.Offset);
        Row(text, "scaler_scale", "", null, model.Scaler.Scale);
        return text.ToString();
    }

    private static void Row(StringBuilder text, string row, string className, float? intercept, ReadOnlySpan<float> values)
    {
        text.Append(row).Append(',').Append(Quote(className)).Append(',');
        if (intercept is { } b)
        {
            text.Append(Number(b));
        }

        foreach (var v in values)
        {
            text.Append(',').Append(Number(v));
        }

        text.Append('\n');
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
