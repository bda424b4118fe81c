using System.Globalization;
using LogReg.Core;

namespace LogReg.Training;

/// <summary>What kind of text an option takes.</summary>
public enum OptionValueKind
{
    /// <summary>A finite real number.</summary>
    Number,

    /// <summary>A whole number.</summary>
    Whole,

    /// <summary>true or false (yes/no, on/off in specs).</summary>
    Flag,

    /// <summary>One of a fixed list of words.</summary>
    Choice,
}

/// <summary>Which optimizer an option means something to.</summary>
public enum OptionScope
{
    /// <summary>Every optimizer.</summary>
    Any,

    /// <summary>Mini-batch gradient descent only.</summary>
    Sgd,

    /// <summary>The quasi-Newton optimizers, L-BFGS and OWL-QN (their curvature memory).</summary>
    Lbfgs,

    /// <summary>Every full-batch optimizer that runs to the optimum: L-BFGS, OWL-QN and Newton (iteration limit, tolerances).</summary>
    FullBatch,
}

/// <summary>How a flag appears on the command line.</summary>
public enum CliSwitch
{
    /// <summary>Not a switch: the option takes a value.</summary>
    None,

    /// <summary>Present means true (<c>--nesterov</c>).</summary>
    True,

    /// <summary>Present means false (<c>--no-intercept</c> for <c>fit_intercept</c>).</summary>
    False,
}

/// <summary>
/// One training option, declared once: its snake_case key (model files, experiment specs), its command-line flag and
/// aliases, the kind of value, the optimizer it applies to, its help text, and how to read it from and write it into
/// <see cref="TrainingOptions"/>. Ranges are checked in one place, <see cref="TrainingOptions.Validate"/>.
/// </summary>
public sealed record TrainingOptionDefinition
{
    internal TrainingOptionDefinition(string key, string flag, OptionValueKind kind, string help, Func<TrainingOptions, string> get, Func<TrainingOptions, string, TrainingOptions> set)
    {
        Key = key;
        Flag = flag;
        Kind = kind;
        Help = help;
        _get = get;
        _set = set;
    }

    private readonly Func<TrainingOptions, string> _get;
    private readonly Func<TrainingOptions, string, TrainingOptions> _set;

    /// <summary>The snake_case name in model.json and experiment specs, e.g. <c>learning_rate</c>.</summary>
    public string Key { get; }

    /// <summary>The command-line flag, e.g. <c>--learning-rate</c>.</summary>
    public string Flag { get; }

    /// <summary>Other spellings of the flag, e.g. <c>--lr</c>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The kind of value the option takes.</summary>
    public OptionValueKind Kind { get; }

    /// <summary>The words a <see cref="OptionValueKind.Choice"/> takes, as written on the command line.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>One line for <c>--help</c>.</summary>
    public string Help { get; }

    /// <summary>The value's placeholder in help (e.g. T), when the flag's name is not a good one.</summary>
    public string? HelpName { get; init; }

    /// <summary>The solvers or models the option applies to.</summary>
    public OptionScope Scope { get; init; } = OptionScope.Any;

    /// <summary>For flags: whether the command line spells it as a switch, and which value the switch sets.</summary>
    public CliSwitch Switch { get; init; }

    /// <summary>
    /// Whether an experiment spec may set it under <c>options:</c> and <c>grid:</c>. Seeds, the hold-out share and the
    /// thread count have their own places there (<c>seeds:</c>, <c>validation:</c>, the runner's parallelism).
    /// </summary>
    public bool InSpec { get; init; } = true;

    /// <summary>
    /// Whether model files record it. Only the thread count is not: results do not depend on it (tested bitwise), and
    /// recording it would make the same training on another machine write a different file.
    /// </summary>
    public bool InModelFile { get; init; } = true;

    /// <summary>The value in <paramref name="options"/>, as text that <see cref="Apply"/> reads back to the same value.</summary>
    public string Format(TrainingOptions options) => _get(options);

    /// <summary>
    /// <paramref name="options"/> with this option set from <paramref name="value"/>; a value that is not of the
    /// option's kind throws <see cref="FormatException"/> saying what was expected.
    /// </summary>
    public TrainingOptions Apply(TrainingOptions options, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(value);
        return _set(options, value.Trim());
    }

