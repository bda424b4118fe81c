using LogReg.Common;
using LogReg.Core;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// Sample weights in the objective and the trainer: the weighted gradient equals finite differences of the weighted
/// objective, the mean reduction divides by the weights' sum (scikit-learn's convention), and an integer weight trains
/// exactly as that many copies of the row.
/// </summary>
public sealed class SampleWeightTrainingTests
{
    [Theory]
    [InlineData(ModelKind.Logistic, Reduction.Mean)]
    [InlineData(ModelKind.Softmax, Reduction.Mean)]
    [InlineData(ModelKind.OneVsRest, Reduction.Mean)]
    [InlineData(ModelKind.Softmax, Reduction.Sum)]
    public void Weighted_gradient_matches_central_finite_differences(ModelKind kind, Reduction reduction)
    {
        var problem = Synthetic.Problem(kind, n: 12, d: 5, kind == ModelKind.Logistic ? 2 : 3, seed: 7, spread: 1)
            .WithSampleWeights([0.5f, 2, 0, 1, 3, 1, 0.25f, 1, 4, 1, 2, 1]);
        var options = new TrainingOptions { Reduction = reduction, Penalty = Penalty.L2, Lambda = 0.05 };
        var parameters = new LinearParameters(problem.Outputs, problem.FeatureCount);
        var random = new SeededRandom(3);
        for (var i = 0; i < parameters.Weights.Length; i++)
        {
            parameters.Weights[i] = (float)(0.5 * random.NextGaussian());
        }

        var rows = Enumerable.Range(0, problem.Rows).ToArray();
        using var fused = new FusedLinearKernel(2);
        foreach (var kernel in new ILinearKernel[] { ScalarReferenceKernel.Instance, TensorPrimitivesKernel.Instance, fused })
        {
            var objective = new Objective(kernel, problem, options);
            var gradient = new LinearParameters(parameters.Outputs, parameters.Features);
            objective.ValueAndGradient(rows, parameters, gradient, out double _);
            foreach (var (target, analytic, name) in new[] { (parameters.Weights, gradient.Weights, "weight"), (parameters.Bias, gradient.Bias, "bias") })
            {
                for (var i = 0; i < target.Length; i++)
                {
                    const float eps = 1e-2f;
                    var original = target[i];
                    target[i] = original + eps;
                    var plus = objective.Value(rows, parameters);
                    target[i] = original - eps;
                    var minus = objective.Value(rows, parameters);
                    target[i] = original;
                    var numeric = (plus - minus) / (2 * eps);
                    Assert.True(Math.Abs(numeric - analytic[i]) <= 2e-3 + 1e-2 * Math.Abs(numeric), $"{kernel.Name} {name} {i}: finite differences {numeric}, gradient {analytic[i]}");
                }
            }
        }
    }

    [Fact]
    public void The_mean_loss_divides_by_the_sum_of_the_weights()
    {
        var plain = Synthetic.Problem(ModelKind.Softmax, n: 6, d: 3, classes: 3, seed: 2);
        float[] raw = [1, 2, 3, 0, 1, 5];
        var weighted = plain.WithSampleWeights(raw);
        var parameters = new LinearParameters(3, 3);
        parameters.Weights[0] = 0.3f;
        parameters.Weights[4] = -0.7f;
        var rows = Enumerable.Range(0, 6).ToArray();
        var options = new TrainingOptions();

        var value = new Objective(ScalarReferenceKernel.Instance, weighted, options).Value(rows, parameters);

        double expected = 0;
        for (var i = 0; i < 6; i++)
        {
            expected += raw[i] * new Objective(ScalarReferenceKernel.Instance, plain, options).Value([i], parameters);
        }

        Assert.Equal(expected / raw.Sum(), value, 6);
        Assert.Equal(value, ScalarReferenceKernel.Instance.Evaluate(weighted, parameters.Weights, parameters.Bias, 0).MeanLoss, 6);
    }

    [Theory]
    [InlineData(OptimizerKind.Lbfgs, 0)]
    [InlineData(OptimizerKind.Sgd, 0)]
    public void Integer_weights_train_the_same_model_as_duplicated_rows(OptimizerKind optimizer, int batchSize)
    {
        var source = Synthetic.Problem(ModelKind.Softmax, n: 30, d: 4, classes: 3, seed: 11, spread: 1.5);
        var counts = Enumerable.Range(0, 30).Select(i => i % 4).ToArray(); // 0 to 3 copies of each row
        var duplicatedRows = Enumerable.Range(0, 30).SelectMany(i => Enumerable.Repeat(i, counts[i])).ToArray();
        var x = new FeatureMatrix(duplicatedRows.Length, 4);
        for (var i = 0; i < duplicatedRows.Length; i++)
        {
            source.Features.Row(duplicatedRows[i]).CopyTo(x.Row(i));
        }

        var duplicated = new LinearProblem(ModelKind.Softmax, x, duplicatedRows.Select(r => source.Labels[r]).ToArray(), 3);
        var weighted = source.WithSampleWeights(counts.Select(c => (float)c).ToArray());
        var options = new TrainingOptions { Optimizer = optimizer, BatchSize = batchSize, Epochs = 30, Penalty = Penalty.L2, Lambda = 0.01, Tol = 1e-7, MaxIterations = 500, Threads = 1 };

        var trainer = new LinearTrainer(ScalarReferenceKernel.Instance);
        var fromWeights = trainer.Fit(weighted, options).Parameters;
        var fromCopies = trainer.Fit(duplicated, options).Parameters;

        for (var i = 0; i < fromCopies.Weights.Length; i++)
        {
            Assert.True(Math.Abs(fromCopies.Weights[i] - fromWeights.Weights[i]) <= 1e-4 * Math.Max(1, Math.Abs(fromCopies.Weights[i])), $"weight {i}: copies {fromCopies.Weights[i]}, weights {fromWeights.Weights[i]}");
        }

        for (var k = 0; k < 3; k++)
        {
            Assert.True(Math.Abs(fromCopies.Bias[k] - fromWeights.Bias[k]) <= 1e-4 * Math.Max(1, Math.Abs(fromCopies.Bias[k])), $"bias {k}: copies {fromCopies.Bias[k]}, weights {fromWeights.Bias[k]}");
        }
    }
}
