using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// The coordinate-descent proximal Newton solver (cdn) reaches the optimum of L1 / elastic-net problems: checked against
/// an accelerated proximal-gradient solver written here in double precision from the objective's definition, and
/// against OWL-QN; its gradient and Hessian diagonal against finite differences; its result against itself on one and
/// two threads.
/// </summary>
public sealed class CdnOptimizerTests
{
    private static TrainingOptions Cdn(Penalty penalty, double lambda, double ratio = 0.5) =>
        new() { Optimizer = OptimizerKind.Cdn, BatchSize = 0, Penalty = penalty, Lambda = lambda, L1Ratio = ratio, MaxIterations = 500, Tol = 1e-10, LossTol = 0 };

    [Theory]
    [InlineData(ModelKind.Logistic, 2, Penalty.L1, 0.02, 1.0, false)]
    [InlineData(ModelKind.Logistic, 2, Penalty.L1, 0.02, 1.0, true)]
    [InlineData(ModelKind.Logistic, 2, Penalty.ElasticNet, 0.03, 0.5, false)]
    [InlineData(ModelKind.OneVsRest, 3, Penalty.L1, 0.01, 1.0, false)]
    [InlineData(ModelKind.OneVsRest, 4, Penalty.ElasticNet, 0.02, 0.7, true)]
    [InlineData(ModelKind.Logistic, 2, Penalty.L2, 0.01, 0.5, false)]
    public void Cdn_reaches_the_optimum_of_the_independent_proximal_solver_with_the_same_zeros(ModelKind kind, int classes, Penalty penalty, double lambda, double ratio, bool penalizeBias)
    {
        var problem = Synthetic.Problem(kind, n: 300, d: 12, classes, seed: 21, spread: 1, noise: 1);
        var options = Cdn(penalty, lambda, ratio) with { PenalizeBias = penalizeBias };

        var result = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options);

        var reference = ProximalGradient(problem, options);
        var found = ReferenceObjective(problem, options, ToDouble(result.Parameters.Weights), ToDouble(result.Parameters.Bias));
        var best = ReferenceObjective(problem, options, reference.Weights, reference.Bias);
        Assert.True(Math.Abs(found - best) / best < 1e-6, $"cdn {found:R} against the proximal solver's {best:R} ({result.StopReason} after {result.EpochsRun} iterations)");
        Assert.Equal(StopReason.Converged, result.StopReason);
        var zeros = reference.Weights.Count(w => w == 0);
        if (penalty != Penalty.L2)
        {
            Assert.InRange(zeros, 1, reference.Weights.Length - 1);
        }

