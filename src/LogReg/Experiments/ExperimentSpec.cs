using LogReg.Core;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Experiments;

/// <summary>How each grid point's runs get their validation data.</summary>
public enum ValidationMethod
{
    /// <summary>No validation: train on all the (selected) training data.</summary>
    None,

    /// <summary>
    /// A hold-out of <see cref="ValidationProtocol.Fraction"/> of the training data: a seeded random sample, or the first
    /// ones in file order when <see cref="ValidationProtocol.Shuffle"/> is false.
    /// </summary>
    HoldOut,

    /// <summary>k-fold cross-validation (optionally stratified): one run per fold.</summary>
    KFold,

    /// <summary>A given set: a split of a dataset, with the same class selection.</summary>
    Given,
}

/// <summary>The validation protocol of an experiment.</summary>
public sealed record ValidationProtocol(
    ValidationMethod Method = ValidationMethod.None,
    double Fraction = 0.1,
    int Folds = 5,
    bool Stratified = false,
    bool Shuffle = true,
    string? Dataset = null,
    string Split = "test")
{
    /// <summary>Runs per grid point and seed.</summary>
    public int RunsPerSeed => Method == ValidationMethod.KFold ? Folds : 1;
}

/// <summary>What the test split reports.</summary>
public enum TestProtocol
{
    /// <summary>Every run's model is evaluated on the test split; the best point's best run is the experiment's result.</summary>
    Runs,

    /// <summary>The best point's options are retrained on all training data (train + validation) and tested once.</summary>
    Retrain,

    /// <summary>The test split is not used.</summary>
    None,
}

/// <summary>One grid axis: an option and the values it takes, as written in the spec.</summary>
public sealed record GridAxis(string Name, IReadOnlyList<string> Values, int Line);

/// <summary>
/// An experiment: data and selection, model, fixed options, grid axes, validation protocol, seeds, selection metric
/// and test protocol, as read from a spec file.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>The experiment's name (also its folder's name).</summary>
    public required string Name { get; init; }

    /// <summary>What the experiment is for, in words.</summary>
    public string Description { get; init; } = "";

    /// <summary>The file the spec was read from (for messages).</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>The registered dataset's name or a dataset folder.</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>Class tokens for a pair (resolved against the dataset's class names when the data is loaded).</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>The class token for one-vs-rest relabelling.</summary>
    public string? Positive { get; init; }

    /// <summary>Subsets and scaling (the class selection is resolved later into <see cref="DataPreparation.Classes"/>).</summary>
    public DataPreparation Preparation { get; init; } = new();

    /// <summary>The model kind, or null for logistic on a binary selection and softmax otherwise.</summary>
    public ModelKind? Model { get; init; }

    /// <summary>Options fixed for every run (grid axes override them).</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>The options varied and their values; every combination is a grid point.</summary>
    public IReadOnlyList<GridAxis> Grid { get; init; } = [];

    /// <summary>How each grid point is validated.</summary>
    public ValidationProtocol Validation { get; init; } = new();

    /// <summary>The seeds each grid point is run with.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0];

    /// <summary>The metric that ranks grid points: val_accuracy (default), val_loss, train_accuracy or train_loss.</summary>
    public string Select { get; init; } = "val_accuracy";

    /// <summary>How the test split is used.</summary>
    public TestProtocol Test { get; init; } = TestProtocol.Runs;

    /// <summary>The model kind for a selection: as given, else logistic when the selection is binary.</summary>
    public ModelKind KindFor(bool binarySelection) => Model ?? (binarySelection ? ModelKind.Logistic : ModelKind.Softmax);

    /// <summary>Whether the selection metric is better when larger.</summary>
    public bool SelectHigherIsBetter => Select.EndsWith("accuracy", StringComparison.Ordinal);
}
