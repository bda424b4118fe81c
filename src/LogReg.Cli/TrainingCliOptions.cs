using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LogReg.Core;
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
        Description = "A registered dataset (mnist, fashion-mnist, kmnist, kmnist-partial), a folder holding the four IDX files (train-images-idx3-ubyte[.gz] etc.), NPZ or CSV images, or a table: a .csv file with a header row (see --label)",
        DefaultValueFactory = _ => "mnist",
        HelpName = "NAME|DIR|FILE.csv",
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

    public Option<string> Normalize { get; } = Choice("--normalize", "Feature scaling, fitted on the training split: none (0..255), divide255, minmax, zscore [default: divide255 for images, zscore for a table]", "divide255", "none", "divide255", "minmax", "zscore");

    public Option<bool> Stratify { get; } = new("--stratify") { Description = "Keep class proportions in the hold-out split" };

    public Option<bool> NoValidationShuffle { get; } = new("--no-val-shuffle") { Description = "Hold out the first --val-fraction of the training images in file order instead of a seeded random sample (seeds 001/002)" };

    /// <summary>One command-line option per entry of <see cref="TrainingOptionSchema"/>, in its order, keyed by the schema's key.</summary>
    public IReadOnlyDictionary<string, Option> Hyperparameters { get; } = TrainingOptionSchema.All.ToDictionary(d => d.Key, ToCliOption, StringComparer.Ordinal);

    /// <summary>
    /// The command-line form of a schema entry: a switch for flags the command line spells as one (--nesterov,
    /// --no-intercept), else an option taking text that the schema parses, with the default the schema's defaults give.
    /// </summary>
    private static Option ToCliOption(TrainingOptionDefinition definition)
    {
        if (definition.Switch != CliSwitch.None)
        {
            return new Option<bool>(definition.Flag, [.. definition.Aliases]) { Description = definition.Help };
        }

        var option = new Option<string>(definition.Flag, [.. definition.Aliases])
        {
            Description = definition.Help,
            DefaultValueFactory = _ => definition.Format(Defaults),
        };
        if (definition.HelpName is { } helpName)
        {
            option.HelpName = helpName;
        }

        if (definition.Kind == OptionValueKind.Choice)
        {
            option.AcceptOnlyFromAmong([.. definition.Choices]);
        }

        return option;
    }

    /// <summary>The schema entries the user gave on the command line, with the text each was given.</summary>
    private IEnumerable<(TrainingOptionDefinition Definition, string Value)> Given(SymbolResultSource result)
    {
        foreach (var definition in TrainingOptionSchema.All)
        {
            var option = Hyperparameters[definition.Key];
            if (result.Result(option) is not { Implicit: false })
            {
                continue;
            }

            if (option is Option<bool> flag)
            {
                var on = result.Value(flag);
                yield return (definition, (definition.Switch == CliSwitch.True ? on : !on) ? "true" : "false");
            }
            else
            {
                yield return (definition, result.Value((Option<string>)option) ?? "");
            }
        }
    }

    public void AddTo(Command command)
    {
        Option[] all =
        [
            Dataset, Model, Classes, Positive, TrainFirst, TrainLast, TestFirst, TestLast, Normalize, Stratify, NoValidationShuffle,
            .. Hyperparameters.Values,
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

            var source = new SymbolResultSource(result);
            var options = new TrainingOptions();
            var given = new List<string>();
            foreach (var (definition, value) in Given(source))
            {
                try
                {
                    options = definition.Apply(options, value);
                    given.Add(definition.Key);
                }
                catch (FormatException e)
                {
                    result.AddError($"{definition.Flag}: {e.Message}");
                    return;
                }
            }

            if (TrainingOptionSchema.NotApplicable(given, [options.Optimizer], d => d.Flag) is { } problem)
            {
                result.AddError(problem);
            }

            else if (options.EarlyStopping && !(options.ValidationFraction > 0))
            {
                result.AddError("--early-stopping needs a validation split: add --val-fraction (e.g. 0.1)");
            }
        });
    }

    /// <summary>
    /// Whether the command line gave any training option other than --seed and --threads (which change neither the
    /// solver nor the objective); without one, train chooses the solver by problem size (<see cref="DefaultSolver"/>).
    /// </summary>
    public bool ChoosesTraining(ParseResult parse) =>
        Given(new SymbolResultSource(parse)).Any(g => g.Definition.Key is not ("seed" or "threads"));

    /// <summary>
    /// The hyperparameters: the schema's defaults with what the command line gave; <see cref="TrainingOptions.Validate"/>
    /// checks their ranges with messages naming the option.
    /// </summary>
    public TrainingOptions BuildOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var options = new TrainingOptions();
        foreach (var (definition, value) in Given(new SymbolResultSource(parse)))
        {
            options = definition.Apply(options, value);
        }

        options = TrainingOptionSchema.ForOptimizer(options);
        options.Validate();
        return options;
    }

    /// <summary>Subsets, scaling and class selection; class tokens are resolved against the loaded dataset's names.</summary>
    /// <param name="table">Whether the data is a table: its features have no common scale, so it is standardised (z-score) unless --normalize says otherwise.</param>
    public DataPreparation BuildPreparation(ParseResult parse, IReadOnlyList<string> classNames, bool table = false)
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
            Scaling = table && parse.GetResult(Normalize) is not { Implicit: false } ? ScalingKind.ZScore : ModelFile.ParseScaling(parse.GetRequiredValue(Normalize))!.Value,
            StratifyValidation = parse.GetValue(Stratify),
            ShuffleValidation = !parse.GetValue(NoValidationShuffle),
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

    /// <summary>What the validators (a <see cref="CommandResult"/>) and the actions (a <see cref="ParseResult"/>) both offer: an option's result and value.</summary>
    private sealed class SymbolResultSource
    {
        private readonly Func<Option, OptionResult?> _result;
        private readonly Func<Option<bool>, bool> _flag;
        private readonly Func<Option<string>, string?> _text;

        public SymbolResultSource(CommandResult command)
        {
            _result = command.GetResult;
            _flag = command.GetValue;
            _text = command.GetValue;
        }

        public SymbolResultSource(ParseResult parse)
        {
            _result = parse.GetResult;
            _flag = parse.GetValue;
            _text = parse.GetValue;
        }

        public OptionResult? Result(Option option) => _result(option);

        public bool Value(Option<bool> option) => _flag(option);

        public string? Value(Option<string> option) => _text(option);
    }
}
