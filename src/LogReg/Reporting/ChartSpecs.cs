using System.Text.Json.Nodes;

namespace LogReg.Reporting;

/// <summary>
/// Vega-Lite specifications of a report's charts, with their data inline (a report opens offline). Chart ids are the
/// HTML element ids they are drawn into.
/// </summary>
internal static class ChartSpecs
{
    public const string LossChart = "chart-loss";
    public const string AccuracyChart = "chart-accuracy";
    public const string WeightNormChart = "chart-lambda-norms";
    public const string LambdaAccuracyChart = "chart-lambda-accuracy";
    public const string ConfusionChart = "chart-confusion";

    private const string Schema = "https://vega.github.io/schema/vega-lite/v6.json";

    // Colour-blind-safe (Okabe–Ito) and the same split in every chart.
    private static readonly string[] Splits = ["train", "validation", "test"];
    private static readonly string[] SplitColors = ["#0072B2", "#E69F00", "#009E73"];
    private static readonly string[] PenaltyColors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9"];

    /// <summary>Every chart that applies to the report, by element id.</summary>
    public static IReadOnlyDictionary<string, JsonObject> For(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var charts = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (document.Curves.Any(c => c.Metric == "loss"))
        {
            charts[LossChart] = Curves(document, "loss", "Mean cross-entropy");
        }

        if (document.Curves.Any(c => c.Metric == "accuracy"))
        {
            charts[AccuracyChart] = Curves(document, "accuracy", "Accuracy");
        }

        var sweep = document.LambdaSweep.Where(p => p.Lambda > 0).ToList();
        if (sweep.Count > 0)
        {
            charts[WeightNormChart] = WeightNorms(sweep);
            charts[LambdaAccuracyChart] = LambdaAccuracy(sweep);
        }

        if (document.Confusion is { } confusion)
        {
            charts[ConfusionChart] = Confusion(confusion);
        }

        foreach (var chart in charts.Values)
        {
            chart["config"] = Config();
        }

        return charts;
    }

