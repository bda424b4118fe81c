namespace LogReg.Reporting;

/// <summary>
/// Everything a report shows, as numbers and figure file names: what report.json holds and what the charts and tables
/// of report.html are drawn from. Sections that do not apply are empty or null.
/// </summary>
public sealed record ReportDocument
{
    /// <summary>"run" or "experiment".</summary>
    public required string Kind { get; init; }

    /// <summary>The report's heading.</summary>
    public required string Title { get; init; }

    /// <summary>What the run or experiment is, in words; null when there is nothing to say.</summary>
    public string? Description { get; init; }

    /// <summary>Why the report shows less than a finished run or experiment (interrupted, runs missing); null when complete.</summary>
    public string? Incomplete { get; init; }

    /// <summary>The LogReg version that wrote the report.</summary>
    public required string GeneratedBy { get; init; }

    /// <summary>The label / value pairs at the top of the report.</summary>
    public required IReadOnlyList<SummaryItem> Summary { get; init; }

    /// <summary>Accuracy and mean loss of the report's model on each split.</summary>
    public IReadOnlyList<SplitMetrics> FinalMetrics { get; init; } = [];

    /// <summary>Loss and accuracy per epoch, split and grid point (one point, "run", for a single run).</summary>
    public IReadOnlyList<CurvePoint> Curves { get; init; } = [];

    /// <summary>The epoch whose weights were kept (single runs).</summary>
    public int? BestEpoch { get; init; }

    /// <summary>The experiment's results table (experiments only).</summary>
    public ResultsTable? Results { get; init; }

    /// <summary>Weight norms and accuracy against the penalty strength, when the grid varies it.</summary>
    public IReadOnlyList<LambdaPoint> LambdaSweep { get; init; } = [];

    /// <summary>The weight images, when the features are pixels.</summary>
    public WeightFigures? Weights { get; init; }

    /// <summary>A table model's coefficients by feature name (instead of weight images).</summary>
    public CoefficientBars? Coefficients { get; init; }

    /// <summary>Sample images of each class.</summary>
    public IReadOnlyList<ClassSamples> Samples { get; init; } = [];

    /// <summary>The confusion matrix on the test split, if it was scored.</summary>
    public ConfusionReport? Confusion { get; init; }

    /// <summary>The most confident mistakes on the test split.</summary>
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

/// <summary>One line of the report's summary.</summary>
/// <param name="Label">What the value is.</param>
/// <param name="Value">The value, formatted.</param>
public sealed record SummaryItem(string Label, string Value);

/// <summary>The final accuracy and mean loss on one split.</summary>
/// <param name="Split">"train", "validation" or "test".</param>
/// <param name="Accuracy">The share predicted right, if measured.</param>
/// <param name="Loss">The mean loss, if measured.</param>
public sealed record SplitMetrics(string Split, double? Accuracy, double? Loss);

/// <summary>
/// One value of a training curve: <paramref name="Metric"/> ("loss" or "accuracy") on <paramref name="Split"/> after
/// <paramref name="Epoch"/>, the mean over the point's runs with the smallest and largest run.
/// </summary>
public sealed record CurvePoint(string Point, int Epoch, string Metric, string Split, double Mean, double Min, double Max, int Runs);

/// <summary>An experiment's results, one row per grid point.</summary>
/// <param name="Columns">The column headings.</param>
/// <param name="Rows">The rows, in grid order.</param>
/// <param name="SelectedBy">The metric the best point was chosen by.</param>
/// <param name="Footnote">What the figures are (means over runs, which split).</param>
public sealed record ResultsTable(IReadOnlyList<string> Columns, IReadOnlyList<ResultsTableRow> Rows, string SelectedBy, string Footnote);

/// <summary>One grid point's row of the results table.</summary>
/// <param name="Point">The grid point's name.</param>
/// <param name="Cells">The formatted cells, one per column.</param>
/// <param name="SortKeys">The cells' values for sorting (null where not numeric).</param>
/// <param name="Best">Whether this is the selected point.</param>
public sealed record ResultsTableRow(string Point, IReadOnlyList<string> Cells, IReadOnlyList<double?> SortKeys, bool Best);

/// <summary>One grid point of a penalty sweep: mean final weight norms and accuracy over its runs.</summary>
public sealed record LambdaPoint(string Penalty, double Lambda, double? WeightL1Norm, double? WeightL2Norm, double? TestAccuracy, double? ValidationAccuracy, int Runs);

/// <summary>
/// Weight images per class, on one colour scale shared by all classes and each on its own, with the class averages;
/// for a class pair also the binary model's weights and the difference of two one-vs-rest models' weights.
/// </summary>
public sealed record WeightFigures(string Caption, double SharedScale, string ColorBar, IReadOnlyList<WeightImage> Classes, PairWeights? Pair);

/// <summary>The weight images of one class.</summary>
/// <param name="Label">The class's name.</param>
/// <param name="SharedFile">The image on the colour scale shared by all classes.</param>
/// <param name="OwnFile">The image on the class's own colour scale.</param>
/// <param name="OwnScale">The largest absolute weight of the class (its own scale's end).</param>
/// <param name="AverageFile">The class's average training image, if drawn.</param>
public sealed record WeightImage(string Label, string SharedFile, string OwnFile, double OwnScale, string? AverageFile);

/// <summary>The weight images of a two-class problem.</summary>
/// <param name="Negative">The class labelled 0.</param>
/// <param name="Positive">The class labelled 1.</param>
/// <param name="BinaryFile">The binary model's weight image.</param>
/// <param name="BinaryScale">The largest absolute weight of the binary model.</param>
/// <param name="DifferenceFile">The difference of the two classes' one-vs-rest weights, if drawn.</param>
/// <param name="DifferenceScale">The largest absolute value of that difference.</param>
/// <param name="DifferenceCaption">What the difference image shows, or why it is missing.</param>
public sealed record PairWeights(string Negative, string Positive, string BinaryFile, double BinaryScale, string? DifferenceFile, double? DifferenceScale, string DifferenceCaption);

/// <summary>Sample images of one class, drawn side by side.</summary>
/// <param name="Class">The class's name.</param>
/// <param name="File">The image file.</param>
/// <param name="Count">The number of samples drawn.</param>
public sealed record ClassSamples(string Class, string File, int Count);

/// <summary>A confusion matrix with per-class metrics.</summary>
/// <param name="Caption">What the matrix counts.</param>
/// <param name="ClassNames">The classes, in row and column order.</param>
/// <param name="Counts">Counts[actual][predicted].</param>
/// <param name="Accuracy">The share on the diagonal.</param>
/// <param name="PerClass">Precision, recall and F1 of each class.</param>
public sealed record ConfusionReport(string Caption, IReadOnlyList<string> ClassNames, IReadOnlyList<IReadOnlyList<long>> Counts, double Accuracy, IReadOnlyList<ClassMetrics> PerClass);

/// <summary>
/// One class against the rest: <paramref name="Accuracy"/> is the share of all images whose membership of the class is
/// predicted right; recall is the share of the class's images predicted as it.
/// </summary>
public sealed record ClassMetrics(string Class, long Support, double Accuracy, double Precision, double Recall, double F1);

/// <summary>One confident mistake.</summary>
/// <param name="Index">The image's index in its split.</param>
/// <param name="TrueClass">Its class.</param>
/// <param name="PredictedClass">The class predicted.</param>
/// <param name="Probability">The probability given to the predicted class.</param>
/// <param name="File">The image file.</param>
public sealed record MistakeItem(int Index, string TrueClass, string PredictedClass, double Probability, string File);