        Assert.Equal(zeros, result.Parameters.ZeroWeights());
    }

    [Fact]
    public void Cdn_and_OWL_QN_reach_the_same_objective_and_zeros_on_sparse_byte_rows()
    {
        var problem = SparseBytes(ModelKind.Logistic, n: 600, d: 40, classes: 2, seed: 3);
        var options = Cdn(Penalty.L1, 0.005) with { PenalizeBias = true };

        var cdn = new LinearTrainer().Fit(problem, options);
        var owlqn = new LinearTrainer().Fit(problem, options with { Optimizer = OptimizerKind.Owlqn, MaxIterations = 5000, Tol = 1e-8 });

        var a = ReferenceObjective(problem, options, ToDouble(cdn.Parameters.Weights), ToDouble(cdn.Parameters.Bias));
        var b = ReferenceObjective(problem, options, ToDouble(owlqn.Parameters.Weights), ToDouble(owlqn.Parameters.Bias));
        Assert.True(Math.Abs(a - b) / b < 1e-6, $"cdn {a:R} ({cdn.EpochsRun} iterations), OWL-QN {b:R} ({owlqn.EpochsRun} iterations)");
        Assert.InRange(cdn.Parameters.ZeroWeights(), 1, 39);
        Assert.Equal(owlqn.Parameters.ZeroWeights(), cdn.Parameters.ZeroWeights());
    }

    [Fact]
    public void Forming_the_active_Hessian_reaches_the_same_optimum_as_the_proximal_solver()
    {
        // Many rows and a weak penalty: inner solves need many sweeps, so the solver forms the active set's Hessian.
        var problem = SparseBytes(ModelKind.Logistic, n: 500, d: 30, classes: 2, seed: 9);
        var options = Cdn(Penalty.ElasticNet, 2e-3, 0.8);
        var parameters = new LinearParameters(1, problem.FeatureCount);
        var objective = new Objective(ScalarReferenceKernel.Instance, problem, options);
        var tracker = new EpochTracker(options, ScalarReferenceKernel.Instance, problem, null, null, parameters, null);
        using var solver = new CdnOptimizer(objective, tracker, parameters);

        var stop = solver.Minimize(parameters, CancellationToken.None);

        Assert.Equal(StopReason.Converged, stop);
        Assert.True(solver.HessiansFormed > 0, "no inner solve formed the Hessian");
        var reference = ProximalGradient(problem, options);
        var found = ReferenceObjective(problem, options, ToDouble(parameters.Weights), ToDouble(parameters.Bias));
        var best = ReferenceObjective(problem, options, reference.Weights, reference.Bias);
        Assert.True(Math.Abs(found - best) / best < 1e-6, $"cdn {found:R}, proximal solver {best:R}");
        Assert.Equal(reference.Weights.Count(w => w == 0), parameters.ZeroWeights());
        Assert.Equal(found, solver.FinalObjective, 1e-6 * best);
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2)]
    [InlineData(ModelKind.OneVsRest, 3)]
    public void Cdn_gives_the_same_weights_twice_and_on_one_thread_and_two(ModelKind kind, int classes)
    {
        var problem = SparseBytes(kind, n: 9000, d: 50, classes, seed: 5);
        var options = Cdn(Penalty.L1, 4e-3) with { Tol = 1e-7 };

        var one = new LinearTrainer().Fit(problem, options with { Threads = 1 }).Parameters;
        var two = new LinearTrainer().Fit(problem, options with { Threads = 2 }).Parameters;
        var again = new LinearTrainer().Fit(problem, options with { Threads = 2 }).Parameters;

        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.Bias, two.Bias);
        Assert.Equal(two.Weights, again.Weights);
        Assert.Equal(two.Bias, again.Bias);
        Assert.InRange(one.ZeroWeights(), 1, one.Weights.Length - 1);
    }

    [Fact]
    public void Cdn_leaves_an_unpenalised_bias_free_penalises_it_when_asked_and_keeps_it_without_an_intercept()
    {
        // Nine positives in ten: the bias carries the class balance, and a strong L1 penalty zeroes every weight.
        var problem = Synthetic.FromRows(ModelKind.Logistic, 2, [.. Enumerable.Range(0, 10).Select(i => new[] { i % 2 == 0 ? 1f : -1f })], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        var options = Cdn(Penalty.L1, 1);

        var free = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options).Parameters;
        var penalised = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options with { PenalizeBias = true }).Parameters;
        var none = new LinearTrainer(ScalarReferenceKernel.Instance).Fit(problem, options with { FitIntercept = false, Lambda = 0.01 }).Parameters;

        Assert.Equal(0f, free.Weights[0]);
        Assert.Equal(Math.Log(9), free.Bias[0], 4); // the unpenalised optimum: σ(b) = 0.9
        Assert.Equal(0f, penalised.Bias[0]); // |∂loss/∂b| = 0.4 at 0 is below λ = 1
        Assert.Equal(0f, none.Bias[0]);
        Assert.NotEqual(0f, none.Weights[0]);
    }

    [Theory]
    [InlineData(ModelKind.Logistic, 2, true)]
    [InlineData(ModelKind.OneVsRest, 3, false)]
    public void Gradient_and_Hessian_diagonal_match_finite_differences_of_the_objective(ModelKind kind, int classes, bool sampleWeights)
    {
        var problem = SparseBytes(kind, n: 200, d: 15, classes, seed: 2);
        if (sampleWeights)
        {
            problem = problem.WithSampleWeights([.. Enumerable.Range(0, problem.Rows).Select(i => (float)(1 + (i % 3)))]);
        }

        // The smooth part only (L2), so that central differences apply; the bias penalised too.
        var options = Cdn(Penalty.L2, 0.05) with { PenalizeBias = true };
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var random = new SeededRandom(4);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            parameters.Weights[i] = (float)(0.5 * random.NextGaussian());
        }

        parameters.Bias[0] = 0.25f;
        var objective = new Objective(ScalarReferenceKernel.Instance, problem, options);
        var tracker = new EpochTracker(options, ScalarReferenceKernel.Instance, problem, null, null, parameters, null);
        using var solver = new CdnOptimizer(objective, tracker, parameters);
        var output = solver.Output(kind == ModelKind.Logistic ? 0 : 1);
        var (gradient, diagonal) = output.SmoothDerivatives();

        // f in plain-sum units is the objective over its data scale (1/rows), for output k alone.
        var k = kind == ModelKind.Logistic ? 0 : 1;
        var w = ToDouble(parameters.Weights);
        var b = ToDouble(parameters.Bias);
        double F(int coordinate, double h)
        {
            var ww = (double[])w.Clone();
            var bb = (double[])b.Clone();
            if (coordinate < problem.FeatureCount)
            {
                ww[k * problem.FeatureCount + coordinate] += h;
            }
            else
            {
                bb[k] += h;
            }

            return ReferenceObjective(problem, options, ww, bb) * problem.Rows;
        }

        const double epsilon = 1e-4;
        for (var j = 0; j <= problem.FeatureCount; j++)
        {
            var f0 = F(j, 0);
            var plus = F(j, epsilon);
            var minus = F(j, -epsilon);
            var slope = (plus - minus) / (2 * epsilon);
            var curvature = (plus - 2 * f0 + minus) / (epsilon * epsilon);
            Assert.True(Math.Abs(gradient[j] - slope) < 1e-5 * Math.Max(1, Math.Abs(slope)), $"coordinate {j}: gradient {gradient[j]}, finite differences {slope}");
            Assert.True(Math.Abs(diagonal[j] - curvature) < 1e-3 * Math.Max(1, Math.Abs(curvature)), $"coordinate {j}: Hessian diagonal {diagonal[j]}, finite differences {curvature}");
        }
    }

    [Fact]
    public void Cdn_refuses_softmax_in_one_line_naming_OWL_QN()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 30, d: 4, classes: 3, seed: 1);

        var e = Assert.Throws<InvalidSettingException>(() => new LinearTrainer().Fit(problem, Cdn(Penalty.L1, 0.01)));

        Assert.Contains("owlqn", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Options_of_the_quasi_Newton_memory_and_SGD_do_not_apply_to_cdn_but_the_tolerances_do()
    {
        OptimizerKind[] cdn = [OptimizerKind.Cdn];
        Assert.NotNull(TrainingOptionSchema.NotApplicable(["lbfgs_memory"], cdn, d => d.Flag));
        Assert.NotNull(TrainingOptionSchema.NotApplicable(["learning_rate"], cdn, d => d.Flag));
        Assert.Null(TrainingOptionSchema.NotApplicable(["tol", "loss_tol", "max_iter", "lambda", "l1_ratio", "penalize_bias"], cdn, d => d.Flag));
        Assert.Equal(OptimizerKind.Cdn, TrainingOptionSchema.Apply(new TrainingOptions(), "optimizer", "cdn").Optimizer);
    }

    /// <summary>Byte rows with 65 to 80 % zeros, scaled by 1/255 without offset (as MNIST's pixels).</summary>
    private static LinearProblem SparseBytes(ModelKind kind, int n, int d, int classes, int seed)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[n * d];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = random.NextInt(classes);
            for (var j = 0; j < d; j++)
            {
                // The first half of the features lit more often for some classes, so that the classes can be told
                // apart; the second half noise, which an L1 penalty zeroes.
                var lit = random.NextDouble() < 0.2 + 0.3 * (j < d / 2 && (j + labels[i]) % 3 == 0 ? 1 : 0);
                pixels[i * d + j] = lit ? (byte)(1 + random.NextInt(255)) : (byte)0;
            }
        }

        var scale = Enumerable.Repeat(1f / 255, d).ToArray();
        return new LinearProblem(kind, new ScaledPixels(pixels, new float[d], scale), labels, classes);
    }

    private static double[] ToDouble(float[] values) => [.. values.Select(v => (double)v)];

    /// <summary>
    /// The objective from its definition in double precision: the mean of the sample-weighted per-sample losses
    /// (Activations.LossAndDelta) plus λ1‖w‖₁ + λ2‖w‖², the bias included only with PenalizeBias.
    /// </summary>
    private static double ReferenceObjective(LinearProblem problem, TrainingOptions options, double[] w, double[] b)
    {
        var loss = DataLoss(problem, w, b, null, null);
        return loss + PenaltyValue(options, w, b);
    }

    private static double PenaltyValue(TrainingOptions options, double[] w, double[] b)
    {
        double l1 = 0, l2 = 0;
        foreach (var v in options.PenalizeBias ? w.Concat(b) : w)
        {
            l1 += Math.Abs(v);
            l2 += v * v;
        }

        return options.L1Strength * l1 + options.L2Strength * l2;
    }

    /// <summary>The mean data loss; with <paramref name="gw"/> its gradient too.</summary>
    private static double DataLoss(LinearProblem problem, double[] w, double[] b, double[]? gw, double[]? gb)
    {
        var n = problem.Rows;
        var d = problem.FeatureCount;
        var outputs = problem.Outputs;
        var x = problem.Features;
        var logits = new double[outputs];
        var delta = new double[outputs];
        double loss = 0;
        if (gw is not null)
        {
            Array.Clear(gw);
            Array.Clear(gb!);
        }

        for (var i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (var k = 0; k < outputs; k++)
            {
                double z = b[k];
                for (var j = 0; j < d; j++)
                {
                    z += w[k * d + j] * row[j];
                }

                logits[k] = z;
            }

            var c = (double)problem.WeightOf(i);
            loss += c * Activations.LossAndDelta(problem.Kind, logits, problem.Labels[i], delta);
            if (gw is null)
            {
                continue;
            }

            for (var k = 0; k < outputs; k++)
            {
                gb![k] += c * delta[k] / n;
                for (var j = 0; j < d; j++)
                {
                    gw[k * d + j] += c * delta[k] * row[j] / n;
                }
            }
        }

        return loss / n;
    }

    /// <summary>
    /// FISTA with backtracking on the smooth part (data loss + λ2‖w‖²) and the exact proximal step of λ1‖w‖₁, in
    /// double precision, run until an iteration no longer moves the point.
    /// </summary>
    private static (double[] Weights, double[] Bias) ProximalGradient(LinearProblem problem, TrainingOptions options)
    {
        var nw = problem.Outputs * problem.FeatureCount;
        var nb = problem.Outputs;
        var l1 = options.L1Strength;
        var l2 = options.L2Strength;
        var intercept = options.FitIntercept;
        var x = new double[nw + nb];
        var y = (double[])x.Clone();
        var next = new double[nw + nb];
        var gw = new double[nw];
        var gb = new double[nb];
        var step = 1.0;
        var t = 1.0;
        double Smooth(double[] p, bool gradient)
        {
            var w = p[..nw];
            var b = p[nw..];
            var value = DataLoss(problem, w, b, gradient ? gw : null, gradient ? gb : null);
            for (var i = 0; i < nw + nb; i++)
            {
                if (i < nw || options.PenalizeBias)
                {
                    value += l2 * p[i] * p[i];
                    if (gradient)
                    {
                        if (i < nw)
                        {
                            gw[i] += 2 * l2 * p[i];
                        }
                        else
                        {
                            gb[i - nw] += 2 * l2 * p[i];
                        }
                    }
                }
            }

            return value;
        }

        for (var iteration = 0; iteration < 200000; iteration++)
        {
            var fy = Smooth(y, gradient: true);
            var g = gw.Concat(gb).ToArray();
            if (!intercept)
            {
                Array.Clear(g, nw, nb);
            }

            while (true)
            {
                for (var i = 0; i < next.Length; i++)
                {
                    var v = y[i] - step * g[i];
                    var threshold = i < nw || options.PenalizeBias ? step * l1 : 0;
                    next[i] = v > threshold ? v - threshold : v < -threshold ? v + threshold : 0;
                }

                double linear = 0, square = 0;
                for (var i = 0; i < next.Length; i++)
                {
                    var diff = next[i] - y[i];
                    linear += g[i] * diff;
                    square += diff * diff;
                }

                if (Smooth(next, gradient: false) <= fy + linear + square / (2 * step) + 1e-15)
                {
                    break;
                }

                step *= 0.5;
            }

            var moved = 0.0;
            for (var i = 0; i < next.Length; i++)
            {
                moved = Math.Max(moved, Math.Abs(next[i] - x[i]));
            }

            var tNext = (1 + Math.Sqrt(1 + 4 * t * t)) / 2;
            for (var i = 0; i < next.Length; i++)
            {
                y[i] = next[i] + (t - 1) / tNext * (next[i] - x[i]);
            }

            (x, next) = (next, x);
            t = tNext;
            if (moved < 1e-13)
            {
                break;
            }
        }

        return (x[..nw], x[nw..]);
    }
}