    /// <summary>How many line series a curves chart draws: one per grid point and split.</summary>
    public static int SeriesCount(ReportDocument document, string metric)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Curves.Where(c => c.Metric == metric).Select(c => (c.Point, c.Split)).Distinct().Count();
    }

    private static JsonObject Curves(ReportDocument document, string metric, string title)
    {
        var rows = document.Curves.Where(c => c.Metric == metric).ToList();
        var points = rows.Select(c => c.Point).Distinct().ToList();
        var values = new JsonArray();
        foreach (var c in rows)
        {
            values.Add(new JsonObject
            {
                ["point"] = c.Point,
                ["epoch"] = c.Epoch,
                ["split"] = c.Split,
                ["mean"] = c.Mean,
                ["min"] = c.Min,
                ["max"] = c.Max,
                ["runs"] = c.Runs,
            });
        }

        var splits = Splits.Where(s => rows.Any(r => r.Split == s)).ToArray();
        var x = new JsonObject { ["field"] = "epoch", ["type"] = "quantitative", ["title"] = "epoch", ["axis"] = new JsonObject { ["tickMinStep"] = 1 } };
        var y = new JsonObject { ["field"] = "mean", ["type"] = "quantitative", ["title"] = title, ["scale"] = new JsonObject { ["zero"] = false } };
        var color = new JsonObject
        {
            ["field"] = "split",
            ["type"] = "nominal",
            ["title"] = "split",
            ["scale"] = new JsonObject { ["domain"] = Strings(splits), ["range"] = Strings(splits.Select(s => SplitColors[Array.IndexOf(Splits, s)])) },
            ["legend"] = new JsonObject { ["symbolType"] = "stroke", ["symbolStrokeWidth"] = 3 },
        };
        var layers = new JsonArray();
        if (rows.Any(r => r.Runs > 1))
        {
            layers.Add(new JsonObject
            {
                ["mark"] = new JsonObject { ["type"] = "area", ["opacity"] = 0.18 },
                ["encoding"] = new JsonObject { ["x"] = x.DeepClone(), ["y"] = new JsonObject { ["field"] = "min", ["type"] = "quantitative" }, ["y2"] = new JsonObject { ["field"] = "max" }, ["color"] = color.DeepClone() },
            });
        }

        layers.Add(new JsonObject
        {
            ["mark"] = new JsonObject { ["type"] = "line", ["strokeWidth"] = 2 },
            ["encoding"] = new JsonObject { ["x"] = x.DeepClone(), ["y"] = y, ["color"] = color },
        });

        if (points.Count == 1)
        {
            if (document.BestEpoch is { } best)
            {
                layers.Add(new JsonObject
                {
                    ["data"] = new JsonObject { ["values"] = new JsonArray(new JsonObject()) }, // one rule, not one per row
                    ["mark"] = new JsonObject { ["type"] = "rule", ["strokeDash"] = new JsonArray(4, 4), ["color"] = "#888" },
                    ["encoding"] = new JsonObject { ["x"] = new JsonObject { ["datum"] = best, ["type"] = "quantitative" } },
                });
            }

            return new JsonObject
            {
                ["$schema"] = Schema,
                ["width"] = 560,
                ["height"] = 280,
                ["data"] = new JsonObject { ["values"] = values },
                ["layer"] = layers,
            };
        }

        return new JsonObject
        {
            ["$schema"] = Schema,
            ["data"] = new JsonObject { ["values"] = values },
            ["facet"] = new JsonObject { ["field"] = "point", ["type"] = "nominal", ["title"] = null, ["sort"] = Strings(points), ["header"] = new JsonObject { ["labelFontSize"] = 11, ["labelLimit"] = 260 } },
            ["columns"] = 3,
            ["spec"] = new JsonObject { ["width"] = 250, ["height"] = 160, ["layer"] = layers },

            // Each panel on its own vertical scale: the points' losses differ by orders of magnitude, and on one shared
            // scale the best points would be flat lines at the bottom.
            ["resolve"] = new JsonObject { ["scale"] = new JsonObject { ["y"] = "independent" } },
        };
    }

    private static JsonObject WeightNorms(List<LambdaPoint> sweep)
    {
        var values = new JsonArray();
        foreach (var p in sweep)
        {
            foreach (var (norm, value) in new[] { ("L1 norm", p.WeightL1Norm), ("L2 norm", p.WeightL2Norm) })
            {
                if (value is { } v)
                {
                    values.Add(new JsonObject { ["penalty"] = p.Penalty, ["lambda"] = p.Lambda, ["norm"] = norm, ["value"] = v });
                }
            }
        }

        return new JsonObject
        {
            ["$schema"] = Schema,
            ["data"] = new JsonObject { ["values"] = values },
            ["facet"] = new JsonObject { ["field"] = "norm", ["type"] = "nominal", ["title"] = null, ["sort"] = new JsonArray("L1 norm", "L2 norm") },
            ["spec"] = new JsonObject
            {
                ["width"] = 300,
                ["height"] = 220,
                ["mark"] = new JsonObject { ["type"] = "line", ["point"] = true, ["strokeWidth"] = 2 },
                ["encoding"] = new JsonObject
                {
                    ["x"] = LambdaAxis(),
                    ["y"] = new JsonObject { ["field"] = "value", ["type"] = "quantitative", ["title"] = "weight length", ["scale"] = new JsonObject { ["zero"] = false } },
                    ["color"] = PenaltyColor(sweep),
                    ["tooltip"] = new JsonArray(Field("penalty", "nominal"), Field("lambda", "quantitative"), Field("value", "quantitative", ".4g")),
                },
            },
            ["resolve"] = new JsonObject { ["scale"] = new JsonObject { ["y"] = "independent" } },
        };
    }

    private static JsonObject LambdaAccuracy(List<LambdaPoint> sweep)
    {
        var useTest = sweep.Any(p => p.TestAccuracy is not null);
        var values = new JsonArray();
        foreach (var p in sweep)
        {
            if ((useTest ? p.TestAccuracy : p.ValidationAccuracy) is { } accuracy)
            {
                values.Add(new JsonObject { ["penalty"] = p.Penalty, ["lambda"] = p.Lambda, ["accuracy"] = accuracy });
            }
        }

        return new JsonObject
        {
            ["$schema"] = Schema,
            ["width"] = 360,
            ["height"] = 220,
            ["data"] = new JsonObject { ["values"] = values },
            ["mark"] = new JsonObject { ["type"] = "line", ["point"] = true, ["strokeWidth"] = 2 },
            ["encoding"] = new JsonObject
            {
                ["x"] = LambdaAxis(),
                ["y"] = new JsonObject { ["field"] = "accuracy", ["type"] = "quantitative", ["title"] = useTest ? "final test accuracy" : "validation accuracy", ["scale"] = AccuracyScale(values.Select(v => (double)v!["accuracy"]!)), ["axis"] = new JsonObject { ["format"] = ".2%" } },
                ["color"] = PenaltyColor(sweep),
                ["tooltip"] = new JsonArray(Field("penalty", "nominal"), Field("lambda", "quantitative"), Field("accuracy", "quantitative", ".4f")),
            },
        };
    }

    private static JsonObject Confusion(ConfusionReport confusion)
    {
        var names = confusion.ClassNames;
        var values = new JsonArray();
        for (var t = 0; t < names.Count; t++)
        {
            var support = confusion.Counts[t].Sum();
            for (var p = 0; p < names.Count; p++)
            {
                var count = confusion.Counts[t][p];
                var share = support == 0 ? 0 : (double)count / support;
                values.Add(new JsonObject
                {
                    ["true"] = names[t],
                    ["predicted"] = names[p],
                    ["count"] = count,
                    ["share"] = share,
                    ["label"] = FormattableString.Invariant($"{count}\n{share * 100:0.#}%"),
                });
            }
        }

        var cell = names.Count <= 3 ? 90 : names.Count <= 10 ? 50 : Math.Max(18, 500 / names.Count);
        var sort = Strings(names);
        var x = new JsonObject { ["field"] = "predicted", ["type"] = "nominal", ["sort"] = sort, ["title"] = "predicted class", ["axis"] = new JsonObject { ["labelAngle"] = -40, ["labelLimit"] = 120 } };
        var y = new JsonObject { ["field"] = "true", ["type"] = "nominal", ["sort"] = sort.DeepClone(), ["title"] = "true class", ["axis"] = new JsonObject { ["labelLimit"] = 120 } };
        var layers = new JsonArray
        {
            new JsonObject
            {
                ["mark"] = new JsonObject { ["type"] = "rect", ["stroke"] = "#fff", ["strokeWidth"] = 1 },
                ["encoding"] = new JsonObject
                {
                    ["x"] = x,
                    ["y"] = y,
                    ["color"] = new JsonObject { ["field"] = "share", ["type"] = "quantitative", ["title"] = "share of row", ["scale"] = new JsonObject { ["domain"] = new JsonArray(0, 0.25, 0.5, 0.75, 1), ["range"] = new JsonArray("#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"), ["interpolate"] = "rgb" }, ["legend"] = new JsonObject { ["format"] = ".0%" } },
                    ["tooltip"] = new JsonArray(Field("true", "nominal"), Field("predicted", "nominal"), Field("count", "quantitative"), Field("share", "quantitative", ".1%")),
                },
            },
        };
        if (names.Count <= 15)
        {
            layers.Add(new JsonObject
            {
                ["mark"] = new JsonObject { ["type"] = "text", ["fontSize"] = names.Count <= 3 ? 13 : names.Count <= 10 ? 10.5 : 8, ["lineBreak"] = "\n" },
                ["encoding"] = new JsonObject
                {
                    ["x"] = x.DeepClone(),
                    ["y"] = y.DeepClone(),
                    ["text"] = new JsonObject { ["field"] = "label", ["type"] = "nominal" },
                    ["color"] = new JsonObject
                    {
                        ["condition"] = new JsonObject { ["test"] = "datum.share > 0.5", ["value"] = "#fff" },
                        ["value"] = "#222",
                    },
                },
            });
        }

        return new JsonObject
        {
            ["$schema"] = Schema,
            ["width"] = cell * names.Count,
            ["height"] = cell * names.Count,
            ["data"] = new JsonObject { ["values"] = values },
            ["layer"] = layers,
        };
    }

    /// <summary>Type and sizes that match the page around the charts.</summary>
    private static JsonObject Config() => new()
    {
        ["font"] = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif",
        ["axis"] = new JsonObject { ["labelFontSize"] = 11, ["titleFontSize"] = 12, ["titleFontWeight"] = 600, ["titleColor"] = "#344054", ["labelColor"] = "#344054", ["gridColor"] = "#eef0f3" },
        ["legend"] = new JsonObject { ["labelFontSize"] = 12, ["titleFontSize"] = 12, ["titleFontWeight"] = 600 },
        ["header"] = new JsonObject { ["labelFontSize"] = 12, ["labelFontWeight"] = 600 },
        ["view"] = new JsonObject { ["stroke"] = "#d0d5dd" },
    };

    /// <summary>A scale that shows flat accuracy as a flat line in a readable band rather than on a single tick.</summary>
    private static JsonObject AccuracyScale(IEnumerable<double> accuracies)
    {
        var values = accuracies.ToArray();
        if (values.Length == 0 || values.Max() - values.Min() >= 0.02)
        {
            return new JsonObject { ["zero"] = false };
        }

        var middle = (values.Max() + values.Min()) / 2;
        var low = Math.Max(0, middle - 0.01);
        return new JsonObject { ["domain"] = new JsonArray(low, Math.Min(1, low + 0.02)) };
    }

    private static JsonObject LambdaAxis() => new()
    {
        ["field"] = "lambda",
        ["type"] = "quantitative",
        ["title"] = "λ (log scale)",
        ["scale"] = new JsonObject { ["type"] = "log" },
        ["axis"] = new JsonObject { ["format"] = "~g" },
    };

    private static JsonObject PenaltyColor(List<LambdaPoint> sweep)
    {
        var penalties = sweep.Select(p => p.Penalty).Distinct().ToArray();
        return new JsonObject
        {
            ["field"] = "penalty",
            ["type"] = "nominal",
            ["title"] = "penalty",
            ["scale"] = new JsonObject { ["domain"] = Strings(penalties), ["range"] = Strings(penalties.Select((_, i) => PenaltyColors[i % PenaltyColors.Length])) },
        };
    }

    private static JsonObject Field(string name, string type, string? format = null)
    {
        var field = new JsonObject { ["field"] = name, ["type"] = type };
        if (format is not null)
        {
            field["format"] = format;
        }

        return field;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
}
