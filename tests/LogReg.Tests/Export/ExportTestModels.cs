using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Export;

/// <summary>Small trained and hand-made models for the export tests, and the check that an export decides as the library does.</summary>
internal static class ExportTestModels
{
    /// <summary>A model trained on 4x4 synthetic images: a few SGD epochs, seeded.</summary>
    public static TrainedModel Train(ModelKind kind, ScalingKind scaling, bool fitIntercept, double threshold = 0.5)
    {
        var train = Synthetic.Images(160, 4, seed: 1);
        var test = Synthetic.Images(40, 4, seed: 2);
        var preparation = new DataPreparation
        {
            Scaling = scaling,
            Classes = kind == ModelKind.Logistic ? ClassSubset.Pair(1, 3) : ClassSubset.All,
        };
        var data = PreparedData.Prepare(train, test, preparation);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 3, FitIntercept = fitIntercept, Threshold = threshold, LearningRate = scaling == ScalingKind.None ? 0.001 : 0.1 };
        return TrainingPipeline.Train(data, kind, options).Model;
    }

    /// <summary>A model with the given parameters over 4x4 images scaled by divide255.</summary>
    public static TrainedModel Handmade(LinearModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scaler = new FeatureScaler(ScalingKind.Divide255, new float[16], Enumerable.Repeat(1f / 255f, 16).ToArray());
        return new TrainedModel(
            model,
            scaler,
            new ImageShape(4, 4),
            new DataPreparation(),
            new TrainingOptions(),
            new FinalMetrics(double.NaN, double.NaN, null, null, null, null, 0, 0, StopReason.Unknown),
            new DatasetReference("handmade", "handmade", "", null),
            TrainedModel.CurrentVersion);
    }

    /// <summary>
    /// Asserts that ONNX Runtime's outputs for <paramref name="count"/> images equal the library's prediction for every
    /// one and that the probabilities agree within <paramref name="tolerance"/>; returns the largest difference of a probability.
    /// </summary>
    public static double AssertSameAsLibrary(TrainedModel model, ReadOnlySpan<byte> pixels, int count, OnnxOutputs onnx, double tolerance = 1e-5)
    {
        var classes = model.ClassNames.Count;
        Assert.Equal([count], onnx.LabelShape);
        Assert.Equal([count, classes], onnx.ProbabilitiesShape);
        var differentLabels = new List<int>();
        var worst = 0.0;
        for (var i = 0; i < count; i++)
        {
            var (predicted, probabilities) = model.Predict(pixels.Slice(i * model.Shape.PixelCount, model.Shape.PixelCount));
            if (onnx.Labels[i] != predicted)
            {
                differentLabels.Add(i);
            }

            for (var k = 0; k < classes; k++)
            {
                worst = Math.Max(worst, Math.Abs(probabilities[k] - onnx.Probabilities[i * classes + k]));
            }
        }

        Assert.True(differentLabels.Count == 0, $"{differentLabels.Count} of {count} labels differ from the library's, first at images {string.Join(", ", differentLabels.Take(5))}");
        Assert.True(worst <= tolerance, $"probabilities differ by up to {worst:E2} (tolerance {tolerance:E0})");
        return worst;
    }
}
