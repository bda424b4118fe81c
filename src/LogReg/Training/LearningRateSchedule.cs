using LogReg.Common;
using System.Globalization;

namespace LogReg.Training;

/// <summary>The kind of per-epoch learning-rate schedule.</summary>
public enum ScheduleKind
{
    /// <summary>η(t) = η0.</summary>
    Constant,

    /// <summary>η(t) = η0 / (1 + t / T), T = DecayEpochs (seed 002: η0 = 0.0015, T = 3).</summary>
    InverseTime,

    /// <summary>η(t) = η0 · γ^⌊t / T⌋, γ = DecayRate, T = DecayEpochs.</summary>
    Step,

    /// <summary>η(t) = η0 · γ^t, γ = DecayRate.</summary>
    Exponential,

    /// <summary>η(t) = ηmin + (η0 − ηmin)(1 + cos(π t / E)) / 2 over the E training epochs; ηmin = MinLearningRate.</summary>
    Cosine,
}

/// <summary>
/// A learning rate per epoch t = 0, 1, 2, ... (t is the number of epochs already completed).
/// </summary>
public sealed record LearningRateSchedule
{
    /// <summary>The same learning rate every epoch.</summary>
    public static readonly LearningRateSchedule Constant = new();

    /// <summary>Default <see cref="ScheduleKind.Constant"/>.</summary>
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary>T for inverse-time and step decay. Default 1.</summary>
    public double DecayEpochs { get; init; } = 1;

    /// <summary>γ for step and exponential decay. Default 0.5.</summary>
    public double DecayRate { get; init; } = 0.5;

    /// <summary>The floor of cosine annealing. Default 0.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>The rate divided by (1 + epoch / <paramref name="decayEpochs"/>).</summary>
    public static LearningRateSchedule InverseTime(double decayEpochs) => new() { Kind = ScheduleKind.InverseTime, DecayEpochs = decayEpochs };

    /// <summary>The rate multiplied by <paramref name="rate"/> every <paramref name="decayEpochs"/> epochs.</summary>
    public static LearningRateSchedule Step(double decayEpochs, double rate) => new() { Kind = ScheduleKind.Step, DecayEpochs = decayEpochs, DecayRate = rate };

    /// <summary>The rate multiplied by <paramref name="rate"/> every epoch.</summary>
    public static LearningRateSchedule Exponential(double rate) => new() { Kind = ScheduleKind.Exponential, DecayRate = rate };

    /// <summary>A cosine from the rate down to <paramref name="minLearningRate"/> over the epochs.</summary>
    public static LearningRateSchedule Cosine(double minLearningRate = 0) => new() { Kind = ScheduleKind.Cosine, MinLearningRate = minLearningRate };

    /// <summary>The learning rate for epoch <paramref name="epoch"/> (0-based) of <paramref name="totalEpochs"/>.</summary>
    public double At(double initial, int epoch, int totalEpochs) => Kind switch
    {
        ScheduleKind.Constant => initial,
        ScheduleKind.InverseTime => initial / (1 + epoch / DecayEpochs),
        ScheduleKind.Step => initial * Math.Pow(DecayRate, Math.Floor(epoch / DecayEpochs)),
        ScheduleKind.Exponential => initial * Math.Pow(DecayRate, epoch),
        ScheduleKind.Cosine => MinLearningRate + (initial - MinLearningRate) * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, totalEpochs))) / 2,
        _ => throw new InvalidOperationException($"unknown schedule {Kind}"),
    };

    /// <summary>Checks the parameters; messages say what was expected.</summary>
    public void Validate()
    {
        if (Kind is ScheduleKind.InverseTime or ScheduleKind.Step && !(DecayEpochs > 0 && double.IsFinite(DecayEpochs)))
        {
            throw new InvalidSettingException(Invariant($"DecayEpochs must be > 0 (was {DecayEpochs}); e.g. 3 halves the rate after 3 epochs with inverse-time decay"), nameof(DecayEpochs));
        }

        if (Kind is ScheduleKind.Step or ScheduleKind.Exponential && !(DecayRate > 0 && DecayRate <= 1))
        {
            throw new InvalidSettingException(Invariant($"DecayRate must be in (0, 1] (was {DecayRate}); e.g. 0.5 halves the rate at each decay"), nameof(DecayRate));
        }

        if (Kind == ScheduleKind.Cosine && !(MinLearningRate >= 0 && double.IsFinite(MinLearningRate)))
        {
            throw new InvalidSettingException(Invariant($"MinLearningRate must be ≥ 0 (was {MinLearningRate})"), nameof(MinLearningRate));
        }
    }

    /// <summary>The schedule as the CLI writes it.</summary>
    public override string ToString() => Kind switch
    {
        ScheduleKind.Constant => "constant",
        ScheduleKind.InverseTime => Invariant($"inverse-time (T = {DecayEpochs})"),
        ScheduleKind.Step => Invariant($"step (every {DecayEpochs} epochs x {DecayRate})"),
        ScheduleKind.Exponential => Invariant($"exponential (x {DecayRate} per epoch)"),
        _ => Invariant($"cosine (to {MinLearningRate})"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
