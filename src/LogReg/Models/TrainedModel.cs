using LogReg.Core;
using LogReg.Data;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Models;

/// <summary>
/// Everything needed to use and to reproduce a trained classifier: the fitted linear model, the fitted scaling, the
/// image shape, how the data was prepared (class selection, subsets), the training options, the final metrics and the
/// checksums of the data. This is what a model file holds.
/// </summary>
public sealed record TrainedModel(
    LinearModel Model,
    FeatureScaler Scaler,
    ImageShape Shape,
    DataPreparation Preparation,
    TrainingOptions Options,
    FinalMetrics Metrics,
    DatasetReference Dataset,
    string CreatedBy)
{
    /// <summary>The kind of model.</summary>
    public ModelKind Kind => Model.Kind;

    /// <summary>For a model trained on a table: its label column and feature names (the columns a new CSV must have); null for images.</summary>
    public TableSchema? Table { get; init; }

    /// <summary>The name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames => Model.ClassNames;

    /// <summary>The LogReg version string written into model files.</summary>
    public static string CurrentVersion => "LogReg " + VersionNumber;

    /// <summary>The version number alone (an ONNX export's producer_version).</summary>
    public static string VersionNumber => typeof(TrainedModel).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Scales raw pixels of one image into the model's features.</summary>
    public float[] Features(ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != Shape.PixelCount)
        {
            throw new ArgumentException($"the model takes {Shape} images ({Shape.PixelCount} pixels), not {pixels.Length} pixels", nameof(pixels));
        }

        var features = new float[Shape.PixelCount];
        Scaler.Transform(pixels, features);
        return features;
    }

    /// <summary>Class and per-class probabilities for one row of a table's features (unscaled, in <see cref="Table"/>'s order).</summary>
    public (int Class, float[] Probabilities) PredictRow(ReadOnlySpan<float> values)
    {
        if (Table is null)
        {
            throw new InvalidOperationException("the model was trained on images: predict from pixels");
        }

        var features = new float[Scaler.FeatureCount];
        Scaler.Transform(values, features);
        var probabilities = new float[Model.ClassCount];
        Model.PredictProbabilities(features, probabilities);
        return (Model.Predict(features), probabilities);
    }

    /// <summary>Class and per-class probabilities for one raw image.</summary>
    public (int Class, float[] Probabilities) Predict(ReadOnlySpan<byte> pixels)
    {
        var features = Features(pixels);
        var probabilities = new float[Model.ClassCount];
        Model.PredictProbabilities(features, probabilities);
        return (Model.Predict(features), probabilities);
    }
}
