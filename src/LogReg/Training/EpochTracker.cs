using System.Diagnostics;
using System.Globalization;
using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// What every optimizer does at the end of an epoch: evaluate the splits, record the history, keep the best weights by
/// the monitored validation metric, decide on early stopping, and notice divergence. Owns the choice of final weights.
/// </summary>
internal sealed class EpochTracker
{
    private readonly TrainingOptions _options;
    private readonly ILinearKernel _kernel;
    private readonly LinearProblem _train;
    private readonly LinearProblem? _validation;
    private readonly LinearProblem? _test;
    private readonly LinearParameters _current;
    private readonly LinearParameters _best;
    private readonly LinearParameters _lastGood;
    private readonly IProgress<EpochRecord>? _progress;
    private readonly Func<EpochRecord, bool>? _stopWhen;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly float _logitThreshold;
    private double _bestMetric;
    private int _sinceImprovement;
    private int _lastGoodEpoch;
    private double? _initialLoss;

    public EpochTracker(TrainingOptions options, ILinearKernel kernel, LinearProblem train, LinearProblem? validation, LinearProblem? test, LinearParameters current, IProgress<EpochRecord>? progress, Func<EpochRecord, bool>? stopWhen = null)
    {
        _stopWhen = stopWhen;
        _options = options;
        _kernel = kernel;
        _train = train;
        _validation = validation;
        _test = test;
        _current = current;
        _progress = progress;
        _best = current.Clone();
        _lastGood = current.Clone();
        _bestMetric = options.Monitor == MonitorMetric.ValidationLoss ? double.PositiveInfinity : double.NegativeInfinity;
        _logitThreshold = options.LogitThresholdFor(train.Kind);
    }

    public TrainingHistory History { get; } = new();

    /// <summary>Mean training loss of the initial weights (computed once, on first use, before any update).</summary>
    public double InitialLoss => _initialLoss ?? double.NaN;

    /// <summary>Measures the initial loss; call before the first update.</summary>
    public void Start() => _initialLoss ??= _kernel.Evaluate(_train, _current.Weights, _current.Bias, _logitThreshold).MeanLoss;

    public int BestEpoch { get; private set; }

    public string? Warning { get; private set; }

    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>
    /// Records epoch <paramref name="epoch"/> (1-based) and returns a reason to stop, or null to go on.
    /// <paramref name="knownTrain"/> gives the training loss and accuracy when the caller has them for the current
    /// weights already (L-BFGS's last full-batch gradient), sparing a pass over the data.
    /// </summary>
    public StopReason? EndEpoch(int epoch, double learningRate, EvaluationSums? knownTrain = null)
    {
        var train = knownTrain ?? _kernel.Evaluate(_train, _current.Weights, _current.Bias, _logitThreshold);
        var validation = _validation is null ? (EvaluationSums?)null : _kernel.Evaluate(_validation, _current.Weights, _current.Bias, _logitThreshold);
        var test = _test is null ? (EvaluationSums?)null : _kernel.Evaluate(_test, _current.Weights, _current.Bias, _logitThreshold);
        var record = new EpochRecord(
            epoch,
            train.MeanLoss,
            train.Accuracy,
            validation?.MeanLoss,
            validation?.Accuracy,
            test?.MeanLoss,
            test?.Accuracy,
            learningRate,
            _current.L1Norm(),
            _current.L2Norm(),
            _clock.Elapsed.TotalSeconds);
        History.Add(record);
        if (_progress is IEpochWeightsProgress weights)
        {
            weights.ReportWeights(epoch, _current.Weights, _current.Bias);
        }

        _progress?.Report(record);

        // A linear model's loss does not turn NaN when the step is too large: its scores grow without bound instead,
        // so a loss far above its initial value also counts as divergence (unless the options turn that test off).
        var exploded = _options.DivergenceThreshold > 0 && train.MeanLoss > _options.DivergenceThreshold * Math.Max(InitialLoss, Math.Log(2));
        if (!double.IsFinite(train.MeanLoss) || !_current.IsFinite() || exploded)
        {
            return Diverged(epoch, train.MeanLoss, learningRate);
        }

        _current.CopyTo(_lastGood);
        _lastGoodEpoch = epoch;
        var reason = Monitor(epoch, validation);
        return reason is null && _stopWhen is not null && _stopWhen(record) ? StopReason.Stopped : reason;
    }

    /// <summary>Keeps the best weights by the monitored validation metric and decides on early stopping.</summary>
    private StopReason? Monitor(int epoch, EvaluationSums? validation)
    {
        if (validation is not { } v)
        {
            BestEpoch = epoch;
            return null;
        }

        var metric = _options.Monitor == MonitorMetric.ValidationLoss ? v.MeanLoss : v.Accuracy;
        var improved = _options.Monitor == MonitorMetric.ValidationLoss
            ? metric < _bestMetric - _options.MinDelta
            : metric > _bestMetric + _options.MinDelta;
        if (improved || BestEpoch == 0)
        {
            _bestMetric = metric;
            BestEpoch = epoch;
            _sinceImprovement = 0;
            _current.CopyTo(_best);
            return null;
        }

        _sinceImprovement++;
        return _options.EarlyStopping && _sinceImprovement >= _options.Patience ? StopReason.EarlyStopped : null;
    }

    /// <summary>Divergence inside an epoch (a batch loss that is NaN or infinite): the epoch is recorded as it stands.</summary>
    public StopReason Diverged(int epoch, double loss, double learningRate)
    {
        if (History.Epochs.Count == 0 || History.Epochs[^1].Epoch != epoch)
        {
            History.Add(new EpochRecord(epoch, loss, double.NaN, null, null, null, null, learningRate, _current.L1Norm(), _current.L2Norm(), _clock.Elapsed.TotalSeconds));
        }

        var kept = _validation is not null && BestEpoch > 0 ? BestEpoch : _lastGoodEpoch;
        var what = double.IsNaN(loss) ? "NaN" : double.IsInfinity(loss) ? "infinite" : string.Create(CultureInfo.InvariantCulture, $"{loss:g3}, over {_options.DivergenceThreshold:0.#}x its initial {InitialLoss:0.###}");
        Warning = string.Create(
            CultureInfo.InvariantCulture,
            $"training diverged in epoch {epoch} (the loss became {what}); kept the weights of {(kept == 0 ? "the initialisation" : $"epoch {kept}")}; try a smaller learning rate (was {learningRate:g4})");
        return StopReason.Diverged;
    }

    /// <summary>Puts the weights training should end with into the current parameters.</summary>
    public void ChooseFinal(StopReason reason)
    {
        var useBest = _validation is not null && _options.RestoreBestWeights && BestEpoch > 0;
        if (useBest)
        {
            _best.CopyTo(_current);
        }
        else if (reason is StopReason.Diverged or StopReason.Interrupted)
        {
            // An interrupted epoch is half a step: keep the last whole epoch, the one the history ends with.
            _lastGood.CopyTo(_current);
            BestEpoch = _lastGoodEpoch;
        }
    }
}
