using LogReg.Core;
using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// The training objective on a set of samples: the reduced (mean or summed) cross-entropy plus the penalty. Every
/// optimizer and the gradient checks go through here, and through the kernel for the data part.
/// </summary>
internal sealed class Objective
{
    private readonly ILinearKernel _kernel;

    public Objective(ILinearKernel kernel, LinearProblem problem, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        _kernel = kernel;
        Problem = problem;
        Options = options;
    }

    public LinearProblem Problem { get; }

    public ILinearKernel Kernel => _kernel;

    public TrainingOptions Options { get; }

    /// <summary>
    /// Objective value over <paramref name="rows"/>; its gradient overwrites <paramref name="gradient"/>.
    /// In proximal L1 mode the L1 term is in the value but not the gradient (the optimizer's prox step handles it).
    /// <paramref name="dataLossSum"/> is the unreduced cross-entropy sum, for reporting.
    /// </summary>
    public double ValueAndGradient(ReadOnlySpan<int> rows, LinearParameters parameters, LinearParameters gradient, out double dataLossSum)
    {
        var value = ValueAndGradient(rows, parameters, gradient, out EvaluationSums sums);
        dataLossSum = sums.LossSum;
        return value;
    }

    /// <summary>As above, with the data part's loss sum and correct predictions in <paramref name="dataSums"/>.</summary>
    public double ValueAndGradient(ReadOnlySpan<int> rows, LinearParameters parameters, LinearParameters gradient, out EvaluationSums dataSums)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        var threshold = Options.LogitThresholdFor(Problem.Kind);
        dataSums = _kernel.LossAndGradient(Problem, rows, parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias, threshold);
        var scale = DataScale(rows.Length);
        if (scale != 1.0)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient.Weights, (float)scale, gradient.Weights);
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient.Bias, (float)scale, gradient.Bias);
        }

        if (!Options.FitIntercept)
        {
            Array.Clear(gradient.Bias);
        }

        var count = Options.PenaltyCount(rows.Length);
        Penalties.AddGradient(Options, parameters, gradient, count);
        return dataSums.LossSum * scale + count * Penalties.Value(Options, parameters);
    }

    /// <summary>What turns the data gradient's plain sum over <paramref name="rows"/> samples into the objective's: 1/rows for the mean, else 1.</summary>
    public double DataScale(int rows) => Options.Reduction == Reduction.Mean ? 1.0 / Math.Max(1, rows) : 1.0;

    /// <summary>
    /// The data loss over <paramref name="rows"/> (unreduced sums) and one optimizer step from its gradient, which the
    /// kernel leaves in <paramref name="gradient"/> as a plain sum and hands to <paramref name="step"/> (readied with
    /// this objective's <see cref="DataScale"/>, penalty and intercept rule) when the loss is finite. The objective's
    /// value is not computed: a training loop that steps needs only the data loss.
    /// </summary>
    public EvaluationSums DataLossAndStep(ReadOnlySpan<int> rows, LinearParameters parameters, LinearParameters gradient, IGradientStep step)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        var threshold = Options.LogitThresholdFor(Problem.Kind);
        return _kernel.LossGradientAndStep(Problem, rows, parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias, step, threshold);
    }

    /// <summary>The objective value alone (allocates a gradient buffer; for checks, not training loops).</summary>
    public double Value(ReadOnlySpan<int> rows, LinearParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueAndGradient(rows, parameters, new LinearParameters(parameters.Outputs, parameters.Features), out double _);
    }
}
