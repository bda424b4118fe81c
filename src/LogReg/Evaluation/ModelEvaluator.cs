using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Models;

namespace LogReg.Evaluation;

/// <summary>Scores a trained model on a dataset: accuracy, mean loss, top-k accuracy, confusion matrix, worst mistakes.</summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="model"/> on <paramref name="data"/>, which must already carry the model's class
    /// selection (see <see cref="Preprocessing.ClassSubset.Apply"/>). <paramref name="mistakes"/> most confidently wrong
    /// samples are kept.
    /// </summary>
    public static EvaluationReport Evaluate(TrainedModel model, Dataset data, int topK = 3, int mistakes = 16) => Evaluate(model, data, topK, mistakes, null);

    /// <summary>As the public overload, on a given kernel (the kernels are plumbing: the library chooses one).</summary>
    internal static EvaluationReport Evaluate(TrainedModel model, Dataset data, int topK, int mistakes, ILinearKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        if (data.Shape != model.Shape)
        {
            throw new LogRegDataException(data.Provenance.ImagesPath, $"images are {data.Shape} but the model takes {model.Shape}");
        }

        var m = model.Model;
        if (data.ClassCount != m.ClassCount)
        {
            throw new LogRegDataException(
                data.Provenance.Description,
                $"has {data.ClassCount} classes but the model was trained on {m.ClassCount} ({string.Join(", ", m.ClassNames)})");
        }

        kernel ??= LinearKernels.Default;
        var features = model.Scaler.Transform(data);
        var outputs = m.Outputs;
        var scores = new float[(long)data.Count * outputs];
        kernel.Scores(features, outputs, m.Weights, m.Bias, scores);

        var confusion = new ConfusionMatrix(m.ClassCount);
        Span<float> delta = stackalloc float[outputs];
        Span<float> probabilities = stackalloc float[m.ClassCount];
        double loss = 0;
        long topKCorrect = 0;
        var wrong = new List<Mistake>();
        for (var i = 0; i < data.Count; i++)
        {
            var z = scores.AsSpan(i * outputs, outputs);
            var label = data.Label(i);
            loss += Activations.LossAndDelta(m.Kind, z, label, delta);
            var predicted = m.PredictFromScores(z);
            confusion.Add(label, predicted);
            m.ProbabilitiesFromScores(z, probabilities);
            if (Rank(probabilities, label) < topK)
            {
                topKCorrect++;
            }

            if (predicted != label)
            {
                wrong.Add(new Mistake(i, label, predicted, probabilities[predicted]));
            }
        }

        var worst = wrong.OrderByDescending(w => w.Probability).ThenBy(w => w.Index).Take(mistakes).ToArray();
        return new EvaluationReport(
            m.ClassNames,
            data.Count,
            confusion.Accuracy,
            data.Count == 0 ? double.NaN : loss / data.Count,
            topK,
            data.Count == 0 ? double.NaN : (double)topKCorrect / data.Count,
            confusion,
            worst);
    }

    /// <summary>How many classes have a higher probability than <paramref name="label"/> (ties count for the label).</summary>
    private static int Rank(ReadOnlySpan<float> probabilities, int label)
    {
        var rank = 0;
        for (var k = 0; k < probabilities.Length; k++)
        {
            if (probabilities[k] > probabilities[label])
            {
                rank++;
            }
        }

        return rank;
    }
}
