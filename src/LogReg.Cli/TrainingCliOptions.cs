using System.CommandLine;
using System.Globalization;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Cli;

/// <summary>
/// The model, data-preparation and hyperparameter options of <c>logreg train</c>, declared once, with the parser doing
/// the validation it can (allowed values, ranges, options that exclude each other).
/// </summary>
internal sealed class TrainingCliOptions
{
    private static readonly TrainingOptions Defaults = new();

    public Option<string> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "A registered dataset (mnist, fashion-mnist, kmnist, kmnist-partial) or a folder holding the four IDX files (train-images-idx3-ubyte[.gz] etc.), NPZ or CSV",
        DefaultValueFactory = _ => "mnist",
        HelpName = "NAME|DIR",
    };

    public Option<string?> Model { get; } = Choice<string?>("--model", "Model: logistic (binary), softmax, or ovr (one-vs-rest sigmoid units) [default: softmax, or logistic with --classes/--positive]", null, "logistic", "softmax", "ovr");

    public Option<string?> Classes { get; } = new("--classes")
    {
        Description = "Train on two classes, relabelled 0/1, e.g. 2,8 (indices or class names such as Shirt or tsu)",
        HelpName = "A,B",
    };

    public Option<string?> Positive { get; } = new("--positive")
    {
        Description = "One class against the rest, e.g. 1 (relabelled 1; every other class 0)",
        HelpName = "CLASS",
    };

    public Option<int?> TrainFirst { get; } = new("--train-first") { Description = "Use only the first N training images (before class selection)", HelpName = "N" };

    public Option<int?> TrainLast { get; } = new("--train-last") { Description = "Use only the last N training images", HelpName = "N" };

    public Option<int?> TestFirst { get; } = new("--test-first") { Description = "Use only the first N test images", HelpName = "N" };

    public Option<int?> TestLast { get; } = new("--test-last") { Description = "Use only the last N test images (the seeds use the last 2000)", HelpName = "N" };

    public Option<string> Normalize { get; } = Choice("--normalize", "Pixel scaling, fitted on the training split: none (0..255), divide255, minmax, zscore", "divide255", "none", "divide255", "minmax", "zscore");

    public Option<string> Optimizer { get; } = Choice("--optimizer", "sgd (mini-batch gradient descent) or lbfgs (full batch, to the optimum)", "sgd", "sgd", "lbfgs");

    public Option<double> LearningRate { get; } = new("--learning-rate", "--lr") { Description = "Initial learning rate η0", DefaultValueFactory = _ => Defaults.LearningRate };

    public Option<int> BatchSize { get; } = new("--batch-size", "-b") { Description = "Samples per step: 1 = per-sample SGD, 0 = full-batch GD", DefaultValueFactory = _ => Defaults.BatchSize };

    public Option<int> Epochs { get; } = new("--epochs", "-e") { Description = "Passes over the training data (L-BFGS: iteration limit)", DefaultValueFactory = _ => Defaults.Epochs };

    public Option<double> Momentum { get; } = new("--momentum") { Description = "Momentum μ (0 = plain SGD)", DefaultValueFactory = _ => Defaults.Momentum };

    public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "Nesterov momentum instead of classical" };

    public Option<string> Penalty { get; } = Choice("--penalty", "Weight penalty: none, l2 (λ‖w‖²), l1 (λ‖w‖₁), elasticnet", "none", "none", "l1", "l2", "elasticnet");

    public Option<double> Lambda { get; } = new("--lambda") { Description = "Penalty strength λ", DefaultValueFactory = _ => Defaults.Lambda };

    public Option<double> L1Ratio { get; } = new("--l1-ratio") { Description = "Elastic net: share of L1 in [0, 1]", DefaultValueFactory = _ => Defaults.L1Ratio };

    public Option<string> L1Mode { get; } = Choice("--l1-mode", "proximal (soft-thresholding: exact zeros) or subgradient (λ·sign(w), as the seeds)", "proximal", "proximal", "subgradient");

    public Option<bool> NoIntercept { get; } = new("--no-intercept") { Description = "Do not learn a bias" };

    public Option<bool> PenalizeBias { get; } = new("--penalize-bias") { Description = "Apply the penalty to the bias too" };

    public Option<string> Reduction { get; } = Choice("--reduction", "Combine a batch's per-sample losses by mean, or by sum as the seeds do", "mean", "mean", "sum");

    public Option<string> Schedule { get; } = Choice("--schedule", "Learning rate per epoch: constant, inverse-time η0/(1+t/T), step η0·γ^⌊t/T⌋, exponential η0·γ^t, cosine", "cosine", "constant", "inverse-time", "step", "exponential", "cosine");

    public Option<double> DecayEpochs { get; } = new("--decay-epochs") { Description = "T of inverse-time and step decay", DefaultValueFactory = _ => 1.0, HelpName = "T" };

    public Option<double> DecayRate { get; } = new("--decay-rate") { Description = "γ of step and exponential decay", DefaultValueFactory = _ => 0.5 };

    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = "Floor of cosine annealing", DefaultValueFactory = _ => 0.0 };

    public Option<string> Init { get; } = Choice("--init", "Initial weights: zeros, or normal(0, σ) from the seed", "zeros", "zeros", "normal");

    public Option<double> InitStd { get; } = new("--init-std") { Description = "σ of --init normal", DefaultValueFactory = _ => Defaults.InitStd };

    public Option<double> ValidationFraction { get; } = new("--val-fraction") { Description = "Hold out this share of the training data for validation (0 = none)", DefaultValueFactory = _ => 0.0 };

    public Option<bool> Stratify { get; } = new("--stratify") { Description = "Keep class proportions in the hold-out split" };

    public Option<bool> EarlyStopping { get; } = new("--early-stopping") { Description = "Stop when the validation metric stops improving (needs --val-fraction)" };

    public Option<string> Monitor { get; } = Choice("--monitor", "Validation metric for early stopping and the best epoch", "val-loss", "val-loss", "val-accuracy");

    public Option<int> Patience { get; } = new("--patience") { Description = "Epochs without improvement before stopping", DefaultValueFactory = _ => Defaults.Patience };

    public Option<double> MinDelta { get; } = new("--min-delta") { Description = "Smallest change that counts as an improvement", DefaultValueFactory = _ => 0.0 };

    public Option<bool> KeepLast { get; } = new("--keep-last") { Description = "End with the last epoch's weights, not the best validation epoch's" };

    public Option<double> Tol { get; } = new("--tol") { Description = "L-BFGS: stop when the largest gradient component is below this", DefaultValueFactory = _ => Defaults.Tol };

    public Option<double> Threshold { get; } = new("--threshold") { Description = "Binary models: predict the positive class when its probability is at least this", DefaultValueFactory = _ => Defaults.Threshold };

    public Option<bool> NoShuffle { get; } = new("--no-shuffle") { Description = "Do not shuffle the training data each epoch" };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for shuffling, initialisation and the hold-out split", DefaultValueFactory = _ => 0 };

    public Option<double> DivergenceThreshold { get; } = new("--divergence-threshold") { Description = "Stop as diverged when the training loss grows this many times its initial value (0: off)", DefaultValueFactory = _ => Defaults.DivergenceThreshold };

    public Option<int> Threads { get; } = new("--threads") { Description = "Threads for the kernels (0: one per core); results do not depend on it", DefaultValueFactory = _ => 0 };

    public void AddTo(Command command)
    {
        Option[] all =
        [
            Dataset, Model, Classes, Positive, TrainFirst, TrainLast, TestFirst, TestLast, Normalize, Optimizer, LearningRate,
            BatchSize, Epochs, Momentum, Nesterov, Penalty, Lambda, L1Ratio, L1Mode, NoIntercept, PenalizeBias, Reduction,
            Schedule, DecayEpochs, DecayRate, MinLearningRate, Init, InitStd, ValidationFraction, Stratify, EarlyStopping,
            Monitor, Patience, MinDelta, KeepLast, Tol, Threshold, NoShuffle, Seed, DivergenceThreshold, Threads,
        ];
        foreach (var option in all)
        {
            command.Add(option);
        }

        command.Validators.Add(result =>
        {
            if (result.GetResult(Classes) is { Implicit: false } && result.GetResult(Positive) is { Implicit: false })
            {
                result.AddError("--classes and --positive cannot be combined: choose a class pair or one class against the rest");
            }

            if (result.GetResult(TrainFirst) is { Implicit: false } && result.GetResult(TrainLast) is { Implicit: false })
            {
                result.AddError("--train-first and --train-last cannot be combined");
            }

            if (result.GetResult(TestFirst) is { Implicit: false } && result.GetResult(TestLast) is { Implicit: false })
            {
                result.AddError("--test-first and --test-last cannot be combined");
            }

            if (result.GetValue(Optimizer) == "lbfgs")
            {
                foreach (var sgdOnly in new Option[] { LearningRate, BatchSize, Momentum, Nesterov, Schedule })
                {
                    if (result.GetResult(sgdOnly) is { Implicit: false })
                    {
                        result.AddError($"{sgdOnly.Name} applies to --optimizer sgd; L-BFGS uses the full batch and chooses its own steps");
                    }
                }
            }

            if (result.GetValue(EarlyStopping) && !(result.GetValue(ValidationFraction) > 0))
            {
                result.AddError("--early-stopping needs a validation split: add --val-fraction (e.g. 0.1)");
            }
        });
    }

    /// <summary>The hyperparameters; <see cref="TrainingOptions.Validate"/> checks their ranges with messages naming the option.</summary>
    public TrainingOptions BuildOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var schedule = parse.GetRequiredValue(Schedule) switch
        {
            "inverse-time" => LearningRateSchedule.InverseTime(parse.GetValue(DecayEpochs)),
            "step" => LearningRateSchedule.Step(parse.GetValue(DecayEpochs), parse.GetValue(DecayRate)),
            "exponential" => LearningRateSchedule.Exponential(parse.GetValue(DecayRate)),
            "cosine" => LearningRateSchedule.Cosine(parse.GetValue(MinLearningRate)),
            _ => LearningRateSchedule.Constant,
        };
        var optimizer = parse.GetRequiredValue(Optimizer) == "lbfgs" ? OptimizerKind.Lbfgs : OptimizerKind.Sgd;
        var options = new TrainingOptions
        {
            Optimizer = optimizer,
            LearningRate = parse.GetValue(LearningRate),
            BatchSize = optimizer == OptimizerKind.Lbfgs ? 0 : parse.GetValue(BatchSize),
            Epochs = optimizer == OptimizerKind.Lbfgs && parse.GetResult(Epochs) is not { Implicit: false } ? 500 : parse.GetValue(Epochs),
            Momentum = optimizer == OptimizerKind.Lbfgs ? 0 : parse.GetValue(Momentum),
            Nesterov = parse.GetValue(Nesterov),
            Penalty = Enum.Parse<Training.Penalty>(parse.GetRequiredValue(Penalty), ignoreCase: true),
            Lambda = parse.GetValue(Lambda),
            L1Ratio = parse.GetValue(L1Ratio),
            L1Mode = Enum.Parse<Training.L1Mode>(parse.GetRequiredValue(L1Mode), ignoreCase: true),
            FitIntercept = !parse.GetValue(NoIntercept),
            PenalizeBias = parse.GetValue(PenalizeBias),
            Reduction = Enum.Parse<Training.Reduction>(parse.GetRequiredValue(Reduction), ignoreCase: true),
            Schedule = schedule,
            Init = parse.GetRequiredValue(Init) == "normal" ? WeightInit.Normal : WeightInit.Zeros,
            InitStd = parse.GetValue(InitStd),
            Seed = parse.GetValue(Seed),
            Shuffle = !parse.GetValue(NoShuffle),
            ValidationFraction = parse.GetValue(ValidationFraction),
            EarlyStopping = parse.GetValue(EarlyStopping),
            Monitor = parse.GetRequiredValue(Monitor) == "val-accuracy" ? MonitorMetric.ValidationAccuracy : MonitorMetric.ValidationLoss,
            Patience = parse.GetValue(Patience),
            MinDelta = parse.GetValue(MinDelta),
            RestoreBestWeights = !parse.GetValue(KeepLast),
            Tol = parse.GetValue(Tol),
            Threshold = parse.GetValue(Threshold),
            Threads = parse.GetValue(Threads),
            DivergenceThreshold = parse.GetValue(DivergenceThreshold),
        };
        options.Validate();
        return options;
    }

    /// <summary>Subsets, scaling and class selection; class tokens are resolved against the loaded dataset's names.</summary>
    public DataPreparation BuildPreparation(ParseResult parse, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var classes = ClassSubset.All;
        if (parse.GetValue(Classes) is { } pair)
        {
            var parts = pair.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                throw new UsageException($"--classes takes two classes separated by a comma, e.g. 2,8 (was '{pair}')");
            }

            classes = ClassSubset.Pair(ClassSelection.ResolveClass(classNames, parts[0]), ClassSelection.ResolveClass(classNames, parts[1]));
            if (classes.Negative == classes.Positive)
            {
                throw new UsageException($"--classes needs two different classes (was '{pair}')");
            }
        }
        else if (parse.GetValue(Positive) is { } positive)
        {
            classes = ClassSubset.OneVsRest(ClassSelection.ResolveClass(classNames, positive));
        }

        var preparation = new DataPreparation
        {
            Classes = classes,
            TrainFirst = parse.GetValue(TrainFirst),
            TrainLast = parse.GetValue(TrainLast),
            TestFirst = parse.GetValue(TestFirst),
            TestLast = parse.GetValue(TestLast),
            Scaling = ModelFile.ParseScaling(parse.GetRequiredValue(Normalize))!.Value,
            StratifyValidation = parse.GetValue(Stratify),
        };
        preparation.Validate();
        return preparation;
    }

    /// <summary>The model kind: as given, else logistic for a binary selection and softmax otherwise.</summary>
    public ModelKind BuildKind(ParseResult parse, DataPreparation preparation)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(preparation);
        return parse.GetValue(Model) is { } name
            ? ModelFile.ParseKind(name)!.Value
            : preparation.Classes.IsBinary ? ModelKind.Logistic : ModelKind.Softmax;
    }

    private static Option<T> Choice<T>(string name, string description, T defaultValue, params string[] allowed)
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    internal static string Percent(double value) => double.IsFinite(value) ? (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "-";
}
