using System.Globalization;
using LogReg.Common;
using LogReg.Core;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Estimators;

/// <summary>
/// A linear classifier shaped like scikit-learn's estimators: set options with init properties, <c>Fit</c> (or
/// <c>PartialFit</c> batch by batch) on float features and labels of any equatable type, then <c>Predict</c>,
/// <c>PredictProba</c>, <c>PredictLogProba</c>, <c>DecisionFunction</c> and <c>Score</c>; the fitted state is in
/// <see cref="Coef"/>, <see cref="Intercept"/>, <see cref="Classes"/>, <see cref="NIter"/>, <see cref="StopReason"/>
/// and <see cref="History"/>.
/// </summary>
/// <remarks>
/// <para>
/// Type layout: this one generic base holds everything the three models share (option handling, label encoding,
/// input checks, the training loops, prediction), and each concrete estimator only fixes its
/// <see cref="ModelKind"/> and its rule on the number of classes. The label type is a type parameter so that
/// <see cref="Classes"/> and <c>Predict</c> hand back the caller's own labels (ints, strings, enums) with no casts;
/// each estimator also has a non-generic form for <see cref="int"/> labels, the common case, so
/// <c>new SoftmaxRegression()</c> needs no angle brackets. Estimators are classes, not records: fitting changes them.
/// </para>
/// <para>
/// Features are used as given: no hidden scaling. Pixels or features on very different scales train better
/// standardised first (SGD's step size and L-BFGS's conditioning both depend on it).
/// </para>
/// <para>
/// Defaults that fit any dataset: with <see cref="Optimizer"/> left null, problems of at most
/// <see cref="LbfgsSizeLimit"/> values (rows × features; 20 M, e.g. 25,000 images of 28×28 or any number up to 60,000
/// of 14×14) are solved by full-batch L-BFGS to the optimum (up to <see cref="MaxIterations"/> iterations), which needs
/// no learning rate and gives the same answer for any seed; larger ones by mini-batch SGD for <see cref="Epochs"/>
/// passes, whose cost per pass stays linear in the data. With no penalty option set (<see cref="Penalty"/>,
/// <see cref="Lambda"/> or <see cref="Options"/>), Fit minimises scikit-learn's <c>LogisticRegression()</c> objective:
/// L2 with C = 1, λ = 1 / (2n). The rule is <see cref="DefaultSolver"/>'s, which <c>logreg train</c> follows too;
/// bench/RESULTS.md compares it with scikit-learn on MNIST, Fashion-MNIST, KMNIST and pooled images.
/// </para>
/// <para>Not thread-safe: fit one estimator from one thread at a time (prediction on a fitted one may run concurrently).</para>
/// </remarks>
/// <typeparam name="TLabel">The label type.</typeparam>
public abstract class LinearClassifier<TLabel>
    where TLabel : IEquatable<TLabel>
{
    /// <summary>The size (rows × features) up to which the default solver is L-BFGS rather than SGD (<see cref="DefaultSolver.LbfgsSizeLimit"/>).</summary>
    public const long LbfgsSizeLimit = DefaultSolver.LbfgsSizeLimit;

    private TrainingOptions _options = new() { Tol = DefaultSolver.LbfgsTol };

    /// <summary>Whether the caller chose the penalty (Options, Penalty or Lambda set): if not, Fit uses C = 1's.</summary>
    private bool _penaltyGiven;
    private LinearModel? _model;
    private TrainingOptions? _fittedOptions;
    private ClassLabels<TLabel>? _labels;
    private IncrementalFit? _incremental;

    private protected LinearClassifier()
    {
    }

    /// <summary>Which model this estimator fits.</summary>
    public abstract ModelKind Kind { get; }

    // ---- Options -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Every training option of the schema (<see cref="TrainingOptions"/>); the properties below read and write the
    /// common ones in this same record, so set <see cref="Options"/> first in an initializer and the others after it.
    /// <see cref="TrainingOptions.Optimizer"/> is not read from here: see <see cref="Optimizer"/>. With
    /// <see cref="TrainingOptions.ValidationFraction"/> above 0, Fit holds that share of the samples out (stratified by
    /// class, drawn from the seed), records validation loss and accuracy in <see cref="History"/>, keeps the best epoch's
    /// weights by <see cref="TrainingOptions.Monitor"/> and, with <see cref="TrainingOptions.EarlyStopping"/>, stops after
    /// <see cref="TrainingOptions.Patience"/> epochs without improvement. Setting Options counts as choosing the penalty.
    /// </summary>
    public TrainingOptions Options
    {
        get => _options;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _options = value;
            _penaltyGiven = true;
        }
    }

    /// <summary>SGD or L-BFGS; null (the default) chooses by problem size, see the remarks on the class.</summary>
    public OptimizerKind? Optimizer { get; init; }

    /// <summary>SGD passes over the data. Default 10.</summary>
    public int Epochs { get => Options.Epochs; init => _options = _options with { Epochs = value }; }

    /// <summary>L-BFGS iterations at most (scikit-learn's max_iter). Default 500.</summary>
    public int MaxIterations { get => Options.MaxIterations; init => _options = _options with { MaxIterations = value }; }

    /// <summary>SGD step size η0. Default 0.1.</summary>
    public double LearningRate { get => Options.LearningRate; init => _options = _options with { LearningRate = value }; }

    /// <summary>SGD samples per step (cut to the number of samples when larger); 0 for full batch. Default 128.</summary>
    public int BatchSize { get => Options.BatchSize; init => _options = _options with { BatchSize = value }; }

    /// <summary>SGD momentum μ in [0, 1). Default 0.9.</summary>
    public double Momentum { get => Options.Momentum; init => _options = _options with { Momentum = value }; }

    /// <summary>
    /// The weight penalty. Default: L2 with scikit-learn's C = 1 (λ = 1 / (2n), n the samples or the sum of their
    /// weights) when neither this, <see cref="Lambda"/> nor <see cref="Options"/> is set; otherwise the options' (none).
    /// </summary>
    public Penalty Penalty
    {
        get => Options.Penalty;
        init
        {
            _options = _options with { Penalty = value };
            _penaltyGiven = true;
        }
    }

    /// <summary>
    /// Penalty strength λ ≥ 0 (scikit-learn's C is 1 / (2λn) for L2). Default: 1 / (2n) with the L2 penalty when no
    /// penalty option is set (see <see cref="Penalty"/>), else 0. Reads 0 until then.
    /// </summary>
    public double Lambda
    {
        get => Options.Lambda;
        init
        {
            _options = _options with { Lambda = value };
            _penaltyGiven = true;
        }
    }

    /// <summary>Seeds shuffling and any random initialisation: the same seed gives the same model. Default 0.</summary>
    public int Seed { get => Options.Seed; init => _options = _options with { Seed = value }; }

    /// <summary>Learn an intercept (bias). Default true.</summary>
    public bool FitIntercept { get => Options.FitIntercept; init => _options = _options with { FitIntercept = value }; }

    /// <summary>Shuffle the samples every SGD pass. Default true.</summary>
    public bool Shuffle { get => Options.Shuffle; init => _options = _options with { Shuffle = value }; }

    /// <summary>
    /// L-BFGS stops when the largest gradient component falls below this. Default 1e-6
    /// (<see cref="DefaultSolver.LbfgsTol"/>: within 3e-7 of scikit-learn's optimum); an <see cref="Options"/> record
    /// brings its own (<see cref="TrainingOptions.Tol"/>, 1e-4).
    /// </summary>
    public double Tol { get => Options.Tol; init => _options = _options with { Tol = value }; }

    /// <summary>Worker threads; 0 for one per core. Default 0.</summary>
    public int Threads { get => Options.Threads; init => _options = _options with { Threads = value }; }

    /// <summary>
    /// Weights per class (scikit-learn's <c>class_weight</c>): <c>ClassWeights.Balanced&lt;TLabel&gt;()</c> (n / (k·count)
    /// per class) or <c>ClassWeights.Of(dictionary)</c>, weights by label (others weigh 1). Each sample's weight is its class's weight times
    /// its sample weight. Default null: every class weighs 1.
    /// </summary>
    public ClassWeights<TLabel>? ClassWeight { get; init; }

    /// <summary>
    /// <c>Fit</c> continues from the fitted weights instead of starting afresh (same classes and features needed;
    /// the SGD momentum and the learning-rate schedule start again). Default false.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>Told every epoch's record (SGD pass, L-BFGS iteration or PartialFit call), on the training thread.</summary>
    public IProgress<EpochRecord>? Progress { get; init; }

    /// <summary>
    /// Sees every epoch's record of a Fit after <see cref="Progress"/>; returning true ends training with
    /// <see cref="StopReason.Stopped"/> and keeps that epoch's weights. (A PartialFit call is one pass: it does not ask.)
    /// </summary>
    public Func<EpochRecord, bool>? StopWhen { get; init; }

    // ---- Fitted state ---------------------------------------------------------------------------------------------

    /// <summary>Whether Fit or PartialFit has run.</summary>
    public bool IsFitted => _model is not null;

    /// <summary>The fitted linear model (for the library's evaluation and reporting types).</summary>
    public LinearModel Model => _model ?? throw NotFitted();

    /// <summary>The classes, sorted (strings ordinally); <c>PredictProba</c>'s columns follow this order.</summary>
    public TLabel[] Classes => (TLabel[])(_labels ?? throw NotFitted()).Classes.Clone();

    /// <summary>The features the model was fitted on.</summary>
    public int FeatureCount => Model.FeatureCount;

    /// <summary>
    /// The weights, [outputs, features]: one row for the binary model (the score of <c>Classes[1]</c>), one per class
    /// otherwise. A copy.
    /// </summary>
    public float[,] Coef
    {
        get
        {
            var model = Model;
            var coef = new float[model.Outputs, model.FeatureCount];
            for (var k = 0; k < model.Outputs; k++)
            {
                var row = model.WeightsOf(k);
                for (var j = 0; j < row.Length; j++)
                {
                    coef[k, j] = row[j];
                }
            }

            return coef;
        }
    }

    /// <summary>The intercepts, one per output. A copy.</summary>
    public float[] Intercept => Model.Bias.ToArray();

    /// <summary>Epochs (SGD passes, L-BFGS iterations) run by the last Fit, plus one per PartialFit call since.</summary>
    public int NIter { get; private set; }

    /// <summary>Why the last Fit ended (<see cref="StopReason.Completed"/> after a PartialFit call that ran through).</summary>
    public StopReason StopReason { get; private set; }

    /// <summary>Whether the last Fit reached L-BFGS's tolerance.</summary>
    public bool Converged => StopReason == StopReason.Converged;

    /// <summary>The optimizer the last Fit used (the automatic choice resolved).</summary>
    public OptimizerKind? FittedOptimizer { get; private set; }

    /// <summary>A warning from the last fit (divergence), or null.</summary>
    public string? Warning { get; private set; }

    /// <summary>Per-epoch loss and accuracy on the training data of the last Fit, and of each PartialFit call's batch since.</summary>
    public TrainingHistory History { get; private set; } = new();

    // ---- Fit ------------------------------------------------------------------------------------------------------

    /// <summary>Fits on <paramref name="x"/> (samples × features) and <paramref name="y"/> (one label per sample).</summary>
    /// <returns>This estimator, fitted.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, too few classes, or an option is out of range.</exception>
    public LinearClassifier<TLabel> Fit(float[,] x, TLabel[] y, CancellationToken cancellationToken = default) =>
        Fit(x, y, null, cancellationToken);

    /// <summary>
    /// Fits with a weight per sample (scikit-learn's <c>sample_weight</c>): each sample's loss counts that many times,
    /// so an integer weight trains as that many copies of the row. The mean loss is Σ wᵢ·lossᵢ / Σ wᵢ and the default
    /// penalty's λ = 1 / (2 Σ wᵢ), scikit-learn's convention (its C multiplies Σ wᵢ·lossᵢ): with a λ given, only the
    /// weights' ratios matter. Weights are finite and at least 0, not all 0.
    /// </summary>
    /// <returns>This estimator, fitted.</returns>
    public LinearClassifier<TLabel> Fit(float[,] x, TLabel[] y, float[]? sampleWeight, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fit(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1), y, sampleWeight, cancellationToken);
    }

    /// <summary>
    /// Fits on <paramref name="rows"/> samples of <paramref name="features"/> values each, row after row. Cancelling
    /// <paramref name="cancellationToken"/> stops at the next batch boundary and keeps the weights of the last whole
    /// epoch (<see cref="StopReason.Interrupted"/>): the model stays usable.
    /// </summary>
    /// <returns>This estimator, fitted.</returns>
    public LinearClassifier<TLabel> Fit(ReadOnlySpan<float> rowMajor, int rows, int features, TLabel[] y, CancellationToken cancellationToken = default) =>
        Fit(rowMajor, rows, features, y, null, cancellationToken);

    /// <inheritdoc cref="Fit(float[,], TLabel[], float[], CancellationToken)"/>
    public LinearClassifier<TLabel> Fit(ReadOnlySpan<float> rowMajor, int rows, int features, TLabel[] y, float[]? sampleWeight, CancellationToken cancellationToken = default)
    {
        FeatureInput.CheckLabels(y, rows);
        CheckSampleWeight(sampleWeight, rows);
        var matrix = FeatureInput.Copy(rowMajor, rows, features, "x");
        var labels = ClassLabels<TLabel>.Of(y, nameof(y));
        CheckClassCount(labels, nameof(y));
        LinearParameters? initial = null;
        if (WarmStart && _model is not null)
        {
            if (!labels.SameAs(_labels!) || _model.FeatureCount != features)
            {
                throw new ArgumentException(
                    Invariant($"WarmStart continues the fitted model ({_labels!.Count} classes: {_labels.Describe()}; {_model.FeatureCount} features) but this data has {labels.Count} classes ({labels.Describe()}) and {features} features; fit it without WarmStart"),
                    nameof(y));
            }

            initial = _model.ToParameters();
        }

        var optimizer = Optimizer ?? DefaultOptimizer(rows, features);
        var encoded = labels.Encode(y, nameof(y));
        var weights = SampleWeights(labels, encoded, sampleWeight, balancedAllowed: true);
        var options = Effective(optimizer, rows, weights);
        var (problem, validation) = HoldOut(new LinearProblem(Kind, matrix, encoded, labels.Count), weights, options);
        var result = new LinearTrainer().Fit(problem, options, validation, progress: Progress, initial: initial, stopWhen: StopWhen, cancellationToken: cancellationToken);

        _labels = labels;
        _model = LinearModel.Create(Kind, result.Parameters, labels.Names, options.Threshold, options.Decision);
        _incremental = null;
        _fittedOptions = options;
        NIter = result.EpochsRun;
        StopReason = result.StopReason;
        FittedOptimizer = optimizer;
        Warning = result.Warning;
        History = result.History;
        return this;
    }

    /// <summary>
    /// One pass of mini-batch SGD over this batch, from the current weights (scikit-learn's partial_fit).
    /// <paramref name="classes"/> must name every class on the first call (later calls may omit it). The momentum
    /// velocity and the shuffling stream carry over between calls, so calls on consecutive batches whose sizes are
    /// multiples of <see cref="BatchSize"/> step exactly as one SGD epoch over them all without shuffling. The learning
    /// rate is <see cref="LearningRate"/> throughout (no schedule: the number of calls is not known). Each call adds one
    /// record to <see cref="History"/>, the loss and accuracy on its batch after the pass.
    /// </summary>
    public void PartialFit(float[,] x, TLabel[] y, TLabel[]? classes = null, CancellationToken cancellationToken = default) =>
        PartialFit(x, y, classes, null, cancellationToken);

    /// <summary>
    /// As <see cref="PartialFit(float[,], TLabel[], TLabel[], CancellationToken)"/> with a weight per sample of this
    /// batch (see <see cref="Fit(float[,], TLabel[], float[], CancellationToken)"/>; the mean is taken within the batch).
    /// Balanced <see cref="ClassWeight"/> needs the whole data's class counts, so PartialFit refuses it.
    /// </summary>
    public void PartialFit(float[,] x, TLabel[] y, TLabel[]? classes, float[]? sampleWeight, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        PartialFit(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1), y, classes, sampleWeight, cancellationToken);
    }

    /// <inheritdoc cref="PartialFit(float[,], TLabel[], TLabel[], CancellationToken)"/>
    public void PartialFit(ReadOnlySpan<float> rowMajor, int rows, int features, TLabel[] y, TLabel[]? classes = null, CancellationToken cancellationToken = default) =>
        PartialFit(rowMajor, rows, features, y, classes, null, cancellationToken);

    /// <inheritdoc cref="PartialFit(float[,], TLabel[], TLabel[], float[], CancellationToken)"/>
    public void PartialFit(ReadOnlySpan<float> rowMajor, int rows, int features, TLabel[] y, TLabel[]? classes, float[]? sampleWeight, CancellationToken cancellationToken = default)
    {
        FeatureInput.CheckLabels(y, rows);
        CheckSampleWeight(sampleWeight, rows);
        var matrix = FeatureInput.Copy(rowMajor, rows, features, "x");
        if (Optimizer is { } optimizer && optimizer != OptimizerKind.Sgd)
        {
            throw new InvalidSettingException($"PartialFit runs SGD but Optimizer is {optimizer}; leave Optimizer null or set it to Sgd", nameof(Optimizer));
        }

        var labels = _labels;
        if (classes is not null)
        {
            var declared = ClassLabels<TLabel>.Of(classes, nameof(classes));
            if (declared.Count != classes.Length)
            {
                throw new ArgumentException($"classes lists a class twice ({string.Join(", ", classes)}); name each class once", nameof(classes));
            }

            if (labels is not null && !declared.SameAs(labels))
            {
                throw new ArgumentException($"classes ({declared.Describe()}) differ from the fitted classes ({labels.Describe()}); the classes are fixed by the first call", nameof(classes));
            }

            labels = declared;
        }

        if (labels is null)
        {
            throw new ArgumentException("the first PartialFit call must declare every class: pass classes (e.g. all the labels the data can have)", nameof(classes));
        }

        CheckClassCount(labels, nameof(classes));
        if (_model is not null && _model.FeatureCount != features)
        {
            throw new ArgumentException(Invariant($"the model was fitted on {_model.FeatureCount} features but this batch has {features}"), "x");
        }

        var encoded = labels.Encode(y, nameof(y));
        var problem = Weighted(new LinearProblem(Kind, matrix, encoded, labels.Count), SampleWeights(labels, encoded, sampleWeight, balancedAllowed: false));
        var options = Options with { Optimizer = OptimizerKind.Sgd, Epochs = 1, ValidationFraction = 0, EarlyStopping = false };
        options.Validate();
        LinearTrainer.CheckDecision(Kind, options);
        if (_incremental is null)
        {
            var start = _model?.ToParameters() ?? LinearTrainer.Initialize(problem, options);
            _incremental = new IncrementalFit(options, start);
            if (_model is null)
            {
                History = new TrainingHistory();
                NIter = 0;
            }
        }

        var (record, stop, warning) = _incremental.Run(problem, NIter + 1, cancellationToken);
        _labels = labels;
        _model = LinearModel.Create(Kind, _incremental.Parameters, labels.Names, options.Threshold, options.Decision);
        _fittedOptions = options;
        NIter++;
        StopReason = stop;
        FittedOptimizer = OptimizerKind.Sgd;
        Warning = warning;
        History.Add(record);
        Progress?.Report(record);
    }

    // ---- Predict --------------------------------------------------------------------------------------------------

    /// <summary>The predicted class of every row of <paramref name="x"/>.</summary>
    public TLabel[] Predict(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Predict(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1));
    }

    /// <inheritdoc cref="Predict(float[,])"/>
    public TLabel[] Predict(ReadOnlySpan<float> rowMajor, int rows, int features)
    {
        var model = Checked(rowMajor, rows, features);
        var classes = _labels!.Classes;
        var predictions = new TLabel[rows];
        Span<float> scores = stackalloc float[model.Outputs];
        for (var i = 0; i < rows; i++)
        {
            model.DecisionFunction(rowMajor.Slice(i * features, features), scores);
            predictions[i] = classes[model.PredictFromScores(scores)];
        }

        return predictions;
    }

    /// <summary>Raw scores W·x + b, [rows, outputs]: one column for the binary model (positive means <c>Classes[1]</c>).</summary>
    public float[,] DecisionFunction(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return DecisionFunction(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1));
    }

    /// <inheritdoc cref="DecisionFunction(float[,])"/>
    public float[,] DecisionFunction(ReadOnlySpan<float> rowMajor, int rows, int features) =>
        PerRow(rowMajor, rows, features, Model.Outputs, static (_, scores, output) => scores.CopyTo(output));

    /// <summary>Class probabilities, [rows, classes] in the order of <see cref="Classes"/>; each row sums to 1.</summary>
    public float[,] PredictProba(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return PredictProba(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1));
    }

    /// <inheritdoc cref="PredictProba(float[,])"/>
    public float[,] PredictProba(ReadOnlySpan<float> rowMajor, int rows, int features) =>
        PerRow(rowMajor, rows, features, Model.ClassCount, static (model, scores, output) => model.ProbabilitiesFromScores(scores, output));

    /// <summary>
    /// The natural logarithm of <c>PredictProba</c>, computed from the scores in a stable form (no −∞ where a
    /// probability underflows to 0 in single precision).
    /// </summary>
    public float[,] PredictLogProba(float[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return PredictLogProba(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1));
    }

    /// <inheritdoc cref="PredictLogProba(float[,])"/>
    public float[,] PredictLogProba(ReadOnlySpan<float> rowMajor, int rows, int features) =>
        PerRow(rowMajor, rows, features, Model.ClassCount, static (model, scores, output) => LogProbabilities(model.Kind, scores, output));

    /// <summary>Mean accuracy on <paramref name="x"/> against the true labels <paramref name="y"/> (labels the model does not know count as wrong).</summary>
    public double Score(float[,] x, TLabel[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Score(FeatureInput.RowMajor(x), x.GetLength(0), x.GetLength(1), y);
    }

    /// <inheritdoc cref="Score(float[,], TLabel[])"/>
    public double Score(ReadOnlySpan<float> rowMajor, int rows, int features, TLabel[] y)
    {
        FeatureInput.CheckLabels(y, rows);
        var predicted = Predict(rowMajor, rows, features);
        var correct = 0;
        for (var i = 0; i < rows; i++)
        {
            correct += EqualityComparer<TLabel>.Default.Equals(predicted[i], y[i]) ? 1 : 0;
        }

        return (double)correct / rows;
    }

    // ---- Save and load --------------------------------------------------------------------------------------------

    /// <summary>
    /// Writes the fitted model to <paramref name="path"/> as the versioned model file <c>logreg train</c> writes
    /// (atomically: a failed save leaves no half-written file). The file records the features as they are (no scaling:
    /// offset 0, scale 1; image shape h×h when the feature count is a square h², else 1×features), the options of the
    /// fit and its final training metrics. Labels are stored as their invariant-culture text (the class names of the
    /// file): ints, strings, enums by name and any type whose TypeConverter reads that text back load again; a label
    /// type whose text does not read back to the same label is refused here rather than saved unloadably.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not fitted, or the labels do not round-trip through text.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Models.ModelFile.Save(ToTrainedModel(null, null), path);
    }

    /// <summary>The model file's contents for this fitted model; an image pipeline passes its scaler and image shape.</summary>
    internal TrainedModel ToTrainedModel(FeatureScaler? scaler, Data.ImageShape? shape)
    {
        var model = Model;
        var (roundTrip, problem) = ClassLabels<TLabel>.FromNames(_labels!.Names);
        if (roundTrip is null || !roundTrip.SameAs(_labels))
        {
            throw new InvalidOperationException($"the labels ({_labels.Describe()}) cannot be saved: {problem ?? $"their text does not read back as the same {typeof(TLabel).Name} labels"}; map them to ints or strings first");
        }

        var features = model.FeatureCount;
        var side = (int)Math.Round(Math.Sqrt(features));
        shape ??= side * side == features ? new Data.ImageShape(side, side) : new Data.ImageShape(1, features);
        scaler ??= new FeatureScaler(ScalingKind.None, new float[features], Enumerable.Repeat(1f, features).ToArray());
        var last = History.Epochs.Count > 0 ? History.Epochs[^1] : null;
        var metrics = new FinalMetrics(last?.TrainAccuracy ?? double.NaN, last?.TrainLoss ?? double.NaN, last?.ValidationAccuracy, last?.ValidationLoss, null, null, NIter, NIter, StopReason);
        var dataset = new DatasetReference("estimator", Invariant($"in-memory data fitted by {GetType().Name}: {features} features, {_labels.Count} classes"), "", null);
        return new TrainedModel(model, scaler, shape.Value, new DataPreparation { Scaling = scaler.Kind }, _fittedOptions ?? Options, metrics, dataset, TrainedModel.CurrentVersion);
    }

    /// <summary>
    /// Takes the fitted state of a model file: its weights, classes (parsed into <typeparamref name="TLabel"/>) and the
    /// options it was trained with, which become <see cref="Options"/> (so a warm start continues with them). A file written by <c>logreg train</c> holds a model over scaled pixels: these
    /// weights expect features scaled as the file's scaler scales them (an <see cref="ImageClassifier{TLabel}"/> loaded
    /// from the same file applies it).
    /// </summary>
    internal void Restore(string path, TrainedModel file)
    {
        if (file.Kind != Kind)
        {
            throw new Data.LogRegDataException(path, $"holds a {Models.ModelFile.KindName(file.Kind)} model, not what {GetType().Name} fits; load it with {EstimatorFor(file.Kind)}");
        }

        var (labels, problem) = ClassLabels<TLabel>.FromNames(file.ClassNames.ToArray());
        if (labels is null)
        {
            throw new Data.LogRegDataException(path, $"{problem}; load it with {typeof(TLabel).Name switch { "String" => "int labels", _ => "string labels" }} (e.g. {EstimatorFor(file.Kind)}<string>)");
        }

        _labels = labels;
        _model = file.Model;
        _fittedOptions = file.Options;
        _options = file.Options;
        _penaltyGiven = true;
        _incremental = null;
        NIter = file.Metrics.EpochsRun;
        StopReason = file.Metrics.StopReason;
        FittedOptimizer = file.Options.Optimizer;
        Warning = null;
        History = new TrainingHistory();
    }

    private static string EstimatorFor(ModelKind kind) => kind switch
    {
        ModelKind.Logistic => "LogisticRegression",
        ModelKind.Softmax => "SoftmaxRegression",
        _ => "OneVsRestRegression",
    };

    // ---- Helpers --------------------------------------------------------------------------------------------------

    /// <summary>Checks the number of classes this model can fit (at least two; the binary model exactly two).</summary>
    private protected virtual void CheckClassCount(ClassLabels<TLabel> labels, string parameterName)
    {
        if (labels.Count < 2)
        {
            throw new ArgumentException(
                $"{GetType().Name} needs at least two classes but {parameterName} holds only {(labels.Count == 0 ? "none" : $"'{labels.Describe()}'")}; add samples of another class",
                parameterName);
        }
    }

    /// <summary>
    /// The default solver for <paramref name="rows"/> samples of <paramref name="features"/> values: L-BFGS to the
    /// optimum up to <see cref="LbfgsSizeLimit"/> values, else SGD (see the remarks on the class).
    /// </summary>
    internal static OptimizerKind DefaultOptimizer(int rows, int features) => DefaultSolver.For(rows, features);

    /// <summary>
    /// The training options for a Fit with this optimizer, checked: messages name the option, its range, the value and
    /// a fix. Without a penalty option set, L2 with scikit-learn's C = 1: λ = 1 / (2·Σw), Σw the number of samples or
    /// the sum of their weights.
    /// </summary>
    private TrainingOptions Effective(OptimizerKind optimizer, int rows, float[]? weights)
    {
        // A batch larger than the data is cut to it, as scikit-learn's MLP does (L-BFGS ignores the batch size).
        var options = Options with
        {
            Optimizer = optimizer,
            BatchSize = Math.Min(Options.BatchSize, rows),
        };
        if (!_penaltyGiven)
        {
            var trained = rows - (int)Math.Round(options.ValidationFraction * rows);
            var weightSum = weights is null ? trained : weights.Sum(w => (double)w) * trained / rows;
            options = options with { Penalty = Penalty.L2, Lambda = DefaultSolver.LambdaForC1(weightSum) };
        }

        options.Validate(rows);
        return options;
    }

    /// <summary>
    /// Each sample's weight: its sample weight times its class's weight; null when neither is given (the kernels then
    /// skip weights altogether).
    /// </summary>
    private float[]? SampleWeights(ClassLabels<TLabel> labels, int[] encoded, float[]? sampleWeight, bool balancedAllowed)
    {
        var classWeight = ClassWeight ?? (Options.ClassWeight == ClassWeighting.Balanced ? ClassWeights.Balanced<TLabel>() : null);
        if (classWeight is null)
        {
            return sampleWeight is null ? null : (float[])sampleWeight.Clone();
        }

        if (classWeight.IsBalanced && !balancedAllowed)
        {
            throw new InvalidSettingException("ClassWeight Balanced needs every class's count in the whole data, which PartialFit never sees; give the weights per class (e.g. computed once from all the labels)", nameof(ClassWeight));
        }

        var perClass = classWeight.For(labels.Classes, encoded);
        var weights = new float[encoded.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(perClass[encoded[i]] * (sampleWeight?[i] ?? 1f));
        }

        return weights;
    }

    private static void CheckSampleWeight(float[]? sampleWeight, int rows)
    {
        if (sampleWeight is not null && sampleWeight.Length != rows)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"sampleWeight has {sampleWeight.Length} values for {rows} samples; give one weight per sample"), nameof(sampleWeight));
        }
    }

    private static LinearProblem Weighted(LinearProblem problem, float[]? weights)
    {
        if (weights is null)
        {
            return problem;
        }

        try
        {
            return problem.WithSampleWeights(weights);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message.Replace(" (Parameter 'weights')", "", StringComparison.Ordinal) + " (the weight of a sample is its sampleWeight times its ClassWeight)", "sampleWeight", e);
        }
    }

    /// <summary>
    /// The training problem and, with <see cref="TrainingOptions.ValidationFraction"/> above 0, the validation problem:
    /// that share of the samples held out, stratified by class, drawn from <see cref="Seed"/> (the same samples for the
    /// same seed). Each side keeps its samples' weights.
    /// </summary>
    private static (LinearProblem Train, LinearProblem? Validation) HoldOut(LinearProblem all, float[]? weights, TrainingOptions options)
    {
        if (options.ValidationFraction <= 0)
        {
            return (Weighted(all, weights), null);
        }

        var fold = Splits.HoldOut(all.Labels, options.ValidationFraction, options.Seed, stratify: true);
        if (fold.Train.Length == 0 || fold.Validation.Length == 0)
        {
            throw new InvalidSettingException(
                string.Create(CultureInfo.InvariantCulture, $"ValidationFraction {options.ValidationFraction} of {all.Rows} samples leaves {fold.Train.Length} to train on and {fold.Validation.Length} to validate; choose a fraction that leaves samples on both sides (e.g. 0.1 with at least 10 samples)"),
                nameof(Options));
        }

        return (Subset(all, fold.Train, weights), Subset(all, fold.Validation, weights));
    }

    private static LinearProblem Subset(LinearProblem all, int[] rows, float[]? weights)
    {
        var features = new FeatureMatrix(rows.Length, all.FeatureCount);
        for (var i = 0; i < rows.Length; i++)
        {
            all.Features.Row(rows[i]).CopyTo(features.Row(i));
        }

        var problem = new LinearProblem(all.Kind, features, Array.ConvertAll(rows, r => all.Labels[r]), all.ClassCount);
        return Weighted(problem, weights is null ? null : Array.ConvertAll(rows, r => weights[r]));
    }

    private LinearModel Checked(ReadOnlySpan<float> rowMajor, int rows, int features)
    {
        var model = Model;
        if (features != model.FeatureCount)
        {
            throw new ArgumentException(Invariant($"the model was fitted on {model.FeatureCount} features but x has {features}"), "x");
        }

        FeatureInput.Check(rowMajor, rows, features, "x");
        return model;
    }

    private float[,] PerRow(ReadOnlySpan<float> rowMajor, int rows, int features, int columns, Action<LinearModel, ReadOnlySpan<float>, Span<float>> fill)
    {
        var model = Checked(rowMajor, rows, features);
        var result = new float[rows, columns];
        var scores = new float[model.Outputs];
        var output = new float[columns];
        for (var i = 0; i < rows; i++)
        {
            model.DecisionFunction(rowMajor.Slice(i * features, features), scores);
            fill(model, scores, output);
            for (var k = 0; k < columns; k++)
            {
                result[i, k] = output[k];
            }
        }

        return result;
    }

    private static void LogProbabilities(ModelKind kind, ReadOnlySpan<float> scores, Span<float> output)
    {
        switch (kind)
        {
            case ModelKind.Logistic:
                output[0] = (float)Activations.LogSigmoid(-scores[0]);
                output[1] = (float)Activations.LogSigmoid(scores[0]);
                break;
            case ModelKind.Softmax:
                Activations.LogSoftmax(scores, output);
                break;
            default:
                // log(σ(z_k) / Σ σ(z_j)) = log σ(z_k) − log Σ exp(log σ(z_j)).
                for (var k = 0; k < scores.Length; k++)
                {
                    output[k] = (float)Activations.LogSigmoid(scores[k]);
                }

                var total = Activations.LogSumExp(output);
                for (var k = 0; k < scores.Length; k++)
                {
                    output[k] = (float)(output[k] - total);
                }

                break;
        }
    }

    private static InvalidOperationException NotFitted() => new("the estimator is not fitted yet: call Fit or PartialFit first");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
