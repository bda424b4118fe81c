
using LogReg.Core;

namespace LogReg.Models;

/// <summary>Softmax (multinomial logistic) regression over K ≥ 2 classes: p = softmax(Wx + b); predicts the argmax.</summary>
internal sealed class SoftmaxRegressionModel : LinearModel
{
    public SoftmaxRegressionModel(float[] weights, float[] bias, int featureCount, IReadOnlyList<string> classNames)
        : base(weights, bias, featureCount, classNames)
    {
        if (classNames.Count < 2 || classNames.Count != bias.Length)
        {
            throw new ArgumentException($"softmax regression needs one score per class and at least 2 classes (got {bias.Length} scores, {classNames.Count} classes)", nameof(classNames));
        }
    }

    public override ModelKind Kind => ModelKind.Softmax;

    public override void ProbabilitiesFromScores(ReadOnlySpan<float> scores, Span<float> probabilities) =>
        Activations.Softmax(scores, probabilities);

    public override int PredictFromScores(ReadOnlySpan<float> scores) =>
        DecisionRules.PredictFromLogits(ModelKind.Softmax, scores, 0f);
}
