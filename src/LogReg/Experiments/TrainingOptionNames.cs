using System.Globalization;
using LogReg.Training;

namespace LogReg.Experiments;

/// <summary>
/// Training options by their snake_case names (as in model files and experiment specs): applying a textual value to a
/// <see cref="TrainingOptions"/>, with messages that say what was expected.
/// </summary>
public static class TrainingOptionNames
{
    private delegate TrainingOptions Setter(TrainingOptions options, string value);

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.Ordinal)
    {
        ["optimizer"] = (o, v) => o with { Optimizer = Choice<OptimizerKind>(v, "sgd", "lbfgs") },
        ["learning_rate"] = (o, v) => o with { LearningRate = Number(v) },
        ["batch_size"] = (o, v) => o with { BatchSize = Whole(v) },
        ["epochs"] = (o, v) => o with { Epochs = Whole(v) },
        ["momentum"] = (o, v) => o with { Momentum = Number(v) },
        ["nesterov"] = (o, v) => o with { Nesterov = Flag(v) },
        ["penalty"] = (o, v) => o with { Penalty = Choice<Penalty>(v, "none", "l1", "l2", "elasticnet") },
        ["lambda"] = (o, v) => o with { Lambda = Number(v) },
        ["l1_ratio"] = (o, v) => o with { L1Ratio = Number(v) },
        ["l1_mode"] = (o, v) => o with { L1Mode = Choice<L1Mode>(v, "proximal", "subgradient") },
        ["fit_intercept"] = (o, v) => o with { FitIntercept = Flag(v) },
        ["penalize_bias"] = (o, v) => o with { PenalizeBias = Flag(v) },
        ["reduction"] = (o, v) => o with { Reduction = Choice<Reduction>(v, "mean", "sum") },
        ["schedule"] = (o, v) => o with { Schedule = o.Schedule with { Kind = Choice<ScheduleKind>(v.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), "constant", "inversetime", "step", "exponential", "cosine") } },
        ["decay_epochs"] = (o, v) => o with { Schedule = o.Schedule with { DecayEpochs = Number(v) } },
        ["decay_rate"] = (o, v) => o with { Schedule = o.Schedule with { DecayRate = Number(v) } },
        ["min_learning_rate"] = (o, v) => o with { Schedule = o.Schedule with { MinLearningRate = Number(v) } },
        ["init"] = (o, v) => o with { Init = Choice<WeightInit>(v, "zeros", "normal") },
        ["init_std"] = (o, v) => o with { InitStd = Number(v) },
        ["shuffle"] = (o, v) => o with { Shuffle = Flag(v) },
        ["early_stopping"] = (o, v) => o with { EarlyStopping = Flag(v) },
        ["monitor"] = (o, v) => o with { Monitor = v is "val_accuracy" or "val-accuracy" ? MonitorMetric.ValidationAccuracy : v is "val_loss" or "val-loss" ? MonitorMetric.ValidationLoss : throw Bad("val_loss or val_accuracy", v) },
        ["patience"] = (o, v) => o with { Patience = Whole(v) },
        ["min_delta"] = (o, v) => o with { MinDelta = Number(v) },
        ["restore_best_weights"] = (o, v) => o with { RestoreBestWeights = Flag(v) },
        ["tol"] = (o, v) => o with { Tol = Number(v) },
        ["loss_tol"] = (o, v) => o with { LossTol = Number(v) },
        ["lbfgs_memory"] = (o, v) => o with { LbfgsMemory = Whole(v) },
        ["threshold"] = (o, v) => o with { Threshold = Number(v) },
        ["divergence_threshold"] = (o, v) => o with { DivergenceThreshold = Number(v) },
    };

    /// <summary>Every name a spec may use for a training option.</summary>
    public static IReadOnlyCollection<string> Names => Setters.Keys;

    public static bool IsKnown(string name) => Setters.ContainsKey(name);

    /// <summary>
    /// <paramref name="options"/> with <paramref name="name"/> set from <paramref name="value"/>; a bad value throws
    /// <see cref="FormatException"/> whose message says what was expected.
    /// </summary>
    public static TrainingOptions Apply(TrainingOptions options, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Setters.TryGetValue(name, out var setter))
        {
            throw new FormatException($"unknown training option '{name}'");
        }

        return setter(options, value.Trim());
    }

    /// <summary>The known name closest to <paramref name="name"/>, for "did you mean" hints.</summary>
    public static string? Suggest(string name, IEnumerable<string> candidates) =>
        candidates.Select(c => (c, Distance(name, c))).Where(p => p.Item2 <= Math.Max(2, name.Length / 3)).OrderBy(p => p.Item2).Select(p => p.c).FirstOrDefault();

    private static double Number(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) ? number : throw Bad("a number", value);

    private static int Whole(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : throw Bad("a whole number", value);

    private static bool Flag(string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Bad("true or false", value),
    };

    private static T Choice<T>(string value, params string[] allowed)
        where T : struct, Enum
    {
        var normalised = value.ToLowerInvariant();
        if (!allowed.Contains(normalised) || !Enum.TryParse<T>(normalised, ignoreCase: true, out var parsed))
        {
            throw Bad("one of " + string.Join(", ", allowed), value);
        }

        return parsed;
    }

    private static FormatException Bad(string expected, string value) => new($"expected {expected} (was '{value}')");

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