    /// <summary>Whether the option means something to <paramref name="optimizer"/>.</summary>
    public bool AppliesTo(OptimizerKind optimizer) => Scope switch
    {
        OptionScope.Sgd => optimizer == OptimizerKind.Sgd,
        OptionScope.Lbfgs => optimizer is OptimizerKind.Lbfgs or OptimizerKind.Owlqn,
        OptionScope.FullBatch => optimizer != OptimizerKind.Sgd,
        _ => true,
    };

    /// <summary>Why the option, named <paramref name="name"/>, does not apply to the optimizers outside its scope.</summary>
    public string NotApplicableMessage(string name) => Scope switch
    {
        OptionScope.Sgd => $"{name} applies to --optimizer sgd; L-BFGS, OWL-QN and Newton use the full batch and choose their own steps",
        OptionScope.Lbfgs => $"{name} applies to --optimizer lbfgs and owlqn; SGD runs a fixed number of epochs (see --epochs) and Newton keeps no curvature memory",
        _ => $"{name} applies to --optimizer lbfgs, owlqn and newton; SGD runs a fixed number of epochs (see --epochs)",
    };
}

/// <summary>
/// Every training option, declared once. The command line's options and help, the experiment spec's keys (with
/// did-you-mean), the model file's "training" object (written and read), and the check that an option applies to the
/// chosen optimizer are all derived from this table: adding an option means adding it here (and to
/// <see cref="TrainingOptions"/>), and a test fails if any surface misses one.
/// </summary>
public static class TrainingOptionSchema
{
    private static readonly TrainingOptions Defaults = new();

