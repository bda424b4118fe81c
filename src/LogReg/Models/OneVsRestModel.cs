using LogReg.Kernels;

namespace LogReg.Models;

/// <summary>
/// One-vs-rest: K independent sigmoid units, unit k answering "class k or not". Predicts the unit with the highest
/// score; probabilities are the K sigmoids normalised to sum to 1.
/// </summary>
public sealed class OneVsRestModel : LinearModel
{
    public OneVsRestModel(float[] weights, float[] bias, int featureCount, IReadOnlyList<string> classNames, Training.Decision decision = Training.Decision.Scores)
        : base(weights, bias, featureCount, classNames)
    {
        Decision = decision;
        if (classNames.Count < 2 || classNames.Count != bias.Length)
        {
            throw new ArgumentException($"one-vs-rest needs one unit per class and at least 2 classes (got {bias.Length} units, {classNames.Count} classes)", nameof(classNames));
        }
    }

    public override ModelKind Kind => ModelKind.OneVsRest;

    /// <summary>How the class is picked: the highest score, or the highest sigmoid (see <see cref="Training.Decision"/>).</summary>
    public Training.Decision Decision { get; }

    public override void ProbabilitiesFromScores(ReadOnlySpan<float> scores, Span<float> probabilities)
    {
        double sum = 0;
        for (var k = 0; k < scores.Length; k++)
        {
            var p = Activations.Sigmoid(scores[k]);
            probabilities[k] = (float)p;
            sum += p;
        }

        if (sum > 0)
        {
            for (var k = 0; k < scores.Length; k++)
            {
                probabilities[k] = (float)(probabilities[k] / sum);
            }
        }
        else
        {
            // Every sigmoid underflowed: fall back to the softmax of the scores, which keeps their order.
            Activations.Softmax(scores, probabilities);
        }
    }

    public override int PredictFromScores(ReadOnlySpan<float> scores) => Decision == Training.Decision.Probabilities
        ? Activations.FirstHighestSigmoid(scores)
        : ScalarReferenceKernel.PredictFromLogits(ModelKind.OneVsRest, scores, 0f);
}
