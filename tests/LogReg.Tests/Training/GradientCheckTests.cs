using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>Every model x reduction x penalty: the analytic gradient equals central finite differences of the objective.</summary>
public sealed class GradientCheckTests
{
    public static TheoryData<ModelKind, Reduction, Penalty, bool> Cases()
    {
        var data = new TheoryData<ModelKind, Reduction, Penalty, bool>();
        foreach (var kind in new[] { ModelKind.Logistic, ModelKind.Softmax, ModelKind.OneVsRest })
        {
            foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum })
            {
                foreach (var penalty in new[] { Penalty.None, Penalty.L2, Penalty.L1, Penalty.ElasticNet })
                {
                    data.Add(kind, reduction, penalty, false);
                }
            }

            data.Add(kind, Reduction.Mean, Penalty.L2, true);
        }

        return data;
    }

    public static TheoryData<ModelKind, Reduction, Penalty> PerSampleCases()
    {
        var data = new TheoryData<ModelKind, Reduction, Penalty>();
        foreach (var kind in new[] { ModelKind.Logistic, ModelKind.Softmax, ModelKind.OneVsRest })
        {
            foreach (var penalty in new[] { Penalty.L2, Penalty.L1, Penalty.ElasticNet })
            {
                data.Add(kind, Reduction.Sum, penalty);
            }

            data.Add(kind, Reduction.Mean, Penalty.L1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PerSampleCases))]
    public void With_the_penalty_counted_per_sample_the_gradient_matches_central_finite_differences(ModelKind kind, Reduction reduction, Penalty penalty)
    {
        var problem = Synthetic.Problem(kind, n: 12, d: 5, kind == ModelKind.Logistic ? 2 : 3, seed: 11, spread: 1);
        var options = new TrainingOptions { Reduction = reduction, Penalty = penalty, Lambda = 0.05, L1Ratio = 0.3, L1Mode = L1Mode.Subgradient, PenaltyPerSample = true, PenalizeBias = true };
        var parameters = AwayFromZero(problem.Outputs, problem.FeatureCount, seed: 5);
        AssertGradientMatchesCentralDifferences(problem, options, parameters);
    }

    [Theory]
    [InlineData(Penalty.L1)]
    [InlineData(Penalty.L2)]
    public void A_summed_loss_with_the_penalty_per_sample_is_n_times_the_mean_loss_with_the_penalty_once(Penalty penalty)
    {
        // Σₙ (ℓₙ + λR) = N · (mean ℓ + λR): the reading of a per-example gradient (t − y)x − λ·sign(w) summed over N samples.
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 10, d: 4, classes: 3, seed: 6, spread: 1);
        var parameters = AwayFromZero(problem.Outputs, problem.FeatureCount, seed: 8);
        var rows = Enumerable.Range(0, problem.Rows).ToArray();
        var common = new TrainingOptions { Penalty = penalty, Lambda = 0.2, L1Mode = L1Mode.Subgradient };
        var perSample = new Objective(ScalarReferenceKernel.Instance, problem, common with { Reduction = Reduction.Sum, PenaltyPerSample = true });
        var once = new Objective(ScalarReferenceKernel.Instance, problem, common with { Reduction = Reduction.Sum });
        var mean = new Objective(ScalarReferenceKernel.Instance, problem, common with { Reduction = Reduction.Mean });
        var g1 = new LinearParameters(3, 4);
        var g2 = new LinearParameters(3, 4);
        var g3 = new LinearParameters(3, 4);

        var summed = perSample.ValueAndGradient(rows, parameters, g1, out double _);
        var averaged = mean.ValueAndGradient(rows, parameters, g2, out double _);
        var penaltyOnce = once.ValueAndGradient(rows, parameters, g3, out double _);

        Assert.Equal(10 * averaged, summed, 4);
        for (var i = 0; i < g1.Weights.Length; i++)
        {
            Assert.Equal(10 * g2.Weights[i], g1.Weights[i], 3);
        }

        // Counted once per batch, the same λ weighs a tenth as much next to the summed data loss.
        var penalty1 = Penalties.Value(common, parameters);
        Assert.True(penalty1 > 0.1);
        Assert.Equal(9 * penalty1, summed - penaltyOnce, 4);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_central_finite_differences(ModelKind kind, Reduction reduction, Penalty penalty, bool penalizeBias)
    {
        var classes = kind == ModelKind.Logistic ? 2 : 3;
        var problem = Synthetic.Problem(kind, n: 12, d: 5, classes, seed: 7, spread: 1);
        var options = new TrainingOptions
        {
            Reduction = reduction,
            Penalty = penalty,
            Lambda = penalty == Penalty.None ? 0 : 0.05,
            L1Ratio = 0.3,
            L1Mode = L1Mode.Subgradient, // the L1 term is then part of the gradient; checked away from 0
            PenalizeBias = penalizeBias,
        };
        var parameters = AwayFromZero(problem.Outputs, problem.FeatureCount, seed: 3);
        AssertGradientMatchesCentralDifferences(problem, options, parameters);
    }

    [Fact]
    public void Proximal_mode_leaves_the_L1_term_out_of_the_gradient_but_in_the_value()
    {
        var problem = Synthetic.Problem(ModelKind.Softmax, n: 10, d: 4, classes: 3, seed: 1);
        var parameters = AwayFromZero(problem.Outputs, problem.FeatureCount, seed: 2);
        var rows = Enumerable.Range(0, problem.Rows).ToArray();
        var plain = new Objective(ScalarReferenceKernel.Instance, problem, new TrainingOptions());
        var proximal = new Objective(ScalarReferenceKernel.Instance, problem, new TrainingOptions { Penalty = Penalty.L1, Lambda = 0.1 });
        var g1 = new LinearParameters(3, 4);
        var g2 = new LinearParameters(3, 4);

        var v1 = plain.ValueAndGradient(rows, parameters, g1, out double _);
        var v2 = proximal.ValueAndGradient(rows, parameters, g2, out double _);

        Assert.Equal(g1.Weights, g2.Weights);
        Assert.Equal(v1 + 0.1 * parameters.Weights.Sum(w => Math.Abs((double)w)), v2, 5);
    }

    [Fact]
    public void Without_an_intercept_the_bias_gradient_is_zero()
    {
        var problem = Synthetic.Problem(ModelKind.Logistic, n: 8, d: 3, classes: 2, seed: 4);
        var objective = new Objective(ScalarReferenceKernel.Instance, problem, new TrainingOptions { FitIntercept = false });
        var gradient = new LinearParameters(1, 3);

        objective.ValueAndGradient(Enumerable.Range(0, 8).ToArray(), AwayFromZero(1, 3, 5), gradient, out double _);

        Assert.Equal(0f, gradient.Bias[0]);
        Assert.NotEqual(0f, gradient.Weights[0]);
    }

    /// <summary>Weights with |w| ≥ 0.1, so the L1 subgradient is the derivative within ±eps.</summary>
    private static LinearParameters AwayFromZero(int outputs, int features, int seed)
    {
        var random = new SeededRandom(seed);
        var parameters = new LinearParameters(outputs, features);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            var magnitude = 0.1 + 0.4 * random.NextDouble();
            parameters.Weights[i] = (float)(random.NextDouble() < 0.5 ? -magnitude : magnitude);
        }

        for (var k = 0; k < outputs; k++)
        {
            parameters.Bias[k] = (float)(0.2 + 0.1 * k);
        }

        return parameters;
    }

    private static double Numeric(Objective objective, int[] rows, LinearParameters parameters, float[] target, int index)
    {
        const float eps = 1e-2f;
        var original = target[index];
        target[index] = original + eps;
        var plus = objective.Value(rows, parameters);
        target[index] = original - eps;
        var minus = objective.Value(rows, parameters);
        target[index] = original;
        return (plus - minus) / (2 * eps);
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 2e-3 + 1e-2 * Math.Abs(expected), $"{what}: finite differences {expected}, gradient {actual}");

    /// <summary>Both reference kernels' gradient of the whole objective against central differences, every weight and bias.</summary>
    private static void AssertGradientMatchesCentralDifferences(LinearProblem problem, TrainingOptions options, LinearParameters parameters)
    {
        var rows = Enumerable.Range(0, problem.Rows).ToArray();

        foreach (var kernel in new ILinearKernel[] { ScalarReferenceKernel.Instance, TensorPrimitivesKernel.Instance })
        {
            var objective = new Objective(kernel, problem, options);
            var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
            objective.ValueAndGradient(rows, parameters, gradient, out double _);

            for (var i = 0; i < parameters.Weights.Length; i++)
            {
                AssertClose(Numeric(objective, rows, parameters, parameters.Weights, i), gradient.Weights[i], $"{kernel.Name} weight {i}");
            }

            for (var k = 0; k < parameters.Bias.Length; k++)
            {
                AssertClose(Numeric(objective, rows, parameters, parameters.Bias, k), gradient.Bias[k], $"{kernel.Name} bias {k}");
            }
        }
    }
}