    /// <summary>All options, in the order help lists them.</summary>
    public static IReadOnlyList<TrainingOptionDefinition> All { get; } =
    [
        Choice("optimizer", "--optimizer", "sgd (mini-batch gradient descent), or to the optimum on the full batch: lbfgs, owlqn (L1 and elastic net, exact zeros), newton (Newton-CG, smooth penalties), cdn (coordinate-descent proximal Newton as LIBLINEAR -s 6: L1 and elastic net, binary and one-vs-rest)", ["sgd", "lbfgs", "owlqn", "newton", "cdn"],
            o => o.Optimizer.ToString().ToLowerInvariant(),
            (o, v) => o with { Optimizer = Enum.Parse<OptimizerKind>(v, ignoreCase: true) }),
        Number("learning_rate", "--learning-rate", "Initial learning rate η0", o => o.LearningRate, (o, v) => o with { LearningRate = v }, OptionScope.Sgd, ["--lr"]),
        Whole("batch_size", "--batch-size", "Samples per step: 1 = per-sample SGD, 0 = full-batch GD", o => o.BatchSize, (o, v) => o with { BatchSize = v }, OptionScope.Sgd, ["-b"]),
        Whole("epochs", "--epochs", "Passes over the training data", o => o.Epochs, (o, v) => o with { Epochs = v }, OptionScope.Sgd, ["-e"]),
        Whole("max_iter", "--max-iter", "L-BFGS, OWL-QN, Newton: the iteration limit", o => o.MaxIterations, (o, v) => o with { MaxIterations = v }, OptionScope.FullBatch),
        Number("momentum", "--momentum", "Momentum μ (0 = plain SGD)", o => o.Momentum, (o, v) => o with { Momentum = v }, OptionScope.Sgd),
        Flag("nesterov", "--nesterov", CliSwitch.True, "Nesterov momentum instead of classical", o => o.Nesterov, (o, v) => o with { Nesterov = v }, OptionScope.Sgd),
        Choice("penalty", "--penalty", "Weight penalty: none, l2 (λ‖w‖²), l1 (λ‖w‖₁), elasticnet", ["none", "l1", "l2", "elasticnet"],
            o => o.Penalty.ToString().ToLowerInvariant(), (o, v) => o with { Penalty = Enum.Parse<Penalty>(v, ignoreCase: true) }),
        Number("lambda", "--lambda", "Penalty strength λ", o => o.Lambda, (o, v) => o with { Lambda = v }),
        Number("l1_ratio", "--l1-ratio", "Elastic net: share of L1 in [0, 1]", o => o.L1Ratio, (o, v) => o with { L1Ratio = v }),
        Choice("l1_mode", "--l1-mode", "proximal (soft-thresholding: exact zeros) or subgradient (λ·sign(w), as the seeds)", ["proximal", "subgradient"],
            o => o.L1Mode.ToString().ToLowerInvariant(), (o, v) => o with { L1Mode = Enum.Parse<L1Mode>(v, ignoreCase: true) }) with { Scope = OptionScope.Sgd },
        Flag("fit_intercept", "--no-intercept", CliSwitch.False, "Do not learn a bias", o => o.FitIntercept, (o, v) => o with { FitIntercept = v }),
        Flag("penalize_bias", "--penalize-bias", CliSwitch.True, "Apply the penalty to the bias too", o => o.PenalizeBias, (o, v) => o with { PenalizeBias = v }),
        Choice("reduction", "--reduction", "Combine a batch's per-sample losses by mean, or by sum as the seeds do", ["mean", "sum"],
            o => o.Reduction.ToString().ToLowerInvariant(), (o, v) => o with { Reduction = Enum.Parse<Reduction>(v, ignoreCase: true) }),
        Choice("class_weight", "--class-weight", "none, or balanced: each sample weighs n / (k · its class's count), so every class counts as much", ["none", "balanced"],
            o => o.ClassWeight.ToString().ToLowerInvariant(), (o, v) => o with { ClassWeight = Enum.Parse<ClassWeighting>(v, ignoreCase: true) }),
        Flag("penalty_per_sample", "--penalty-per-sample", CliSwitch.True, "Count the penalty once per sample of a batch, not once per batch (matters with --reduction sum, as seed 001 writes its per-example gradient)", o => o.PenaltyPerSample, (o, v) => o with { PenaltyPerSample = v }),
        Choice("schedule", "--schedule", "Learning rate per epoch: constant, inverse-time η0/(1+t/T), step η0·γ^⌊t/T⌋, exponential η0·γ^t, cosine", ["constant", "inverse-time", "step", "exponential", "cosine"],
            o => o.Schedule.Kind == ScheduleKind.InverseTime ? "inverse-time" : o.Schedule.Kind.ToString().ToLowerInvariant(),
            (o, v) => o with { Schedule = o.Schedule with { Kind = Enum.Parse<ScheduleKind>(v.Replace("-", "", StringComparison.Ordinal), ignoreCase: true) } }) with { Scope = OptionScope.Sgd },
        Number("decay_epochs", "--decay-epochs", "T of inverse-time and step decay", o => o.Schedule.DecayEpochs, (o, v) => o with { Schedule = o.Schedule with { DecayEpochs = v } }, OptionScope.Sgd) with { HelpName = "T" },
        Number("decay_rate", "--decay-rate", "γ of step and exponential decay", o => o.Schedule.DecayRate, (o, v) => o with { Schedule = o.Schedule with { DecayRate = v } }, OptionScope.Sgd),
        Number("min_learning_rate", "--min-lr", "Floor of cosine annealing", o => o.Schedule.MinLearningRate, (o, v) => o with { Schedule = o.Schedule with { MinLearningRate = v } }, OptionScope.Sgd),
        Choice("init", "--init", "Initial weights: zeros, or normal(0, σ) from the seed", ["zeros", "normal"],
            o => o.Init.ToString().ToLowerInvariant(), (o, v) => o with { Init = Enum.Parse<WeightInit>(v, ignoreCase: true) }),
        Number("init_std", "--init-std", "σ of --init normal", o => o.InitStd, (o, v) => o with { InitStd = v }),
        Whole("seed", "--seed", "Seed for shuffling, initialisation and the hold-out split", o => o.Seed, (o, v) => o with { Seed = v }) with { InSpec = false },
        Flag("shuffle", "--no-shuffle", CliSwitch.False, "Do not shuffle the training data each epoch", o => o.Shuffle, (o, v) => o with { Shuffle = v }, OptionScope.Sgd),
        Number("validation_fraction", "--val-fraction", "Hold out this share of the training data for validation (0 = none)", o => o.ValidationFraction, (o, v) => o with { ValidationFraction = v }) with { InSpec = false },
        Flag("early_stopping", "--early-stopping", CliSwitch.True, "Stop when the validation metric stops improving (needs --val-fraction)", o => o.EarlyStopping, (o, v) => o with { EarlyStopping = v }),
        Choice("monitor", "--monitor", "Validation metric for early stopping and the best epoch", ["val-loss", "val-accuracy"],
            o => o.Monitor == MonitorMetric.ValidationAccuracy ? "val-accuracy" : "val-loss",
            (o, v) => o with { Monitor = v == "val-accuracy" ? MonitorMetric.ValidationAccuracy : MonitorMetric.ValidationLoss }),
        Whole("patience", "--patience", "Epochs without improvement before stopping", o => o.Patience, (o, v) => o with { Patience = v }),
        Number("min_delta", "--min-delta", "Smallest change that counts as an improvement", o => o.MinDelta, (o, v) => o with { MinDelta = v }),
        Flag("restore_best_weights", "--keep-last", CliSwitch.False, "End with the last epoch's weights, not the best validation epoch's", o => o.RestoreBestWeights, (o, v) => o with { RestoreBestWeights = v }),
        Flag("test_curve", "--no-test-curve", CliSwitch.False, "Do not score the test split after every epoch (no test curves in the history; the test split is still scored once at the end)", o => o.TestCurve, (o, v) => o with { TestCurve = v }),
        Number("tol", "--tol", "L-BFGS, OWL-QN, Newton: stop when the largest (pseudo-)gradient component is below this", o => o.Tol, (o, v) => o with { Tol = v }, OptionScope.FullBatch),
        Number("loss_tol", "--loss-tol", "L-BFGS, OWL-QN, Newton: also stop when the loss changes by less than this fraction in an iteration", o => o.LossTol, (o, v) => o with { LossTol = v }, OptionScope.FullBatch),
        Whole("lbfgs_memory", "--lbfgs-memory", "L-BFGS, OWL-QN: how many past steps approximate the curvature", o => o.LbfgsMemory, (o, v) => o with { LbfgsMemory = v }, OptionScope.Lbfgs),
        Choice("decision", "--decision", "One-vs-rest: predict the unit with the highest score, or with the highest sigmoid in double precision, saturated units tied at 1.0 and the first winning (argmax over sigmoid outputs, as seed 003's notebook)", ["scores", "probabilities"],
            o => o.Decision == Decision.Probabilities ? "probabilities" : "scores", (o, v) => o with { Decision = v == "probabilities" ? Decision.Probabilities : Decision.Scores }),
        Number("threshold", "--threshold", "Binary models: predict the positive class when its probability is at least this", o => o.Threshold, (o, v) => o with { Threshold = v }),
        Number("divergence_threshold", "--divergence-threshold", "Stop as diverged when the training loss grows this many times its initial value (0: off)", o => o.DivergenceThreshold, (o, v) => o with { DivergenceThreshold = v }),
        Whole("threads", "--threads", "Threads for the kernels (0: one per core); results do not depend on it", o => o.Threads, (o, v) => o with { Threads = v }) with { InSpec = false, InModelFile = false },
    ];

