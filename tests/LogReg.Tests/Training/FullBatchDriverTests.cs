using System.Globalization;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// The full-batch optimizers (L-BFGS, OWL-QN, Newton-CG) pinned on small seeded problems: the number of iterations, the
/// stop reason and the final objective. The numbers were taken from the three separate optimizers before they became
/// direction strategies of one driver, so a change to the shared loop (stopping rules, line search) that moves any
/// iterate shows here; a deliberate change of the iterates updates them in the same commit, with the reason.
/// </summary>
public sealed class FullBatchDriverTests
{
    public static TheoryData<string, int, string, double> Pins => new()
    {
        { "lbfgs-logistic-l2", 18, "Converged", 0.008152157017972629 },
        { "lbfgs-softmax-l2", 34, "Converged", 0.07673744202865786 },
        { "lbfgs-ovr-l2-memory3", 55, "Converged", 0.3581947891503613 },
        { "lbfgs-softmax-none-losstol", 13, "Converged", 0.9516330401236014 },
        { "lbfgs-softmax-l2-maxiter", 7, "Completed", 0.08737455522225543 },
        { "lbfgs-logistic-l2-no-intercept", 16, "Converged", 0.009597137546178209 },
        { "owlqn-logistic-l1", 21, "Converged", 0.04218447118063394 },
        { "owlqn-softmax-elasticnet-bias", 55, "Converged", 0.22154203111401327 },
        { "owlqn-ovr-l1-memory4", 43, "Converged", 0.5306230946099846 },
        { "newton-logistic-l2", 9, "Converged", 0.008152156972759131 },
        { "newton-softmax-l2-no-intercept", 8, "Converged", 0.08831307882170245 },
        { "newton-ovr-l2-bias", 7, "Converged", 0.5589657964289452 },
    };

    [Theory]
    [MemberData(nameof(Pins))]
    public void Full_batch_optimizers_keep_their_iteration_counts_stop_reasons_and_objectives(string name, int iterations, string reason, double objective)
    {
        var (problem, options) = Case(name);

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        var value = new Objective(ScalarReferenceKernel.Instance, problem, options).Value(Enumerable.Range(0, problem.Rows).ToArray(), result.Parameters);
        var found = string.Create(CultureInfo.InvariantCulture, $"{{ \"{name}\", {result.EpochsRun}, \"{result.StopReason}\", {value:R} }},");
        Assert.True(iterations == result.EpochsRun && reason == result.StopReason.ToString() && Math.Abs(value - objective) <= 1e-7 * Math.Abs(objective), $"pinned {iterations} {reason} {objective:R}, found {found}");
    }

    [Fact]
    public void Curvature_memory_skips_a_pair_without_positive_curvature_and_keeps_the_others()
    {
        var full = new CurvatureMemory(memory: 2, length: 2);
        var kept = new CurvatureMemory(memory: 2, length: 2);
        foreach (var memory in new[] { full, kept })
        {
            memory.Add([0, 0], [1, 0], [0, 0], [2, 0]);
            memory.Add([0, 0], [0, 1], [0, 0], [0.5, 3]);
        }

        // sᵀy < 0: skipped. Before, it overwrote the oldest pair's s and y (its ρ kept) while that pair still counted.
        full.Add([0, 0], [1, 1], [0, 0], [-1, -1]);

        double[] g = [1, 1];
        var expected = new double[2];
        var actual = new double[2];
        kept.TwoLoop(g, expected);
        full.TwoLoop(g, actual);
        Assert.Equal(2, full.Stored);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Line_search_stops_at_float_precision_instead_of_taking_steps_that_change_nothing()
    {
        // A gradient tolerance no float model can reach: the run ends when no step decreases the objective strictly.
        var (problem, options) = Case("lbfgs-softmax-l2");
        var evaluations = 0;
        var kernel = new GradientHookKernel(ScalarReferenceKernel.Instance, () => evaluations++);

        var result = new LinearTrainer(kernel).Fit(problem, options with { Tol = 1e-30, MaxIterations = 1000 });

        Assert.Equal(StopReason.Converged, result.StopReason);
        Assert.InRange(result.EpochsRun, 2, 200);
        Assert.Equal(0, result.History.Epochs[^1].LearningRate); // the last iteration found no step
        var steps = result.History.Epochs.Take(result.EpochsRun - 1).Select(e => e.LearningRate).ToArray();
        Assert.All(steps, step => Assert.True(step > 1e-6, $"a vanishing step {step} was taken"));

        // One evaluation per iteration when the first step is taken, and a bounded search at the end.
        Assert.InRange(evaluations, result.EpochsRun, result.EpochsRun + 60);
    }

    private static (LinearProblem Problem, TrainingOptions Options) Case(string name)
    {
        var exact = new TrainingOptions { BatchSize = 0, Momentum = 0, MaxIterations = 1000, Tol = 1e-6, LossTol = 0, Threads = 1 };
        var lbfgs = exact with { Optimizer = OptimizerKind.Lbfgs, Penalty = Penalty.L2, Lambda = 1e-3 };
        var owlqn = exact with { Optimizer = OptimizerKind.Owlqn, Penalty = Penalty.L1, Lambda = 0.01 };
        var newton = exact with { Optimizer = OptimizerKind.Newton, Penalty = Penalty.L2, Lambda = 1e-3 };
        var binary = Synthetic.Problem(ModelKind.Logistic, n: 300, d: 12, classes: 2, seed: 31, spread: 1, noise: 1);
        var softmax = Synthetic.Problem(ModelKind.Softmax, n: 300, d: 10, classes: 4, seed: 32, spread: 1, noise: 1);
        var noisy = Synthetic.Problem(ModelKind.Softmax, n: 300, d: 10, classes: 4, seed: 34, spread: 0.3, noise: 1);
        var ovr = Synthetic.Problem(ModelKind.OneVsRest, n: 300, d: 10, classes: 3, seed: 33, spread: 1, noise: 1);
        return name switch
        {
            "lbfgs-logistic-l2" => (binary, lbfgs),
            "lbfgs-softmax-l2" => (softmax, lbfgs),
            "lbfgs-ovr-l2-memory3" => (ovr, lbfgs with { LbfgsMemory = 3 }),
            "lbfgs-softmax-none-losstol" => (noisy, lbfgs with { Penalty = Penalty.None, Lambda = 0, Tol = 1e-9, LossTol = 1e-7 }),
            "lbfgs-softmax-l2-maxiter" => (softmax, lbfgs with { MaxIterations = 7 }),
            "lbfgs-logistic-l2-no-intercept" => (binary, lbfgs with { FitIntercept = false }),
            "owlqn-logistic-l1" => (binary, owlqn),
            "owlqn-softmax-elasticnet-bias" => (softmax, owlqn with { Penalty = Penalty.ElasticNet, L1Ratio = 0.6, PenalizeBias = true }),
            "owlqn-ovr-l1-memory4" => (ovr, owlqn with { LbfgsMemory = 4 }),
            "newton-logistic-l2" => (binary, newton),
            "newton-softmax-l2-no-intercept" => (softmax, newton with { FitIntercept = false }),
            "newton-ovr-l2-bias" => (ovr, newton with { PenalizeBias = true, Lambda = 1e-2 }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
        };
    }
}
