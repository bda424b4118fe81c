using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Experiments;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Reporting;

/// <summary>The weights of one grid point's model (its first run), e.g. one λ of a penalty sweep (seed 001/002 Fig. 10).</summary>
public sealed record GridWeightImage(string Point, string File, double Scale, double? WeightNorm, double? TestAccuracy);

/// <summary>
/// The difference of this experiment's class-pair model and another experiment's that shares one class, used as a
/// classifier of the two other classes and scored on their test images (seed 001/002 section 2.4).
/// </summary>
public sealed record PairDifferenceResult(string Caption, string OtherExperiment, string Negative, string Positive, string File, double Scale, double TestAccuracy, long TestImages);

/// <summary>A class the model gets right least often on the test images (by recall), with its sample strip (seed 004).</summary>
public sealed record LeastAccurateClass(string Class, double Recall, long Support, string? SamplesFile);

/// <summary>
/// Figures an experiment report draws from the runs' saved models, beyond the best model's: the weights at every grid
/// point, the weight difference of two class-pair experiments evaluated as a classifier, and the least accurate
/// classes. Nothing is trained here.
/// </summary>
internal static class ExperimentFigures
{
    private const int Zoom = 4;
    private const int PairZoom = 6;

    /// <summary>How many of the least accurate classes a report shows.</summary>
    public const int LeastAccurateCount = 3;

    /// <summary>
    /// The first run's weights at each grid point of a penalty sweep with a binary model; empty for other experiments
    /// (a softmax model's ten images per point are the best model's section).
    /// </summary>
    public static IReadOnlyList<GridWeightImage> GridWeights(ExperimentResults results, IDictionary<string, byte[]> figures)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(figures);
        var images = new List<GridWeightImage>();
        if (!results.IsPenaltySweep)
        {
            return images;
        }

        foreach (var point in results.Points.Where(p => p.Runs.Count > 0))
        {
            if (results.Runs.Model(point.Runs[0].Key) is not { } model)
            {
                continue;
            }

            if (model.Model.Outputs != 1)
            {
                return [];
            }

            var w = model.Model.WeightsOf(0);
            var scale = ImageFigures.SymmetricScale(w);
            var file = ReportBuilder.FiguresFolder + "/" + Invariant.Format($"grid-weights-{images.Count:00}.png");
            figures[file] = ImageFigures.Weights(w, model.Shape, scale, Zoom);
            images.Add(new GridWeightImage(point.Point.Describe(), file, scale, point.Mean("weight_norm"), point.Mean("test_accuracy")));
        }

        return images;
    }

    /// <summary>
    /// For a class-pair logistic <paramref name="model"/> in experiment <paramref name="directory"/>: every sibling
    /// experiment folder (same parent) whose model is a class pair sharing exactly one class, combined with this one by
    /// <see cref="PairDifference"/> and scored on the test images of the two other classes, selected as the model was
    /// (the same subsets). Sorted by the sibling's name.
    /// </summary>
    public static IReadOnlyList<PairDifferenceResult> PairDifferences(string directory, TrainedModel model, ReportDataSource data, ILinearKernel kernel, IDictionary<string, byte[]> figures, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(notes);
        var results = new List<PairDifferenceResult>();
        var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (model.Kind != ModelKind.Logistic || model.Preparation.Classes.Kind != ClassSubsetKind.Pair || parent is null)
        {
            return results;
        }

        var self = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        foreach (var sibling in Directory.EnumerateDirectories(parent).Order(StringComparer.Ordinal))
        {
            if (string.Equals(Path.GetFullPath(sibling).TrimEnd(Path.DirectorySeparatorChar), self, StringComparison.Ordinal) || !ReportBuilder.IsExperiment(sibling))
            {
                continue;
            }

            TrainedModel? other;
            try
            {
                // Another experiment, finished by another invocation: only its folder has its model.
                other = ExperimentResults.Load(sibling).Model;
            }
            catch (Exception e) when (e is LogRegDataException or InvalidSettingException)
            {
                notes.Add($"the weight difference with {Path.GetFileName(sibling)} is left out: {e.Message}");
                continue;
            }

            if (other is null || other.Kind != ModelKind.Logistic || other.Preparation.Classes.Kind != ClassSubsetKind.Pair || other.Preparation.Classes == model.Preparation.Classes)
            {
                continue;
            }

            var (combined, problem) = PairDifference.Combine(model, other);
            if (combined is null)
            {
                if (other.Dataset.Name == model.Dataset.Name)
                {
                    notes.Add($"the weight difference with {Path.GetFileName(sibling)} is left out: {problem}");
                }

                continue;
            }

            var (test, testProblem) = combined.Dataset.TestSha256 is null ? (null, "the model has no test split") : data.For(combined, DatasetSplit.Test);
            if (test is null || test.Count == 0)
            {
                notes.Add($"the weight difference with {Path.GetFileName(sibling)} is not scored: {testProblem ?? "no test images of its classes"}");
                continue;
            }

            var evaluation = ModelEvaluator.Evaluate(combined, test, topK: 1, mistakes: 0, kernel);
            var w = combined.Model.WeightsOf(0);
            var scale = ImageFigures.SymmetricScale(w);
            var file = ReportBuilder.FiguresFolder + "/" + Invariant.Format($"pair-difference-{results.Count:00}.png");
            figures[file] = ImageFigures.Weights(w, combined.Shape, scale, PairZoom);
            var names = combined.ClassNames;
            results.Add(new PairDifferenceResult(
                Invariant.Format($"w({model.ClassNames[0]} vs {model.ClassNames[1]}) and w({other.ClassNames[0]} vs {other.ClassNames[1]}) from {Path.GetFileName(sibling)}, combined without training into {names[0]} (blue) vs {names[1]} (red)"),
                Path.GetFileName(sibling),
                names[0],
                names[1],
                file,
                scale,
                evaluation.Confusion.Accuracy,
                evaluation.Confusion.Total));
        }

        return results;
    }

    /// <summary>The <see cref="LeastAccurateCount"/> classes with the lowest test recall, each with its sample strip when drawn.</summary>
    public static IReadOnlyList<LeastAccurateClass> LeastAccurate(ConfusionReport? confusion, IReadOnlyList<ClassSamples> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (confusion is null || confusion.PerClass.Count <= 2)
        {
            return [];
        }

        return
        [
            .. confusion.PerClass
                .Where(c => c.Support > 0)
                .OrderBy(c => c.Recall)
                .ThenBy(c => c.Class, StringComparer.Ordinal)
                .Take(LeastAccurateCount)
                .Select(c => new LeastAccurateClass(c.Class, c.Recall, c.Support, samples.FirstOrDefault(s => s.Class == c.Class)?.File)),
        ];
    }
}