    private static readonly Dictionary<string, TrainingOptionDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    /// <summary>The option named <paramref name="key"/> (snake_case), or null.</summary>
    public static TrainingOptionDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The keys an experiment spec may set.</summary>
    public static IReadOnlyCollection<string> SpecKeys { get; } = [.. All.Where(d => d.InSpec).Select(d => d.Key)];

    /// <summary>
    /// <paramref name="options"/> with <paramref name="key"/> set from <paramref name="value"/>; an unknown key or a bad
    /// value throws <see cref="FormatException"/> saying what was expected.
    /// </summary>
    public static TrainingOptions Apply(TrainingOptions options, string key, string value) =>
        (Find(key) ?? throw new FormatException($"unknown training option '{key}'")).Apply(options, value);

    /// <summary>
    /// The first option among <paramref name="keys"/> (those a user set) that does not apply to any of
    /// <paramref name="optimizers"/>, with the message naming it through <paramref name="name"/>; null when all apply.
    /// The one check of option against optimizer, for the command line and for specs alike.
    /// </summary>
    public static string? NotApplicable(IEnumerable<string> keys, IReadOnlyCollection<OptimizerKind> optimizers, Func<TrainingOptionDefinition, string> name)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(optimizers);
        ArgumentNullException.ThrowIfNull(name);
        foreach (var key in keys)
        {
            if (Find(key) is { } definition && !optimizers.Any(definition.AppliesTo))
            {
                return definition.NotApplicableMessage(name(definition));
            }
        }

