using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LogReg.Reproduction;

/// <summary>How a reproduction was run: what may make it differ from the source beyond the protocol.</summary>
public sealed record ReproductionConditions
{
    /// <summary>The subset option, as the command line gave it (e.g. "--train-first 500"); null for the full protocol.</summary>
    public string? Subset { get; init; }

    /// <summary>The dataset given instead of the presets' (e.g. kmnist-partial); null when the presets' own.</summary>
    public string? Dataset { get; init; }

    /// <summary>The LogReg version that ran the reproduction.</summary>
    public string GeneratedBy { get; init; } = "";

    /// <summary>When the reproduction started (UTC).</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>Wall time of the whole reproduction, in seconds.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>The runs that finished of those the experiments hold, and whether the run was interrupted.</summary>
    public int FinishedRuns { get; init; }

    /// <summary>Training runs over all of the document's experiments.</summary>
    public int TotalRuns { get; init; }

    /// <summary>Whether Ctrl+C stopped the reproduction before every run finished.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>One published number beside ours.</summary>
public sealed record ComparedValue(string Section, string Table, string Reference, string Label, string Preset, string Point, string Metric, double Published, double? Ours)
{
    /// <summary>Ours minus published, when both are known.</summary>
    public double? Difference => Ours - Published;
}

/// <summary>One claim and what its check found.</summary>
public sealed record CheckedClaim(string Section, Claim Claim, ClaimResult Result);

/// <summary>A reproduction's outcome: every published value against ours, every claim checked, and the conditions.</summary>
public sealed record ReproductionOutcome(ReproductionDocument Document, ReproductionData Data, IReadOnlyList<ComparedValue> Values, IReadOnlyList<CheckedClaim> Claims, ReproductionConditions Conditions)
{
    /// <summary>The file name of the reproduction document.</summary>
    public const string HtmlFile = "reproduction.html";
    /// <summary>The file name of the machine-readable reproduction.</summary>
    public const string JsonFile = "reproduction.json";

    /// <summary>Compares and checks everything the document publishes against <paramref name="data"/>.</summary>
    public static ReproductionOutcome Evaluate(ReproductionDocument document, ReproductionData data, ReproductionConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(data);
        var values = new List<ComparedValue>();
        var claims = new List<CheckedClaim>();
        foreach (var section in document.Sections)
        {
            foreach (var table in section.Tables)
            {
                values.AddRange(table.Values.Select(v => new ComparedValue(section.Heading, table.Caption, v.Reference, v.Label, v.Point.Preset, v.Point.Describe(), v.Metric, v.Value, data.Find(v.Point)?.Metric(v.Metric))));
            }

            claims.AddRange(section.Claims.Select(c => new CheckedClaim(section.Heading, c, c.Evaluate(data))));
        }

        return new(document, data, values, claims, conditions);
    }

    /// <summary>How many claims got <paramref name="verdict"/>.</summary>
    public int Count(Verdict verdict) => Claims.Count(c => c.Result.Verdict == verdict);

    /// <summary>
    /// The experiments that ran on fewer training images than the source had (kmnist-partial's 7,011 of 60,000), with the
    /// claims this may change; empty when none did.
    /// </summary>
    public IReadOnlyList<string> ReducedTraining()
    {
        if (Document.SourceTrainImages is not { } source)
        {
            return [];
        }

        var reduced = Data.Experiments.Values.Where(e => e.TrainImages is { } n && n < source).ToList();
        if (reduced.Count == 0)
        {
            return [];
        }

        var n = reduced.Min(e => e.TrainImages!.Value);
        var affected = Claims.Where(c => c.Claim.DependsOnTrainingSize).Select(c => c.Claim.Id).ToList();
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"This reproduction used {n:N0} training images ({string.Join(", ", reduced.Select(e => e.Dataset).Distinct())}), not the source's {source:N0}: every number below comes from a model trained on {(double)n / source:P0} of the source's training data."),
            affected.Count == 0 ? "No claim is marked as depending on the training set's size." : $"Claims this affects (their thresholds assume the full training set): {string.Join(", ", affected)}. The others compare settings with each other on the same data.",
        ];
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>reproduction.json: every published/ours pair and every check, with the conditions.</summary>
    public string ToJson()
    {
        static JsonNode? N(double? v) => v is { } x && double.IsFinite(x) ? JsonValue.Create(x) : null;
        var root = new JsonObject
        {
            ["document"] = Document.Name,
            ["title"] = Document.Title,
            ["source"] = Document.Source,
            ["generated_by"] = Conditions.GeneratedBy,
            ["started"] = Conditions.Started.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            ["elapsed_seconds"] = Math.Round(Conditions.ElapsedSeconds, 1),
            ["subset"] = Conditions.Subset,
            ["dataset_override"] = Conditions.Dataset,
            ["runs_finished"] = Conditions.FinishedRuns,
            ["runs_total"] = Conditions.TotalRuns,
            ["interrupted"] = Conditions.Interrupted,
            ["reduced_training"] = new JsonArray([.. ReducedTraining().Select(s => (JsonNode)s)]),
            ["experiments"] = new JsonArray([.. Document.Experiments.Select(p => (JsonNode)new JsonObject
            {
                ["preset"] = p,
                ["ran"] = Data[p] is not null,
                ["dataset"] = Data[p]?.Dataset,
                ["train_images"] = Data[p]?.TrainImages,
                ["points"] = Data[p]?.Points.Count,
            })]),
            ["values"] = new JsonArray([.. Values.Select(v => (JsonNode)new JsonObject
            {
                ["section"] = v.Section,
                ["table"] = v.Table,
                ["reference"] = v.Reference,
                ["label"] = v.Label,
                ["preset"] = v.Preset,
                ["point"] = v.Point,
                ["metric"] = v.Metric,
                ["published"] = v.Published,
                ["ours"] = N(v.Ours),
                ["difference"] = N(v.Difference),
            })]),
            ["scorecard"] = new JsonObject
            {
                ["pass"] = Count(Verdict.Pass),
                ["fail"] = Count(Verdict.Fail),
                ["not_applicable"] = Count(Verdict.NotApplicable),
            },
            ["claims"] = new JsonArray([.. Claims.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Claim.Id,
                ["section"] = c.Section,
                ["claim"] = c.Claim.Statement,
                ["reference"] = c.Claim.Reference,
                ["verdict"] = VerdictName(c.Result.Verdict),
                ["measured"] = c.Result.Reason,
                ["depends_on_training_size"] = c.Claim.DependsOnTrainingSize,
                ["values"] = new JsonArray([.. c.Result.Values.Select(m => (JsonNode)new JsonObject { ["label"] = m.Label, ["value"] = N(m.Value) })]),
            })]),
        };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>The verdict as the document and reproduction.json print it (PASS, FAIL, NOT APPLICABLE).</summary>
    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        _ => "NOT APPLICABLE",
    };
}
