using LogReg.Kernels;

namespace LogReg.Training;

/// <summary>
/// The training objective on a set of samples: the reduced (mean or summed) cross-entropy plus the penalty. Every
/// optimizer and the gradient checks go through here, and through the kernel for the data part.
/// </summary>
public sealed class Objective
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

    public TrainingOptions Options { get; }

    /// <summary>
    /// Objective value over <paramref name="rows"/>; its gradient overwrites <paramref name="gradient"/> (zeroed here).
    /// In proximal L1 mode the L1 term is in the value but not the gradient (the optimizer's prox step handles it).
    /// <paramref name="dataLossSum"/> is the unreduced cross-entropy sum, for reporting.
    /// </summary>
    public double ValueAndGradient(ReadOnlySpan<int> rows, LinearParameters parameters, LinearParameters gradient, out double dataLossSum)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradient);
        gradient.Clear();
        dataLossSum = _kernel.LossAndGradient(Problem, rows, parameters.Weights, parameters.Bias, gradient.Weights, gradient.Bias);
        var scale = Options.Reduction == Reduction.Mean ? 1.0 / Math.Max(1, rows.Length) : 1.0;
        if (scale != 1.0)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient.Weights, (float)scale, gradient.Weights);
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient.Bias, (float)scale, gradient.Bias);
        }

        if (!Options.FitIntercept)
        {
            Array.Clear(gradient.Bias);
        }

        Penalties.AddGradient(Options, parameters, gradient);
        return dataLossSum * scale + Penalties.Value(Options, parameters);
    }

    /// <summary>The objective value alone (allocates a gradient buffer; for checks, not training loops).</summary>
    public double Value(ReadOnlySpan<int> rows, LinearParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ValueAndGradient(rows, parameters, new LinearParameters(parameters.Outputs, parameters.Features), out _);
    }
}
