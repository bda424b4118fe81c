using System.Numerics.Tensors;
using LogReg.Core;

namespace LogReg.Models;

/// <summary>
/// A fitted linear classifier: immutable weights (outputs × features) and bias. <see cref="DecisionFunction"/> gives the
/// raw scores, <see cref="PredictProbabilities"/> one probability per class, <see cref="Predict"/> the class index.
/// Features are the scaled pixels (see <see cref="TrainedModel"/> for the whole pipeline from raw images).
/// </summary>
public abstract class LinearModel
{
    private readonly float[] _weights;
    private readonly float[] _bias;

    private protected LinearModel(float[] weights, float[] bias, int featureCount, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(classNames);
        if (featureCount < 1 || weights.Length != bias.Length * featureCount)
        {
            throw new ArgumentException($"{weights.Length} weights do not make {bias.Length} rows of {featureCount} features", nameof(weights));
        }

        _weights = weights;
        _bias = bias;
        FeatureCount = featureCount;
        ClassNames = classNames;
    }

    /// <summary>The kind of model.</summary>
    public abstract ModelKind Kind { get; }

    /// <summary>The number of features the model reads.</summary>
    public int FeatureCount { get; }

    /// <summary>Score rows: 1 for logistic regression, one per class otherwise.</summary>
    public int Outputs => _bias.Length;

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The weights, one row of <see cref="FeatureCount"/> per output.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The bias of each output.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>The weights of one output (one class, or the single logistic unit), e.g. to draw as an image.</summary>
    public ReadOnlySpan<float> WeightsOf(int output) => _weights.AsSpan(output * FeatureCount, FeatureCount);

    /// <summary>The parameters as a mutable copy (to continue training, or for kernels).</summary>
    public LinearParameters ToParameters() => new((float[])_weights.Clone(), (float[])_bias.Clone(), FeatureCount);

    /// <summary>Raw scores z = W·x + b, one per output.</summary>
    public void DecisionFunction(ReadOnlySpan<float> features, Span<float> scores)
    {
        CheckFeatures(features);
        if (scores.Length != Outputs)
        {
            throw new ArgumentException($"scores needs {Outputs} entries (got {scores.Length})", nameof(scores));
        }

        for (var k = 0; k < Outputs; k++)
        {
            scores[k] = TensorPrimitives.Dot(WeightsOf(k), features) + _bias[k];
        }
    }

    /// <summary>One probability per class, summing to 1.</summary>
    public void PredictProbabilities(ReadOnlySpan<float> features, Span<float> probabilities)
    {
        if (probabilities.Length != ClassCount)
        {
            throw new ArgumentException($"probabilities needs {ClassCount} entries (got {probabilities.Length})", nameof(probabilities));
        }

        Span<float> scores = stackalloc float[Outputs];
        DecisionFunction(features, scores);
        ProbabilitiesFromScores(scores, probabilities);
    }

    /// <summary>The predicted class index.</summary>
    public int Predict(ReadOnlySpan<float> features)
    {
        Span<float> scores = stackalloc float[Outputs];
        DecisionFunction(features, scores);
        return PredictFromScores(scores);
    }

    /// <summary>Probabilities from scores already computed (by a kernel, for many samples at once).</summary>
    public abstract void ProbabilitiesFromScores(ReadOnlySpan<float> scores, Span<float> probabilities);

    /// <summary>The class from scores already computed.</summary>
    public abstract int PredictFromScores(ReadOnlySpan<float> scores);

    /// <summary>The logit threshold the kernels use for accuracy (0 unless a binary model has another threshold).</summary>
    public virtual float LogitThreshold => 0f;

    /// <summary>The fitted model of <paramref name="kind"/> with these parameters.</summary>
    public static LinearModel Create(ModelKind kind, LinearParameters parameters, IReadOnlyList<string> classNames, double threshold = 0.5, Decision decision = Decision.Scores)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var weights = (float[])parameters.Weights.Clone();
        var bias = (float[])parameters.Bias.Clone();
        return kind switch
        {
            ModelKind.Logistic => new LogisticRegressionModel(weights, bias[0], parameters.Features, classNames, threshold),
            ModelKind.Softmax => new SoftmaxRegressionModel(weights, bias, parameters.Features, classNames),
            ModelKind.OneVsRest => new OneVsRestModel(weights, bias, parameters.Features, classNames, decision),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown model kind"),
        };
    }

    private void CheckFeatures(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"the model takes {FeatureCount} features (got {features.Length})", nameof(features));
        }
    }
}
