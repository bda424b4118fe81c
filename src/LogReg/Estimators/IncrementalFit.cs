using System.Diagnostics;
using System.Globalization;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Training;

namespace LogReg.Estimators;

/// <summary>
/// The state PartialFit keeps between calls: the weights and one <see cref="SgdEpochs"/>, whose momentum velocity and
/// shuffling stream carry over from batch to batch.
/// </summary>
internal sealed class IncrementalFit
{
    private readonly TrainingOptions _options;
    private readonly ILinearKernel _kernel;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private SgdEpochs? _epochs;

    public IncrementalFit(TrainingOptions options, LinearParameters start)
    {
        _options = options;
        _kernel = LinearTrainer.WithDecision(LinearKernels.ForThreads(options.Threads), options);
        Parameters = start;
    }

    public LinearParameters Parameters { get; }

    /// <summary>One SGD pass over <paramref name="problem"/>, then its loss and accuracy as the record of epoch <paramref name="epoch"/>.</summary>
    public (EpochRecord Record, StopReason Stop, string? Warning) Run(LinearProblem problem, int epoch, CancellationToken cancellationToken)
    {
        var objective = new Objective(_kernel, problem, _options);
        _epochs ??= new SgdEpochs(objective, Parameters);
        var (stop, loss) = _epochs.Run(objective, _options.LearningRate, cancellationToken);
        string? warning = null;
        if (stop == StopReason.Diverged)
        {
            // The kernel skips the step of a batch whose loss is not finite, so the weights are those before it.
            warning = string.Create(CultureInfo.InvariantCulture, $"PartialFit call {epoch}: a batch loss became {loss}; its step was skipped; try a smaller LearningRate (was {_options.LearningRate:g4})");
        }

        var sums = _kernel.Evaluate(problem, Parameters.Weights, Parameters.Bias, _options.LogitThresholdFor(problem.Kind));
        var record = new EpochRecord(epoch, sums.MeanLoss, sums.Accuracy, null, null, null, null, _options.LearningRate, Parameters.L1Norm(), Parameters.L2Norm(), _clock.Elapsed.TotalSeconds);
        return (record, stop ?? StopReason.Completed, warning);
    }
}
