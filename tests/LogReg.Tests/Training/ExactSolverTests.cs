using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// OWL-QN (L1, elastic net) and Newton-CG (L2) reach the true optimum: checked against an independent solver written
/// here in double precision (accelerated proximal gradient, run until its step no longer moves), and against L-BFGS.
/// </summary>
public sealed class ExactSolverTests
{
    private static TrainingOptions FullBatch(OptimizerKind optimizer) =>
        new() { Optimizer = optimizer, BatchSize = 0, Momentum = 0, MaxIterations = 1000, Tol = 1e-7, LossTol = 0 };

    [Theory]
    [InlineData(ModelKind.Logistic, 2, Penalty.L1, 0.02, 1.0)]
    [InlineData(ModelKind.Softmax, 3, Penalty.L1, 0.01, 1.0)]
    [InlineData(ModelKind.Logistic, 2, Penalty.ElasticNet, 0.03, 0.5)]
    [InlineData(ModelKind.Softmax, 4, Penalty.ElasticNet, 0.02, 0.7)]
    [InlineData(ModelKind.OneVsRest, 3, Penalty.L1, 0.01, 1.0)]
    public void Owlqn_reaches_the_optimum_of_the_independent_proximal_solver_within_1e_6(ModelKind kind, int classes, Penalty penalty, double lambda, double ratio)
    {
        var problem = Synthetic.Problem(kind, n: 300, d: 12, classes, seed: 21, spread: 1, noise: 1);
        var options = FullBatch(OptimizerKind.Owlqn) with { Penalty = penalty, Lambda = lambda, L1Ratio = ratio };

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        var reference = ProximalGradient(problem, options.L1Strength, options.L2Strength);
        var found = ReferenceObjective(problem, result.Parameters.Weights.Select(w => (double)w).ToArray(), result.Parameters.Bias.Select(b => (double)b).ToArray(), options.L1Strength, options.L2Strength);
        var best = ReferenceObjective(problem, reference.Weights, reference.Bias, options.L1Strength, options.L2Strength);
        Assert.True(Math.Abs(found - best) / best < 1e-6, $"OWL-QN {found:R} against the proximal solver's {best:R} ({result.StopReason} after {result.EpochsRun} iterations)");

        // The same weights are zero (the proximal solver's exact zeros), and some are.
        var zeros = reference.Weights.Count(w => w == 0);
        Assert.InRange(zeros, 1, reference.Weights.Length - 1);
        Assert.Equal(zeros, result.Parameters.ZeroWeights());
    }

