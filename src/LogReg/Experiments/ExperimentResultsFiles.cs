using System.Globalization;
using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Runs;

namespace LogReg.Experiments;

/// <summary>
/// The results files of an experiment: results.csv (every number, one row per grid point), results.md (the table as
/// the seeds lay it out) and results.json (every point and run). Written from the results in memory; the aggregation
/// that computes them is in ExperimentResults.cs.
/// </summary>
public sealed partial class ExperimentResults
{
    /// <summary>Writes results.csv, results.md and results.json into <paramref name="directory"/> (each atomically).</summary>
    public void Write(string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, CsvFile), ToCsv());
        AtomicFile.WriteAllText(Path.Combine(directory, MarkdownFile), ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), ToJson());
    }

    /// <summary>The results table as CSV: one row per grid point, one column per split and metric, then their means.</summary>
    public string ToCsv()
    {
        var axes = Spec.Grid.Select(a => a.Name).ToArray();
        var splits = Enumerable.Range(0, RunsPerPoint).ToArray();
        var header = new List<string> { "point" };
        header.AddRange(axes.Select(a => "param_" + a));
        foreach (var metric in Metrics)
        {
            header.AddRange(splits.Select(s => $"split{s}_{metric}"));
            header.Add("mean_" + metric);
            header.Add("std_" + metric);
        }

        header.AddRange(["rank_" + Spec.Select, "mean_fit_time", "std_fit_time", "mean_epochs", "runs"]);
        var text = new StringBuilder().AppendJoin(',', header).Append('\n');
        foreach (var p in Points)
        {
            var row = new List<string> { Csv(p.Point.Id) };
            row.AddRange(axes.Select(a => Csv(p.Point.Parameters.First(x => x.Key == a).Value)));
            foreach (var metric in Metrics)
            {
                row.AddRange(splits.Select(s => s < p.Runs.Count ? Number(p.Runs[s].Metric(metric)) : ""));
                row.Add(Number(p.Mean(metric)));
                row.Add(Number(p.Std(metric)));
            }

            row.Add(p.Rank?.ToString(CultureInfo.InvariantCulture) ?? "");
            row.Add(Number(p.MeanFitSeconds));
            row.Add(Number(p.StdFitSeconds));
            row.Add(Number(p.Runs.Count == 0 ? null : p.Runs.Average(r => r.EpochsRun)));
            row.Add(p.Runs.Count.ToString(CultureInfo.InvariantCulture));
            text.AppendJoin(',', row).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The results table as Markdown, best point in bold, with the data description and run counts.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Spec.Name).Append("\n\n");
        if (Spec.Description.Length > 0)
        {
            text.Append(Spec.Description.Trim()).Append("\n\n");
        }

        text.Append(DataDescription).Append("\n\n");
        var (columns, rows) = Table();
        text.Append("| ").AppendJoin(" | ", columns.Select(c => c.Header)).Append(" |\n");
        text.Append('|').AppendJoin("", columns.Select(_ => " --- |")).Append('\n');
        foreach (var row in rows)
        {
            var cells = row.Cells.Select(c => row.Best && c.Length > 0 ? $"**{c}**" : c);
            text.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        text.Append('\n');
        text.Append(Invariant.Format($"Runs: {FinishedRuns} of {TotalRuns} finished ({RunsPerPoint} per grid point"));
        text.Append(RunsPerPoint > 1 ? "; values are mean ± std over them" : "").Append(").");
        if (FinishedRuns > 0)
        {
            text.Append(Invariant.Format($" Fit time {Points.Sum(p => p.Runs.Sum(r => r.FitSeconds)):0.0} s in all."));
        }

        text.Append('\n');
        if (Best is not null)
        {
            text.Append("\n**Best** by ").Append(Spec.Select.Replace('_', ' ')).Append(": ").Append(Best.Point.Describe());
            text.Append(Invariant.Format($" — {Spec.Select.Replace('_', ' ')} {MeanStd(Best, Spec.Select)}."));
            if (Spec.Test == TestProtocol.Runs && BestRun is { TestAccuracy: { } ta } run)
            {
                var which = RunsPerPoint > 1 ? Invariant.Format($"its best run (seed {run.Key.Seed}, fold {run.Key.Fold})") : "its run";
                text.Append(Invariant.Format($" Test accuracy of {which}: {ta:0.0000}, test loss {run.TestLoss ?? double.NaN:0.0000}."));
            }

            if (Retrained is { } retrained)
            {
                text.Append(Invariant.Format($" Retrained on all training data: test accuracy {retrained.TestAccuracy ?? double.NaN:0.0000}, test loss {retrained.TestLoss ?? double.NaN:0.0000}."));
            }

            text.Append('\n');
        }

        if (TestConfusion is not null)
        {
            text.Append('\n').Append(TestConfusion.ToMarkdown());
        }

        return text.ToString();
    }

    /// <summary>The results as JSON: the spec's identity, every point's parameters and metrics per split.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("name", Spec.Name);
            json.WriteString("description", Spec.Description);
            json.WriteString("data", DataDescription);
            json.WriteString("select", Spec.Select);
            json.WriteNumber("runs_per_point", RunsPerPoint);
            json.WriteNumber("finished_runs", FinishedRuns);
            json.WriteNumber("total_runs", TotalRuns);
            json.WriteStartArray("axes");
            foreach (var axis in Spec.Grid)
            {
                json.WriteStringValue(axis.Name);
            }

            json.WriteEndArray();
            json.WriteStartArray("points");
            foreach (var p in Points)
            {
                json.WriteStartObject();
                json.WriteString("id", p.Point.Id);
                json.WriteStartObject("params");
                foreach (var (name, value) in p.Point.Parameters)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                if (p.Rank is { } rank)
                {
                    json.WriteNumber("rank", rank);
                }
                else
                {
                    json.WriteNull("rank");
                }

                foreach (var metric in Metrics)
                {
                    JsonNumbers.WriteFiniteOrNull(json, "mean_" + metric, p.Mean(metric));
                    JsonNumbers.WriteFiniteOrNull(json, "std_" + metric, p.Std(metric));
                }

                json.WriteNumber("mean_fit_time", p.MeanFitSeconds);
                json.WriteStartArray("runs");
                foreach (var r in p.Runs)
                {
                    json.WriteStartObject();
                    json.WriteString("directory", r.Key.RelativeDirectory);
                    json.WriteNumber("seed", r.Key.Seed);
                    json.WriteNumber("fold", r.Key.Fold);
                    foreach (var metric in Metrics)
                    {
                        JsonNumbers.WriteFiniteOrNull(json, metric, r.Metric(metric));
                    }

                    json.WriteNumber("epochs_run", r.EpochsRun);
                    json.WriteNumber("best_epoch", r.BestEpoch);
                    json.WriteNumber("fit_time", r.FitSeconds);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (Best is not null)
            {
                json.WriteString("best_point", Best.Point.Id);
            }

            if (BestRun is not null)
            {
                json.WriteString("best_run", BestRun.Key.RelativeDirectory);
            }

            if (ElapsedSeconds is { } elapsed)
            {
                json.WriteNumber("elapsed_seconds", elapsed);
            }

            if (Retrained is not null)
            {
                json.WriteStartObject("retrained");
                JsonNumbers.WriteFiniteOrNull(json, "test_accuracy", Retrained.TestAccuracy);
                JsonNumbers.WriteFiniteOrNull(json, "test_loss", Retrained.TestLoss);
                json.WriteEndObject();
            }

            if (TestConfusion is { } confusion)
            {
                json.WriteStartObject("test_confusion");
                json.WriteString("caption", confusion.Caption);
                json.WriteStartArray("class_names");
                foreach (var name in confusion.ClassNames)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
                json.WriteStartArray("counts");
                for (var actual = 0; actual < confusion.ClassNames.Count; actual++)
                {
                    json.WriteStartArray();
                    for (var predicted = 0; predicted < confusion.ClassNames.Count; predicted++)
                    {
                        json.WriteNumberValue(confusion.Matrix[actual, predicted]);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
