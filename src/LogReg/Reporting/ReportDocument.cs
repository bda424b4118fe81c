namespace LogReg.Reporting;

/// <summary>
/// Everything a report shows, as numbers and figure file names: what report.json holds and what the charts and tables
/// of report.html are drawn from. Sections that do not apply are empty or null.
/// </summary>
public sealed record ReportDocument
{
    /// <summary>"run" or "experiment".</summary>
    public required string Kind { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>Why the report shows less than a finished run or experiment (interrupted, runs missing); null when complete.</summary>
    public string? Incomplete { get; init; }

    /// <summary>The LogReg version that wrote the report.</summary>
    public required string GeneratedBy { get; init; }

    public required IReadOnlyList<SummaryItem> Summary { get; init; }

    /// <summary>Accuracy and mean loss of the report's model on each split.</summary>
    public IReadOnlyList<SplitMetrics> FinalMetrics { get; init; } = [];

    /// <summary>Loss and accuracy per epoch, split and grid point (one point, "run", for a single run).</summary>
    public IReadOnlyList<CurvePoint> Curves { get; init; } = [];

    /// <summary>The epoch whose weights were kept (single runs).</summary>
    public int? BestEpoch { get; init; }

    public ResultsTable? Results { get; init; }

    public IReadOnlyList<LambdaPoint> LambdaSweep { get; init; } = [];

    public WeightFigures? Weights { get; init; }

    /// <summary>A table model's coefficients by feature name (instead of weight images).</summary>
    public CoefficientBars? Coefficients { get; init; }

    public IReadOnlyList<ClassSamples> Samples { get; init; } = [];

    public ConfusionReport? Confusion { get; init; }

    public IReadOnlyList<MistakeItem> Mistakes { get; init; } = [];

    /// <summary>What could not be shown, and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The weights at each grid point of a binary penalty sweep (experiments).</summary>
    public IReadOnlyList<GridWeightImage> GridWeights { get; init; } = [];

    /// <summary>This class-pair experiment's weights minus a sibling experiment's, scored as a classifier (experiments).</summary>
    public IReadOnlyList<PairDifferenceResult> PairDifferences { get; init; } = [];

    /// <summary>The classes with the lowest test recall, with their sample images.</summary>
    public IReadOnlyList<LeastAccurateClass> LeastAccurate { get; init; } = [];
}

public sealed record SummaryItem(string Label, string Value);

public sealed record SplitMetrics(string Split, double? Accuracy, double? Loss);

/// <summary>
/// One value of a training curve: <paramref name="Metric"/> ("loss" or "accuracy") on <paramref name="Split"/> after
/// <paramref name="Epoch"/>, the mean over the point's runs with the smallest and largest run.
/// </summary>
public sealed record CurvePoint(string Point, int Epoch, string Metric, string Split, double Mean, double Min, double Max, int Runs);

public sealed record ResultsTable(IReadOnlyList<string> Columns, IReadOnlyList<ResultsTableRow> Rows, string SelectedBy, string Footnote);

public sealed record ResultsTableRow(string Point, IReadOnlyList<string> Cells, IReadOnlyList<double?> SortKeys, bool Best);

/// <summary>One grid point of a penalty sweep: mean final weight norms and accuracy over its runs.</summary>
public sealed record LambdaPoint(string Penalty, double Lambda, double? WeightL1Norm, double? WeightL2Norm, double? TestAccuracy, double? ValidationAccuracy, int Runs);

/// <summary>
/// Weight images per class, on one colour scale shared by all classes and each on its own, with the class averages;
/// for a class pair also the binary model's weights and the difference of two one-vs-rest models' weights.
/// </summary>
public sealed record WeightFigures(string Caption, double SharedScale, string ColorBar, IReadOnlyList<WeightImage> Classes, PairWeights? Pair);

public sealed record WeightImage(string Label, string SharedFile, string OwnFile, double OwnScale, string? AverageFile);

public sealed record PairWeights(string Negative, string Positive, string BinaryFile, double BinaryScale, string? DifferenceFile, double? DifferenceScale, string DifferenceCaption);

public sealed record ClassSamples(string Class, string File, int Count);

public sealed record ConfusionReport(string Caption, IReadOnlyList<string> ClassNames, IReadOnlyList<IReadOnlyList<long>> Counts, double Accuracy, IReadOnlyList<ClassMetrics> PerClass);

/// <summary>
/// One class against the rest: <paramref name="Accuracy"/> is the share of all images whose membership of the class is
/// predicted right; recall is the share of the class's images predicted as it.
/// </summary>
public sealed record ClassMetrics(string Class, long Support, double Accuracy, double Precision, double Recall, double F1);

public sealed record MistakeItem(int Index, string TrueClass, string PredictedClass, double Probability, string File);
