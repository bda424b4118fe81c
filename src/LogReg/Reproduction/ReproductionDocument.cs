namespace LogReg.Reproduction;

/// <summary>
/// A source document LogReg reproduces: its sections in the source's order, the preset files whose runs reproduce it,
/// and what it publishes (numbers, figures, claims). Adding an experiment, a published number or a claim is one entry.
/// </summary>
public sealed record ReproductionDocument
{
    /// <summary>The name on the command line: kmnist-report, mnist-report, mnist-notebook, fashion-blog.</summary>
    public required string Name { get; init; }

    /// <summary>The source document's title as the reproduction shows it.</summary>
    public required string Title { get; init; }

    /// <summary>Which source file(s) the numbers come from, e.g. "seed 003 (the notebook)".</summary>
    public required string Source { get; init; }

    /// <summary>What the document reproduces, in one line (for --list).</summary>
    public required string Summary { get; init; }

    /// <summary>How many training images the source trained on (the full training set of its dataset), to tell a reduced run.</summary>
    public int? SourceTrainImages { get; init; }

    /// <summary>The source's sections, in its order.</summary>
    public required IReadOnlyList<ReproductionSection> Sections { get; init; }

    /// <summary>Every preset file the document runs, in the order of its sections.</summary>
    public IReadOnlyList<string> Experiments => Sections.SelectMany(s => s.Experiments).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Every claim of the document, in the order of its sections.</summary>
    public IEnumerable<Claim> Claims => Sections.SelectMany(s => s.Claims);
}

/// <summary>
/// One section of a source document: the presets it runs, its tables of published numbers, the figures re-drawn from
/// our runs, and its claims.
/// </summary>
public sealed record ReproductionSection(string Heading, string Note)
{
    /// <summary>The preset files (experiments/NAME.yaml) this section runs.</summary>
    public IReadOnlyList<string> Experiments { get; init; } = [];

    /// <summary>The section's tables of published values, shown beside ours.</summary>
    public IReadOnlyList<PublishedTable> Tables { get; init; } = [];

    /// <summary>The section's figures, re-drawn from our runs.</summary>
    public IReadOnlyList<FigureSpec> Figures { get; init; } = [];

    /// <summary>The section's claims, each checked on our results.</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];
}

/// <summary>A table of the source (or the numbers of one of its paragraphs or figure captions), published against ours.</summary>
public sealed record PublishedTable(string Caption, IReadOnlyList<PublishedValue> Values);

/// <summary>
/// One number the source publishes: where (<paramref name="Reference"/>, e.g. "seed 000, Table 2"), what (a row label),
/// and which of our values it compares with: <paramref name="Metric"/> at the grid point <paramref name="Point"/>.
/// Accuracies are fractions (0.99, not 99 %).
/// </summary>
public sealed record PublishedValue(string Reference, string Label, PointRef Point, string Metric, double Value);

/// <summary>What a figure of our reproduction draws, and the source figure it re-draws.</summary>
public abstract record FigureSpec(string Reference, string Caption);

/// <summary>Per-epoch curves of <paramref name="Metrics"/> (e.g. train_accuracy, val_loss) at each point (its first run).</summary>
public sealed record CurvesFigure(string Reference, string Caption, IReadOnlyList<PointRef> Points, IReadOnlyList<string> Metrics) : FigureSpec(Reference, Caption);

/// <summary>A metric against a numeric grid axis (log scale when <paramref name="LogX"/>), one line per value of <paramref name="SeriesAxis"/>.</summary>
public sealed record SweepFigure(string Reference, string Caption, string Preset, string Axis, string? SeriesAxis, IReadOnlyList<string> Metrics, bool LogX) : FigureSpec(Reference, Caption);

/// <summary>The weight image of every output of a point's model, beside the class averages when the model has one output per class.</summary>
public sealed record WeightsFigure(string Reference, string Caption, PointRef Point) : FigureSpec(Reference, Caption);

/// <summary>The test accuracy of each class (recall) of the experiment's best model, lowest first.</summary>
public sealed record PerClassFigure(string Reference, string Caption, string Preset) : FigureSpec(Reference, Caption);

/// <summary>
/// A grid point of one preset: the point whose parameters match every <paramref name="Where"/> pair (values compared
/// as numbers where both are numbers), or the experiment's selected best point when there are none.
/// </summary>
public sealed record PointRef(string Preset, IReadOnlyList<KeyValuePair<string, string>> Where)
{
    /// <summary>A point by "axis=value" pairs, e.g. At("x.yaml", "penalty=l1", "lambda=0.1"); no pairs: the best point.</summary>
    public static PointRef At(string preset, params string[] pairs) =>
        new(preset, [.. pairs.Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : ""))]);

    /// <summary>The point as "preset: axis=value, ..." for messages and tables.</summary>
    public string Describe() => Where.Count == 0 ? "best point" : string.Join(", ", Where.Select(p => $"{p.Key} {p.Value}"));
}
