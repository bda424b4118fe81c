
using LogReg.Core;

namespace LogReg.Models;

/// <summary>
/// One-vs-rest: K independent sigmoid units, unit k answering "class k or not". Predicts the unit with the highest
/// score; probabilities are the K sigmoids normalised to sum to 1.
/// </summary>
internal sealed class OneVsRestModel : LinearModel
{
    public OneVsRestModel(float[] weights, float[] bias, int featureCount, IReadOnlyList<string> classNames, Decision decision = Decision.Scores)
        : base(weights, bias, featureCount, classNames)
    {
        Decision = decision;
        if (classNames.Count < 2 || classNames.Count != bias.Length)
        {
            throw new ArgumentException($"one-vs-rest needs one unit per class and at least 2 classes (got {bias.Length} units, {classNames.Count} classes)", nameof(classNames));
        }
    }

    public override ModelKind Kind => ModelKind.OneVsRest;

    /// <summary>How the class is picked: the highest score, or the highest sigmoid (see <see cref="Decision"/>).</summary>
    public Decision Decision { get; }

    /// <remarks>
    /// σ(z_k) / Σ σ(z_j) is computed as softmax(log σ(z)) in double, with the largest subtracted first: the same numbers,
    /// and still exact when every sigmoid is tiny (scores far below zero), where dividing the sigmoids themselves would
    /// lose them to underflow. The ONNX export computes the same form.
    /// </remarks>
    public override void ProbabilitiesFromScores(ReadOnlySpan<float> scores, Span<float> probabilities)
    {
        Span<double> logSigmoids = stackalloc double[scores.Length];
        var max = double.NegativeInfinity;
        for (var k = 0; k < scores.Length; k++)
        {
            logSigmoids[k] = Activations.LogSigmoid(scores[k]);
            max = Math.Max(max, logSigmoids[k]);
        }

        double sum = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            sum += Math.Exp(logSigmoids[k] - max);
        }

        for (var k = 0; k < scores.Length; k++)
        {
            probabilities[k] = (float)(Math.Exp(logSigmoids[k] - max) / sum);
        }
    }

    public override int PredictFromScores(ReadOnlySpan<float> scores) => Decision == Decision.Probabilities
        ? DecisionRules.FirstHighestSigmoid(scores)
        : DecisionRules.PredictFromLogits(ModelKind.OneVsRest, scores, 0f);
}