        return null;
    }

    /// <summary>
    /// The options as the optimizer runs them: L-BFGS, OWL-QN and Newton take the full batch without momentum (OWL-QN
    /// handles the L1 part itself, as the proximal mode's objective), so a model file never records SGD settings that
    /// played no part.
    /// </summary>
    public static TrainingOptions ForOptimizer(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => options,
            OptimizerKind.Owlqn or OptimizerKind.Cdn => options with { BatchSize = 0, Momentum = 0, Nesterov = false, L1Mode = L1Mode.Proximal },
            _ => options with { BatchSize = 0, Momentum = 0, Nesterov = false },
        };
    }

    private static TrainingOptionDefinition Number(string key, string flag, string help, Func<TrainingOptions, double> get, Func<TrainingOptions, double, TrainingOptions> set, OptionScope scope = OptionScope.Any, string[]? aliases = null) =>
        new(key, flag, OptionValueKind.Number, help, o => FormatNumber(get(o)), (o, v) => set(o, ParseNumber(v)))
        {
            Scope = scope,
            Aliases = aliases ?? [],
        };

    private static TrainingOptionDefinition Whole(string key, string flag, string help, Func<TrainingOptions, int> get, Func<TrainingOptions, int, TrainingOptions> set, OptionScope scope = OptionScope.Any, string[]? aliases = null) =>
        new(key, flag, OptionValueKind.Whole, help, o => get(o).ToString(CultureInfo.InvariantCulture), (o, v) => set(o, ParseWhole(v)))
        {
            Scope = scope,
            Aliases = aliases ?? [],
        };

    private static TrainingOptionDefinition Flag(string key, string flag, CliSwitch cliSwitch, string help, Func<TrainingOptions, bool> get, Func<TrainingOptions, bool, TrainingOptions> set, OptionScope scope = OptionScope.Any) =>
        new(key, flag, OptionValueKind.Flag, help, o => get(o) ? "true" : "false", (o, v) => set(o, ParseFlag(v)))
        {
            Scope = scope,
            Switch = cliSwitch,
        };

    private static TrainingOptionDefinition Choice(string key, string flag, string help, string[] choices, Func<TrainingOptions, string> get, Func<TrainingOptions, string, TrainingOptions> set) =>
        new(key, flag, OptionValueKind.Choice, help, get, (o, v) => set(o, ParseChoice(v, choices)))
        {
            Choices = choices,
        };

    /// <summary>The shortest text that reads back to the same double, with a small exponent (1e-9, not 1E-09).</summary>
    private static string FormatNumber(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        return e < 0 ? text : string.Concat(text.AsSpan(0, e), "e", int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
    }

    private static double ParseNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : throw Bad("a number", value);

    private static int ParseWhole(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : throw Bad("a whole number", value);

    private static bool ParseFlag(string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Bad("true or false", value),
    };

    /// <summary>
    /// The choice <paramref name="value"/> names, as the command line writes it: case, '-' and '_' do not matter
    /// (specs and older model files write inverse_time, val_loss, inversetime).
    /// </summary>
    private static string ParseChoice(string value, string[] choices)
    {
        static string Plain(string text) => text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        var plain = Plain(value);
        return choices.FirstOrDefault(c => Plain(c) == plain) ?? throw Bad("one of " + string.Join(", ", choices), value);
    }

    private static FormatException Bad(string expected, string value) => new($"expected {expected} (was '{value}')");
}