    [Fact]
    public void Owlqn_without_an_L1_part_reaches_the_L_BFGS_optimum()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 300, d: 10, classes: 3, seed: 4, spread: 1, noise: 1);
        var options = FullBatch(OptimizerKind.Lbfgs) with { Penalty = Penalty.L2, Lambda = 1e-3 };

        var lbfgs = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);
        var owlqn = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options with { Optimizer = OptimizerKind.Owlqn });

        Assert.Equal(Objective(problem, options, lbfgs.Parameters), Objective(problem, options, owlqn.Parameters), 1e-7);
        Assert.Equal(0, owlqn.Parameters.ZeroWeights());
    }

    [Fact]
    public void Owlqn_leaves_an_unpenalised_bias_free_and_penalises_it_when_asked()
    {
        // Nine positives in ten: the bias carries the class balance, and a strong L1 penalty zeroes every weight.
        var problem = Synthetic.FromRows(ModelKind.Logistic, 2, [.. Enumerable.Range(0, 10).Select(i => new[] { i % 2 == 0 ? 1f : -1f })], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        var options = FullBatch(OptimizerKind.Owlqn) with { Penalty = Penalty.L1, Lambda = 1 };

        var free = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options).Parameters;
        var penalised = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options with { PenalizeBias = true }).Parameters;

        Assert.Equal(0f, free.Weights[0]);
        Assert.Equal(Math.Log(9), free.Bias[0], 4); // the unpenalised optimum: σ(b) = 0.9
        Assert.Equal(0f, penalised.Bias[0]); // |∂loss/∂b| = 0.4 at 0 is below λ = 1
    }

    [Fact]
    public void Pseudo_gradient_is_the_steepest_one_sided_derivative()
    {
        double[] x = [1, -1, 0, 0, 0, 0];
        double[] g = [0.5, 0.5, -2, 2, 0.3, 5];
        var pg = new double[6];

        OwlqnDirection.PseudoGradient(x, g, pg, penalised: 5, l1: 1);

        // x > 0: g + λ; x < 0: g − λ; x = 0: g + λ if negative, g − λ if positive, else 0; the last is not penalised.
        Assert.Equal([1.5, -0.5, -1, 1, 0, 5], pg);
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.Softmax, 4)]
    [InlineData(ModelKind.OneVsRest, 3)]
    public void Owlqn_and_Newton_give_the_same_weights_on_one_thread_and_two(ModelKind kind, int classes)
    {
        var problem = Synthetic.Problem(kind, n: 500, d: 20, classes, seed: 8, spread: 1, noise: 1);
        foreach (var options in new[] { FullBatch(OptimizerKind.Owlqn) with { Penalty = Penalty.L1, Lambda = 0.01 }, FullBatch(OptimizerKind.Newton) with { Penalty = Penalty.L2, Lambda = 1e-3 } })
        {
            using var one = LinearKernels.Create(threads: 1);
            using var two = LinearKernels.Create(threads: 2);
            var a = new LinearTrainer(one).Fit(problem, options with { Threads = 1 }).Parameters;
            var b = new LinearTrainer(two).Fit(problem, options with { Threads = 2 }).Parameters;
            Assert.Equal(a.Weights, b.Weights);
            Assert.Equal(a.Bias, b.Bias);
        }
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2, true)]
    [InlineData(ModelKind.Softmax, 3, true)]
    [InlineData(ModelKind.Softmax, 3, false)]
    [InlineData(ModelKind.OneVsRest, 3, true)]
    public void Newton_reaches_the_L_BFGS_optimum_within_1e_6(ModelKind kind, int classes, bool intercept)
    {
        var problem = Synthetic.Problem(kind, n: 400, d: 15, classes, seed: 13, spread: 1, noise: 1);
        var options = FullBatch(OptimizerKind.Lbfgs) with { Penalty = Penalty.L2, Lambda = 1e-3, FitIntercept = intercept };

        var lbfgs = new LinearTrainer().Fit(problem, options);
        var newton = new LinearTrainer().Fit(problem, options with { Optimizer = OptimizerKind.Newton });

        var a = Objective(problem, options, lbfgs.Parameters);
        var b = Objective(problem, options, newton.Parameters);
        Assert.True(Math.Abs(a - b) / a < 1e-6, $"L-BFGS {a:R} ({lbfgs.EpochsRun} iterations), Newton {b:R} ({newton.EpochsRun} iterations, {newton.StopReason})");
        if (!intercept)
        {
            Assert.All(newton.Parameters.Bias, b => Assert.Equal(0f, b));
        }
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2, false)]
    [InlineData(ModelKind.Softmax, 4, false)]
    [InlineData(ModelKind.OneVsRest, 3, false)]
    [InlineData(ModelKind.Softmax, 3, true)]
    public void Hessian_vector_product_matches_finite_differences_of_the_gradient(ModelKind kind, int classes, bool bytes)
    {
        var problem = bytes ? BytesProblem(kind, n: 150, d: 70, classes) : Synthetic.Problem(kind, n: 150, d: 9, classes, seed: 6, spread: 1, noise: 1);
        var options = new TrainingOptions { Optimizer = OptimizerKind.Newton, Penalty = Penalty.L2, Lambda = 0.01 };
        var random = SeededRandom.ForStream(3, 0);
        var point = Random(problem, random, 0.3);
        var v = Random(problem, random, 1);

        using var hessian = new HessianVectorKernel(2);
        hessian.SetPoint(problem, point.Weights, point.Bias);
        var product = new LinearParameters(problem.Outputs, problem.FeatureCount);
        hessian.Multiply(v.Weights, v.Bias, product.Weights, product.Bias);

        // Central differences of the summed data gradient (no penalty, no mean): (g(w + εv) − g(w − εv)) / 2ε in double.
        const double epsilon = 1e-2;
        var plus = DataGradient(problem, point, v, epsilon);
        var minus = DataGradient(problem, point, v, -epsilon);
        var actual = product.Weights.Concat(product.Bias).ToArray();
        var scale = actual.Max(a => Math.Abs(a));
        Assert.True(scale > 1);
        for (var i = 0; i < actual.Length; i++)
        {
            var expected = (plus[i] - minus[i]) / (2 * epsilon);
            Assert.True(Math.Abs(actual[i] - expected) < 1e-3 * scale, $"component {i}: H·v {actual[i]}, finite differences {expected}");
        }
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.Softmax, 3)]
    [InlineData(ModelKind.OneVsRest, 3)]
    public void Hessian_diagonal_matches_products_with_unit_vectors(ModelKind kind, int classes)
    {
        var problem = BytesProblem(kind, n: 120, d: 40, classes);
        var point = Random(problem, SeededRandom.ForStream(5, 0), 0.05);
        using var hessian = new HessianVectorKernel(2);
        hessian.SetPoint(problem, point.Weights, point.Bias);
        var diagonal = new LinearParameters(problem.Outputs, problem.FeatureCount);
        hessian.Diagonal(diagonal.Weights, diagonal.Bias);

        var unit = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var product = new LinearParameters(problem.Outputs, problem.FeatureCount);
        foreach (var index in new[] { 0, 7, unit.Weights.Length - problem.FeatureCount + 3, unit.Weights.Length - 1 })
        {
            unit.Clear();
            unit.Weights[index] = 1;
            hessian.Multiply(unit.Weights, unit.Bias, product.Weights, product.Bias);
            Assert.Equal(product.Weights[index], diagonal.Weights[index], 1e-4f * Math.Max(1, Math.Abs(product.Weights[index])));
        }

        unit.Clear();
        unit.Bias[^1] = 1;
        hessian.Multiply(unit.Weights, unit.Bias, product.Weights, product.Bias);
        Assert.Equal(product.Bias[^1], diagonal.Bias[^1], 1e-4f * Math.Max(1, Math.Abs(product.Bias[^1])));
    }

    [Fact]
    public void Newton_refuses_an_L1_part_and_OWL_QN_takes_it()
    {
        var l1 = new TrainingOptions { Optimizer = OptimizerKind.Newton, Penalty = Penalty.ElasticNet, Lambda = 0.1, L1Ratio = 0.5 };

        var e = Assert.Throws<InvalidSettingException>(() => l1.Validate());
        Assert.Contains("OWL-QN", e.Message, StringComparison.Ordinal);
        (l1 with { Optimizer = OptimizerKind.Owlqn }).Validate();
    }

    /// <summary>Rows held as bytes with a per-feature offset and scale (the kernel scales them as it reads).</summary>
    private static LinearProblem BytesProblem(ModelKind kind, int n, int d, int classes)
    {
        var random = new SeededRandom(17);
        var pixels = new byte[n * d];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.NextInt(256);
        }

        var offset = Enumerable.Range(0, d).Select(j => (float)(j % 5)).ToArray();
        var scale = Enumerable.Range(0, d).Select(j => 1f / (200 + j)).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => (pixels[i * d] + pixels[i * d + 1]) * classes / 512).ToArray();
        var problem = new LinearProblem(kind, new ScaledPixels(pixels, offset, scale), labels, classes);
        Assert.False(problem.HasFeatures);
        return problem;
    }

    private static LinearParameters Random(LinearProblem problem, SeededRandom random, double std)
    {
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            parameters.Weights[i] = (float)(std * random.NextGaussian());
        }

        for (var i = 0; i < parameters.Bias.Length; i++)
        {
            parameters.Bias[i] = (float)(std * random.NextGaussian());
        }

        return parameters;
    }

    private static double[] DataGradient(LinearProblem problem, LinearParameters point, LinearParameters v, double epsilon)
    {
        var w = point.Weights.Select((x, i) => x + epsilon * v.Weights[i]).ToArray();
        var b = point.Bias.Select((x, i) => x + epsilon * v.Bias[i]).ToArray();
        var (gw, gb) = ReferenceDataGradient(problem, w, b);
        return [.. gw, .. gb];
    }

    private static double Objective(LinearProblem problem, TrainingOptions options, LinearParameters parameters) =>
        ReferenceObjective(problem, parameters.Weights.Select(w => (double)w).ToArray(), parameters.Bias.Select(b => (double)b).ToArray(), options.L1Strength, options.L2Strength, options.FitIntercept);

    /// <summary>Mean cross-entropy + λ2‖w‖² + λ1‖w‖₁ (bias unpenalised), in double, from the features directly.</summary>
    private static double ReferenceObjective(LinearProblem problem, double[] w, double[] b, double l1, double l2, bool intercept = true)
    {
        double loss = 0;
        var scores = new double[problem.Outputs];
        for (var i = 0; i < problem.Rows; i++)
        {
            Scores(problem, i, w, intercept ? b : new double[b.Length], scores);
            loss += SampleLoss(problem, problem.Labels[i], scores, null);
        }

        return loss / problem.Rows + l2 * w.Sum(x => x * x) + l1 * w.Sum(Math.Abs);
    }

    /// <summary>The summed (not mean) data gradient, in double.</summary>
    private static (double[] Weights, double[] Bias) ReferenceDataGradient(LinearProblem problem, double[] w, double[] b)
    {
        var d = problem.FeatureCount;
        var gw = new double[w.Length];
        var gb = new double[b.Length];
        var scores = new double[problem.Outputs];
        var delta = new double[problem.Outputs];
        for (var i = 0; i < problem.Rows; i++)
        {
            Scores(problem, i, w, b, scores);
            SampleLoss(problem, problem.Labels[i], scores, delta);
            var x = problem.Features.Row(i);
            for (var k = 0; k < problem.Outputs; k++)
            {
                gb[k] += delta[k];
                for (var j = 0; j < d; j++)
                {
                    gw[k * d + j] += delta[k] * x[j];
                }
            }
        }

        return (gw, gb);
    }

    private static void Scores(LinearProblem problem, int row, double[] w, double[] b, double[] scores)
    {
        var x = problem.Features.Row(row);
        for (var k = 0; k < problem.Outputs; k++)
        {
            var s = b[k];
            for (var j = 0; j < x.Length; j++)
            {
                s += w[k * x.Length + j] * x[j];
            }

            scores[k] = s;
        }
    }

    /// <summary>One sample's cross-entropy; its derivative by each score into <paramref name="delta"/> when given.</summary>
    private static double SampleLoss(LinearProblem problem, int label, double[] scores, double[]? delta)
    {
        if (problem.Kind == ModelKind.Softmax)
        {
            var max = scores.Max();
            var sum = scores.Sum(s => Math.Exp(s - max));
            for (var k = 0; delta is not null && k < scores.Length; k++)
            {
                delta[k] = Math.Exp(scores[k] - max) / sum - (k == label ? 1 : 0);
            }

            return Math.Log(sum) + max - scores[label];
        }

        double loss = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            var y = problem.Kind == ModelKind.Logistic ? label : label == k ? 1 : 0;
            var s = scores[k];
            loss += Math.Max(s, 0) - s * y + Math.Log(1 + Math.Exp(-Math.Abs(s)));
            if (delta is not null)
            {
                delta[k] = 1 / (1 + Math.Exp(-s)) - y;
            }
        }

        return loss;
    }

    /// <summary>
    /// The independent reference: accelerated proximal gradient (FISTA with restarts) in double, step 1/L from a bound
    /// on the data term's curvature, soft-thresholding the weights (not the bias), until the step stops moving them.
    /// </summary>
    private static (double[] Weights, double[] Bias) ProximalGradient(LinearProblem problem, double l1, double l2)
    {
        var n = problem.Rows;
        double rowNorms = 0;
        for (var i = 0; i < n; i++)
        {
            rowNorms = Math.Max(rowNorms, 1 + problem.Features.Row(i).ToArray().Sum(x => (double)x * x));
        }

        // Per-sample Hessians are at most ‖x̃‖²/4 (sigmoid) or ‖x̃‖²/2 (softmax) in norm, per unit for one-vs-rest.
        var lipschitz = (problem.Kind == ModelKind.Softmax ? 0.5 : 0.25) * rowNorms + 2 * l2;
        var step = 1 / lipschitz;
        var w = new double[problem.Outputs * problem.FeatureCount];
        var b = new double[problem.Outputs];
        var yw = (double[])w.Clone();
        var yb = (double[])b.Clone();
        double t = 1;
        var previous = double.PositiveInfinity;
        for (var iteration = 0; iteration < 200_000; iteration++)
        {
            var (gw, gb) = ReferenceDataGradient(problem, yw, yb);
            var nw = new double[w.Length];
            var nb = new double[b.Length];
            double moved = 0;
            for (var i = 0; i < w.Length; i++)
            {
                var v = yw[i] - step * (gw[i] / n + 2 * l2 * yw[i]);
                nw[i] = Math.Sign(v) * Math.Max(Math.Abs(v) - step * l1, 0);
                moved = Math.Max(moved, Math.Abs(nw[i] - w[i]));
            }

            for (var k = 0; k < b.Length; k++)
            {
                nb[k] = yb[k] - step * gb[k] / n;
                moved = Math.Max(moved, Math.Abs(nb[k] - b[k]));
            }

            var value = ReferenceObjective(problem, nw, nb, l1, l2);
            var tNext = value > previous ? 1 : (1 + Math.Sqrt(1 + 4 * t * t)) / 2; // restart when the objective rises
            var momentum = (t - 1) / tNext;
            for (var i = 0; i < w.Length; i++)
            {
                yw[i] = nw[i] + momentum * (nw[i] - w[i]);
            }

            for (var k = 0; k < b.Length; k++)
            {
                yb[k] = nb[k] + momentum * (nb[k] - b[k]);
            }

            (w, b, t, previous) = (nw, nb, tNext, value);
            if (moved < 1e-12)
            {
                break;
            }
        }

        return (w, b);
    }
}
