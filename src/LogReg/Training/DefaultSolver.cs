namespace LogReg.Training;

/// <summary>
/// The solver chosen by problem size when the user chose none, for the estimators and <c>logreg train</c> alike: up to
/// <see cref="LbfgsSizeLimit"/> values (rows × features) full-batch L-BFGS to the optimum of the L2 objective with
/// scikit-learn's C = 1 (λ = 1 / (2n)), which needs no learning rate and matches scikit-learn's
/// <c>LogisticRegression()</c>; above it, mini-batch SGD for the options' epochs, whose cost per pass stays linear in the
/// data (full MNIST, 60,000 × 784 = 47 M values, keeps <c>logreg train</c>'s 10 SGD epochs).
/// </summary>
public static class DefaultSolver
{
    /// <summary>The size (rows × features) up to which the default solver is L-BFGS: 20 M values, e.g. 25,000 images of 28×28.</summary>
    public const long LbfgsSizeLimit = 20_000_000;

    /// <summary>
    /// L-BFGS's stopping tolerance (largest gradient component) under the default rule: 1e-6, not the options' 1e-4,
    /// because 1e-4 stops 1e-5 to 1e-3 (relative objective) short of the optimum scikit-learn's <c>LogisticRegression()</c>
    /// reaches, while 1e-6 lands within 3e-7 of it for 1.2 to 2.6 times the iterations (bench/RESULTS.md, "Defaults").
    /// </summary>
    public const double LbfgsTol = 1e-6;

    /// <summary>L-BFGS for problems of at most <see cref="LbfgsSizeLimit"/> values, else SGD.</summary>
    public static OptimizerKind For(long rows, int features) => rows * features <= LbfgsSizeLimit ? OptimizerKind.Lbfgs : OptimizerKind.Sgd;

    /// <summary>λ of the L2 penalty equal to scikit-learn's C = 1 for <paramref name="weightSum"/> samples (or the sum of their weights).</summary>
    public static double LambdaForC1(double weightSum) => 1 / (2 * Math.Max(1, weightSum));

    /// <summary>
    /// <paramref name="options"/> (defaults, no training option given) for <paramref name="rows"/> training samples of
    /// <paramref name="features"/>: L-BFGS with L2 at C = 1 to <see cref="LbfgsTol"/> when small, otherwise unchanged.
    /// </summary>
    public static TrainingOptions ForUnsetOptions(TrainingOptions options, long rows, int features)
    {
        ArgumentNullException.ThrowIfNull(options);
        return For(rows, features) == OptimizerKind.Lbfgs
            ? TrainingOptionSchema.ForOptimizer(options with { Optimizer = OptimizerKind.Lbfgs, Penalty = Penalty.L2, Lambda = LambdaForC1(rows), Tol = LbfgsTol })
            : options;
    }
}
