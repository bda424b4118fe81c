
using LogReg.Core;

namespace LogReg.Models;

/// <summary>Binary logistic regression: p(class 1) = σ(w·x + b); predicts class 1 when p ≥ <see cref="Threshold"/>.</summary>
internal sealed class LogisticRegressionModel : LinearModel
{
    public LogisticRegressionModel(float[] weights, float bias, int featureCount, IReadOnlyList<string> classNames, double threshold = 0.5)
        : base(weights, [bias], featureCount, classNames)
    {
        if (classNames.Count != 2)
        {
            throw new ArgumentException($"binary logistic regression has exactly 2 classes (got {classNames.Count})", nameof(classNames));
        }

        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Threshold must be in (0, 1)");
        }

        Threshold = threshold;
    }

    public override ModelKind Kind => ModelKind.Logistic;

    /// <summary>Probability of class 1 at or above which class 1 is predicted. Default 0.5.</summary>
    public double Threshold { get; }

    public override float LogitThreshold => (float)Math.Log(Threshold / (1 - Threshold));

    public override void ProbabilitiesFromScores(ReadOnlySpan<float> scores, Span<float> probabilities)
    {
        var p = Activations.Sigmoid(scores[0]);
        probabilities[0] = (float)(1 - p);
        probabilities[1] = (float)p;
    }

    public override int PredictFromScores(ReadOnlySpan<float> scores) => scores[0] >= LogitThreshold ? 1 : 0;
}
