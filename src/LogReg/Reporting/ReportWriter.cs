using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using LogReg.Common;

namespace LogReg.Reporting;

/// <summary>
/// Writes a report into a run or experiment folder: the figures under figures/, report.json and report.html, each file
/// written to a temporary name and renamed, report.html last.
/// </summary>
public static class ReportWriter
{
    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFile = "report.html";
    /// <summary>The JSON report's file name.</summary>
    public const string JsonFile = "report.json";

    // Source-generated metadata: reflection-based serialisation costs a tenth of a second of start-up on each report.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ReportJsonContext.Default,
    };

    /// <summary>Writes the report and returns the path of report.html.</summary>
    public static string Write(string directory, Report report, ReportAssets assets)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(assets);
        var html = HtmlReport.Render(report, assets);
        var figures = Path.Combine(directory, ReportBuilder.FiguresFolder);
        Directory.CreateDirectory(figures);

        // Figures of an earlier report that this one does not have (another model, fewer classes) would mislead.
        foreach (var stale in Directory.GetFiles(figures, "*.png"))
        {
            if (!report.Figures.ContainsKey(ReportBuilder.FiguresFolder + "/" + Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        foreach (var (name, png) in report.Figures)
        {
            AtomicFile.WriteAllBytes(Path.Combine(directory, name), png, durable: false);
        }

        AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), ToJson(report.Document));
        var path = Path.Combine(directory, HtmlFile);
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    /// <summary>The report's numbers as JSON (snake_case names), as report.json holds them.</summary>
    public static string ToJson(ReportDocument document) => JsonSerializer.Serialize(document, JsonOptions) + "\n";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
