using LogReg.Common;
using LogReg.Core;
using System.Globalization;

namespace LogReg.Training;

/// <summary>
/// Hyperparameters of a linear classifier's training, named as scikit-learn and PyTorch users know them. Every default
/// is written on its property. <see cref="Validate"/> checks them all before any work starts.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Mini-batch gradient descent, or L-BFGS, OWL-QN or Newton-CG to the optimum. Default <see cref="OptimizerKind.Sgd"/>.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Initial step size η0. SGD only (L-BFGS ignores it, with BatchSize, Momentum and Schedule). Default 0.1.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Samples per step: 1 for per-sample SGD, 0 for full-batch gradient descent. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Passes over the training data (SGD). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// The iteration limit of L-BFGS, OWL-QN and Newton (scikit-learn's max_iter). Default 500: enough to reach the optimum on MNIST-sized
    /// problems, where SGD's ten epochs would stop L-BFGS far from it.
    /// </summary>
    public int MaxIterations { get; init; } = 500;

    /// <summary>The most epochs (SGD) or iterations (L-BFGS) training may take: what progress is counted against.</summary>
    public int EpochLimit => Optimizer == OptimizerKind.Sgd ? Epochs : MaxIterations;

    /// <summary>Momentum μ of the velocity update v ← μv − ηg, w ← w + v; 0 is plain SGD. Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov's accelerated gradient instead of classical momentum. Default false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>The weight penalty. Default <see cref="Training.Penalty.None"/>.</summary>
    public Penalty Penalty { get; init; } = Penalty.None;

    /// <summary>Penalty strength λ (≥ 0). Default 0.</summary>
    public double Lambda { get; init; }

    /// <summary>Share of L1 in the elastic net, r in [0, 1]. Default 0.5.</summary>
    public double L1Ratio { get; init; } = 0.5;

    /// <summary>How the L1 part is applied. Default <see cref="Training.L1Mode.Proximal"/> (exact zeros).</summary>
    public L1Mode L1Mode { get; init; } = L1Mode.Proximal;

    /// <summary>Learn a bias (intercept). Default true.</summary>
    public bool FitIntercept { get; init; } = true;

    /// <summary>Apply the penalty to the bias too. Default false.</summary>
    public bool PenalizeBias { get; init; }

    /// <summary>Mean or sum of the per-sample losses in a batch. Default <see cref="Training.Reduction.Mean"/>.</summary>
    public Reduction Reduction { get; init; } = Reduction.Mean;

    /// <summary>
    /// Weights per class of the training samples; with weights the mean is Σ w·loss / Σ w (scikit-learn's convention).
    /// Default <see cref="ClassWeighting.None"/>.
    /// </summary>
    public ClassWeighting ClassWeight { get; init; }

    /// <summary>
    /// Count the penalty once per sample of a batch rather than once per batch: the objective is then the reduction of
    /// ℓₙ(w) + λR(w) over the batch, which with <see cref="Training.Reduction.Sum"/> puts λR(w) next to the summed
    /// data loss once for every sample (a per-example gradient (tⁿ − yⁿ)xⁿ − λ·sign(w) summed over the batch, as seed
    /// 001 writes it). With the mean reduction it changes nothing. Default false (λR(w) once per batch).
    /// </summary>
    public bool PenaltyPerSample { get; init; }

    /// <summary>
    /// Score the test split after every epoch, filling the history's test columns (curves of test loss and accuracy).
    /// Default true. False leaves those columns empty and saves one pass over the test split per epoch; the test split
    /// is still scored once, at the end, for the final metrics.
    /// </summary>
    public bool TestCurve { get; init; } = true;

    /// <summary>Per-epoch learning rate. Default cosine annealing to 0 over the epochs.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine();

    /// <summary>Initial weights. Default <see cref="WeightInit.Zeros"/>.</summary>
    public WeightInit Init { get; init; } = WeightInit.Zeros;

    /// <summary>σ of <see cref="WeightInit.Normal"/>. Default 1 (standard normal).</summary>
    public double InitStd { get; init; } = 1;

    /// <summary>Seeds shuffling, initialisation and hold-out splits. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the training samples every epoch (mini-batch SGD). Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Share of the training data held out for validation when no validation set is given; 0 for none. Default 0.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Stop when the monitored validation metric has not improved for <see cref="Patience"/> epochs. Default false.</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>What early stopping and best-weight selection watch. Default validation loss.</summary>
    public MonitorMetric Monitor { get; init; } = MonitorMetric.ValidationLoss;

    /// <summary>Epochs without improvement before early stopping. Default 5.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The smallest change that counts as an improvement. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// With a validation set, end with the weights of the best validation epoch rather than the last. Default true.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>
    /// L-BFGS and Newton stop when the largest gradient component falls below this (scikit-learn's tol), OWL-QN when the
    /// largest component of its pseudo-gradient does. Default 1e-4.
    /// </summary>
    public double Tol { get; init; } = 1e-4;

    /// <summary>L-BFGS, OWL-QN and Newton also stop when the loss changes by less than this fraction in an iteration. Default 1e-9.</summary>
    public double LossTol { get; init; } = 1e-9;

    /// <summary>L-BFGS (and OWL-QN) history length: longer histories cut the iterations on ill-conditioned pixels. Default 40.</summary>
    public int LbfgsMemory { get; init; } = 40;

    /// <summary>How one-vs-rest models pick the class. Default <see cref="Decision.Scores"/>.</summary>
    public Decision Decision { get; init; } = Decision.Scores;

    /// <summary>Binary models predict the positive class when its probability is at least this. Default 0.5.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>
    /// Training counts as diverged when the mean training loss exceeds this many times its initial value (at least
    /// ln 2); 0 turns the test off. NaN or infinite losses always stop training. Default 100. Summed-gradient batch
    /// descent as the seeds ran it swings the loss far above that while still classifying well: their presets set 0.
    /// </summary>
    public double DivergenceThreshold { get; init; } = 100;

    /// <summary>Worker threads for the kernels; 0 means one per core. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// How many times a batch of <paramref name="rows"/> samples counts the penalty: <paramref name="rows"/> for a summed
    /// loss with <see cref="PenaltyPerSample"/>, else once.
    /// </summary>
    public double PenaltyCount(int rows) => PenaltyPerSample && Reduction == Reduction.Sum ? Math.Max(1, rows) : 1.0;

    /// <summary>Whether any L1 part is in the penalty.</summary>
    public bool HasL1 => Penalty is Penalty.L1 || (Penalty == Penalty.ElasticNet && L1Ratio > 0);

    /// <summary>λ for the squared-norm part of the penalty.</summary>
    public double L2Strength => Penalty switch
    {
        Penalty.L2 => Lambda,
        Penalty.ElasticNet => Lambda * (1 - L1Ratio),
        _ => 0,
    };

    /// <summary>λ for the absolute-value part of the penalty.</summary>
    public double L1Strength => Penalty switch
    {
        Penalty.L1 => Lambda,
        Penalty.ElasticNet => Lambda * L1Ratio,
        _ => 0,
    };

    /// <summary>
    /// Checks every option, throwing <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> with a
    /// message that names the option, the allowed range, the value and a fix. <paramref name="trainingSamples"/> bounds
    /// the batch size when known.
    /// </summary>
    public void Validate(int? trainingSamples = null)
    {
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
        {
            Fail(nameof(LearningRate), LearningRate, $"LearningRate must be > 0 (was {LearningRate}); typical values are 0.001 to 1");
        }

        if (BatchSize < 0 || (trainingSamples is { } n && BatchSize > n))
        {
            var upper = trainingSamples is { } m ? $"0 < BatchSize ≤ {m} (the training samples)" : "BatchSize ≥ 1";
            Fail(nameof(BatchSize), BatchSize, $"BatchSize must be ≥ 0 and at most the number of training samples (was {BatchSize}); use {upper}, or 0 for full-batch GD");
        }

        if (Epochs < 1)
        {
            Fail(nameof(Epochs), Epochs, $"Epochs must be ≥ 1 (was {Epochs}); 10 is usual for SGD");
        }

        if (MaxIterations < 1)
        {
            Fail(nameof(MaxIterations), MaxIterations, $"MaxIterations must be ≥ 1 (was {MaxIterations}); the default 500 reaches the optimum on MNIST-sized problems");
        }

        if (!(Momentum >= 0 && Momentum < 1))
        {
            Fail(nameof(Momentum), Momentum, $"Momentum must be in [0, 1) (was {Momentum}); 0.9 is usual, 0 turns it off");
        }

        if (Nesterov && Momentum == 0)
        {
            throw new InvalidSettingException("Nesterov needs Momentum > 0 (e.g. 0.9); without momentum it is plain SGD", nameof(Nesterov));
        }

        if (!(Lambda >= 0 && double.IsFinite(Lambda)))
        {
            Fail(nameof(Lambda), Lambda, $"Lambda must be ≥ 0 (was {Lambda})");
        }

        if (Penalty == Penalty.None && Lambda > 0)
        {
            throw new InvalidSettingException(Invariant($"Lambda is {Lambda} but Penalty is None; choose a penalty (l1, l2, elasticnet) or leave Lambda at 0"), nameof(Lambda));
        }

        if (!(L1Ratio >= 0 && L1Ratio <= 1))
        {
            Fail(nameof(L1Ratio), L1Ratio, $"L1Ratio must be in [0, 1] (was {L1Ratio}); 1 is pure L1, 0 pure L2");
        }

        if (!(InitStd > 0 && double.IsFinite(InitStd)))
        {
            Fail(nameof(InitStd), InitStd, $"InitStd must be > 0 (was {InitStd})");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            Fail(nameof(ValidationFraction), ValidationFraction, $"ValidationFraction must be in [0, 1) (was {ValidationFraction}); e.g. 0.1 holds out 10 %, 0 holds out nothing");
        }

        if (Patience < 1)
        {
            Fail(nameof(Patience), Patience, $"Patience must be ≥ 1 (was {Patience})");
        }

        if (!(MinDelta >= 0 && double.IsFinite(MinDelta)))
        {
            Fail(nameof(MinDelta), MinDelta, $"MinDelta must be ≥ 0 (was {MinDelta})");
        }

        if (!(Tol > 0) || !(LossTol >= 0))
        {
            Fail(nameof(Tol), Tol, $"Tol must be > 0 and LossTol ≥ 0 (were {Tol} and {LossTol})");
        }

        if (LbfgsMemory < 1)
        {
            Fail(nameof(LbfgsMemory), LbfgsMemory, $"LbfgsMemory must be ≥ 1 (was {LbfgsMemory})");
        }

        if (!(Threshold > 0 && Threshold < 1))
        {
            Fail(nameof(Threshold), Threshold, $"Threshold must be in (0, 1) (was {Threshold}); 0.5 is the usual decision threshold");
        }

        if (!(DivergenceThreshold == 0 || DivergenceThreshold > 1))
        {
            Fail(nameof(DivergenceThreshold), DivergenceThreshold, $"DivergenceThreshold must be 0 (off) or > 1 (was {DivergenceThreshold}); 100 stops when the loss grows a hundredfold");
        }

        _ = Common.Limits.Threads(Threads, nameof(Threads));

        if (Optimizer == OptimizerKind.Lbfgs && HasL1)
        {
            throw new InvalidSettingException("L-BFGS needs a smooth objective: use Penalty None or L2 (or ElasticNet with L1Ratio 0), or the OWL-QN optimizer (owlqn) for L1", nameof(Penalty));
        }

        if (Optimizer == OptimizerKind.Newton && HasL1)
        {
            throw new InvalidSettingException("Newton needs a twice-differentiable objective: use Penalty None or L2 (or ElasticNet with L1Ratio 0), or the OWL-QN optimizer (owlqn) for L1", nameof(Penalty));
        }

        Schedule.Validate();
        if (Optimizer == OptimizerKind.Sgd && Schedule.Kind == ScheduleKind.Cosine && Schedule.MinLearningRate > LearningRate)
        {
            // Cosine "annealing" from η0 up to a larger floor would raise the rate every epoch.
            Fail(nameof(LearningRateSchedule.MinLearningRate), Schedule.MinLearningRate, $"MinLearningRate must be ≤ LearningRate (was {Schedule.MinLearningRate} with LearningRate {LearningRate}); cosine annealing goes down from the learning rate to this floor");
        }
    }

    /// <summary>The logit at which a binary model switches class: log(t / (1 − t)).</summary>
    public float LogitThreshold => (float)Math.Log(Threshold / (1 - Threshold));

    /// <summary>The threshold the kernels take for a model of <paramref name="kind"/>: the logistic one's, else unused (0).</summary>
    public float LogitThresholdFor(ModelKind kind) => kind == ModelKind.Logistic ? LogitThreshold : 0f;

    /// <summary>The options in one line, e.g. "SGD lr 0.1 batch 128 momentum 0.9, cosine, no penalty, 10 epochs".</summary>
    public string Describe()
    {
        var optimizer = Optimizer switch
        {
            OptimizerKind.Lbfgs => "L-BFGS (full batch)",
            OptimizerKind.Owlqn => "OWL-QN (full batch)",
            OptimizerKind.Newton => "Newton-CG (full batch)",
            OptimizerKind.Cdn => "CDN proximal Newton (full batch)",
            _ => Invariant($"SGD lr {LearningRate:g4} {(BatchSize == 0 ? "full batch" : $"batch {BatchSize}")}{(Momentum > 0 ? $" momentum {Momentum:g3}{(Nesterov ? " (Nesterov)" : "")}" : "")}, {Schedule}"),
        };
        var penalty = Penalty == Penalty.None ? "no penalty" : Invariant($"{Penalty} λ {Lambda:g4}");
        var text = Invariant($"{optimizer}, {penalty}, {EpochLimit} {(Optimizer == OptimizerKind.Sgd ? "epochs" : "iterations max")}");
        if (Reduction == Reduction.Sum)
        {
            text += ", summed batch gradient";
        }

        if (ClassWeight == ClassWeighting.Balanced)
        {
            text += ", class weight balanced";
        }

        if (PenaltyPerSample && Penalty != Penalty.None)
        {
            text += ", penalty per sample";
        }

        if (EarlyStopping)
        {
            text += Invariant($", early stopping on {(Monitor == MonitorMetric.ValidationLoss ? "validation loss" : "validation accuracy")} (patience {Patience})");
        }

        return text;
    }

    private static void Fail(string name, object value, FormattableString message) =>
        throw new InvalidSettingException(message.ToString(CultureInfo.InvariantCulture), name);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
