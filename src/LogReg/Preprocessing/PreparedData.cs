using LogReg.Common;
using LogReg.Core;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>
/// Training, validation and test data after selection and scaling: the datasets (bytes, for images and reports) and
/// their feature matrices, with the scaler fitted on the training part.
/// </summary>
public sealed class PreparedData
{
    private readonly Dictionary<(Dataset, ModelKind), LinearProblem> _problems = [];

    internal PreparedData(DataPreparation preparation, FeatureScaler scaler, Dataset train, Dataset? validation, Dataset? test)
    {
        Preparation = preparation;
        Scaler = scaler;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>The preparation that produced the data.</summary>
    public DataPreparation Preparation { get; }

    /// <summary>The scaler fitted on the training split.</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>The training images.</summary>
    public Dataset Train { get; }

    /// <summary>The scaled training features (built on first use; the fast kernels read the bytes instead).</summary>
    internal FeatureMatrix TrainFeatures => FeaturesOf(Train);

    /// <summary>The validation images held out of the training split, if any.</summary>
    public Dataset? Validation { get; }

    /// <summary>The scaled validation features, if any.</summary>
    internal FeatureMatrix? ValidationFeatures => Validation is null ? null : FeaturesOf(Validation);

    /// <summary>The test images, if any.</summary>
    public Dataset? Test { get; }

    /// <summary>The scaled test features, if any.</summary>
    internal FeatureMatrix? TestFeatures => Test is null ? null : FeaturesOf(Test);

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => Train.ClassNames;

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape => Train.Shape;

    /// <summary>The training split as a problem for a model of <paramref name="kind"/>.</summary>
    internal LinearProblem TrainProblem(ModelKind kind) => Problem(kind, Train);

    /// <summary>The validation split as a problem for a model of <paramref name="kind"/>, if any.</summary>
    internal LinearProblem? ValidationProblem(ModelKind kind) => Validation is null ? null : Problem(kind, Validation);

    /// <summary>The test split as a problem for a model of <paramref name="kind"/>, if any.</summary>
    internal LinearProblem? TestProblem(ModelKind kind) => Test is null ? null : Problem(kind, Test);

    /// <summary>
    /// The split's bytes with this scaling, one problem per split and model kind; the float features are built only
    /// if something asks for them.
    /// </summary>
    private LinearProblem Problem(ModelKind kind, Dataset data)
    {
        lock (_problems)
        {
            if (!_problems.TryGetValue((data, kind), out var problem))
            {
                // Images stay bytes plus scaling (the fast kernels read them); a table is scaled into floats once.
                _problems[(data, kind)] = problem = data.Table is { } table
                    ? new LinearProblem(kind, Scaler.Transform(table), data.Labels.ToArray(), Train.ClassCount)
                    : new LinearProblem(kind, new ScaledPixels(data.PixelArray, Scaler.Offset, Scaler.Scale), data.Labels.ToArray(), Train.ClassCount);
            }

            return problem;
        }
    }

    /// <summary>The float features of a split, reusing those of any problem that already built them.</summary>
    private FeatureMatrix FeaturesOf(Dataset data)
    {
        lock (_problems)
        {
            foreach (var ((owner, _), problem) in _problems)
            {
                if (ReferenceEquals(owner, data) && problem.HasFeatures)
                {
                    return problem.Features;
                }
            }
        }

        return Problem(Train.ClassCount == 2 ? ModelKind.Logistic : ModelKind.Softmax, data).Features;
    }

    /// <summary>
    /// Applies <paramref name="preparation"/>: subsets, class selection, the hold-out split (when
    /// <paramref name="validationFraction"/> &gt; 0 and no <paramref name="validation"/> is given), and scaling fitted on
    /// the training part only.
    /// </summary>
    public static PreparedData Prepare(Dataset train, Dataset? test, DataPreparation preparation, double validationFraction = 0, int seed = 0, Dataset? validation = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(preparation);
        preparation.Validate();
        test = test is null ? null : TabularCsvReader.Conform(test, train);
        validation = validation is null ? null : TabularCsvReader.Conform(validation, train);
        if (test is not null && test.Shape != train.Shape)
        {
            throw new LogRegDataException(test.Provenance.ImagesPath, $"the test images are {test.Shape} but the training images ({train.Provenance.ImagesPath}) are {train.Shape}");
        }

        var trainSubset = Subset(train, preparation.TrainFirst, preparation.TrainLast);
        var selectedTrain = preparation.Classes.Apply(trainSubset);
        Dataset? selectedTest = test is null ? null : EnsureNotEmpty(preparation.Classes.Apply(Subset(test, preparation.TestFirst, preparation.TestLast)), "test");
        Dataset? selectedValidation = validation is null ? null : preparation.Classes.Apply(validation);

        if (selectedValidation is null && validationFraction > 0)
        {
            var fold = Splits.HoldOut(selectedTrain.Labels, validationFraction, seed, preparation.StratifyValidation, preparation.ShuffleValidation);
            var fraction = validationFraction.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            (selectedTrain, selectedValidation) = (selectedTrain.Select(fold.Train, $"hold-out {fraction} train part"), selectedTrain.Select(fold.Validation, $"hold-out {fraction} validation part"));
        }

        EnsureTwoClasses(selectedTrain);
        var scaler = FeatureScaler.Fit(selectedTrain, preparation.Scaling);
        return new PreparedData(preparation, scaler, selectedTrain, selectedValidation, selectedTest);
    }

    /// <summary>
    /// Prepared data from splits that already carry their subsets and class selection (the experiment runner cuts the
    /// folds itself): only the scaling is fitted, on <paramref name="train"/>. <paramref name="preparation"/> is what
    /// the model file records.
    /// </summary>
    public static PreparedData FromSplits(Dataset train, Dataset? validation, Dataset? test, DataPreparation preparation)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(preparation);
        EnsureTwoClasses(train);
        var scaler = FeatureScaler.Fit(train, preparation.Scaling);
        return new PreparedData(preparation, scaler, train, validation, test);
    }

    /// <summary>The subsets and class selection of <paramref name="preparation"/> applied to one split.</summary>
    public static Dataset Select(Dataset data, DataPreparation preparation, bool isTest)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(preparation);
        var subset = isTest ? Subset(data, preparation.TestFirst, preparation.TestLast) : Subset(data, preparation.TrainFirst, preparation.TrainLast);
        return EnsureNotEmpty(preparation.Classes.Apply(subset), isTest ? "test" : "training");
    }

    /// <summary>
    /// A split left without images by the subset and class selection is an error naming its file: evaluating on it
    /// would report "accuracy -, loss NaN" as if that were a result.
    /// </summary>
    private static Dataset EnsureNotEmpty(Dataset selected, string split)
    {
        if (selected.Count == 0)
        {
            throw new LogRegDataException(
                selected.Provenance.ImagesPath,
                $"no {split} images are left after the subset and class selection ({selected.Provenance.Description}); choose other classes or a larger subset");
        }

        return selected;
    }

    private static Dataset Subset(Dataset data, int? first, int? last) =>
        first is { } f ? Subsets.First(data, f) : last is { } l ? Subsets.Last(data, l) : data;

    private static void EnsureTwoClasses(Dataset train)
    {
        var counts = train.ClassCounts();
        var present = counts.Count(c => c > 0);
        if (present < 2)
        {
            var only = Array.FindIndex(counts, c => c > 0);
            var which = only < 0 ? "no images" : $"only class {train.ClassNames[only]} ({counts[only]} images)";
            throw new InvalidSettingException($"the training data ({train.Provenance.Description}) holds {which}; a classifier needs images of at least two classes");
        }
    }
}
