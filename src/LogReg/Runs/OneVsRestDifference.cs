using System.Text.Json;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;

namespace LogReg.Runs;

/// <summary>
/// For a class-pair logistic model (A vs B), the weights of two one-vs-rest logistic models, w(B vs rest) − w(A vs rest),
/// trained with the pair model's options on the same training images with all their classes: the picture a report sets
/// beside the pair's own weights. Training them is a step of its own (logreg train announces it, and an experiment does
/// it for the model its report shows); the result is saved in the run folder, so reports read it and never train.
/// </summary>
public sealed record OneVsRestDifference(string NegativeClass, string PositiveClass, int TrainingImages, float[] Weights)
{
    /// <summary>The file in a run folder.</summary>
    public const string FileName = "ovr-difference.json";

    private const string Format = "logreg-ovr-difference";

    /// <summary>Whether a report of <paramref name="model"/> shows the difference: a logistic model of a class pair.</summary>
    public static bool AppliesTo(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Kind == ModelKind.Logistic && model.Preparation.Classes.Kind == ClassSubsetKind.Pair;
    }

    /// <summary>
    /// Trains the two one-vs-rest models for <paramref name="pairModel"/> on <paramref name="train"/>, the training
    /// images as loaded: the pair model's selection of images (first or last N, subsets) is applied, with all classes.
    /// </summary>
    public static OneVsRestDifference Train(TrainedModel pairModel, Dataset train, CancellationToken cancellationToken = default) => Train(pairModel, train, null, cancellationToken);

    /// <summary>As the public overload, on a given kernel.</summary>
    internal static OneVsRestDifference Train(TrainedModel pairModel, Dataset train, ILinearKernel? kernel, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pairModel);
        ArgumentNullException.ThrowIfNull(train);
        if (!AppliesTo(pairModel))
        {
            throw new ArgumentException("the one-vs-rest difference is drawn for logistic models of a class pair", nameof(pairModel));
        }

        var p = pairModel.Preparation.Classes;
        var all = PreparedData.Select(train, pairModel.Preparation with { Classes = ClassSubset.All }, isTest: false);
        // The same procedure as the pair model (optimizer, steps, and the epochs up to the one it kept), so that the two
        // images differ only in the question each model answers.
        var epochs = pairModel.Metrics.BestEpoch > 0 ? Math.Min(pairModel.Metrics.BestEpoch, pairModel.Options.EpochLimit) : pairModel.Options.EpochLimit;
        var options = pairModel.Options with { EarlyStopping = false, ValidationFraction = 0, Epochs = epochs, MaxIterations = epochs, Threads = 0 };
        float[] Fit(int positive)
        {
            var preparation = new DataPreparation { Classes = ClassSubset.OneVsRest(positive), Scaling = pairModel.Preparation.Scaling };
            var data = PreparedData.Prepare(all, null, preparation);
            return TrainingPipeline.Train(data, ModelKind.Logistic, options, kernel, cancellationToken: cancellationToken).Model.Model.WeightsOf(0).ToArray();
        }

        var positiveWeights = Fit(p.Positive);
        var negativeWeights = Fit(p.Negative);
        var difference = new float[positiveWeights.Length];
        for (var i = 0; i < difference.Length; i++)
        {
            difference[i] = positiveWeights[i] - negativeWeights[i];
        }

        return new OneVsRestDifference(pairModel.ClassNames[0], pairModel.ClassNames[1], all.Count, difference);
    }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="directory"/> (atomically).</summary>
    public void Write(string directory)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", 1);
            json.WriteString("negative_class", NegativeClass);
            json.WriteString("positive_class", PositiveClass);
            json.WriteNumber("training_images", TrainingImages);
            json.WriteStartArray("weights");
            foreach (var w in Weights)
            {
                json.WriteNumberValue(w);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), stream.ToArray());
    }

    /// <summary>
    /// The difference saved in <paramref name="directory"/>, or null when there is none; <paramref name="features"/> is
    /// the number of weights the model it belongs to has per unit.
    /// </summary>
    public static OneVsRestDifference? Read(string directory, int features)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var info = new FileInfo(path);
        if (info.Length > 64L * features + 4096)
        {
            throw new LogRegDataException(path, Invariant.Format($"is {info.Length} bytes, too large for {features} weights"));
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw new LogRegDataException(path, $"is not a one-vs-rest difference file (no \"format\": \"{Format}\")");
            }

            var weights = root.GetProperty("weights");
            if (weights.ValueKind != JsonValueKind.Array || weights.GetArrayLength() != features)
            {
                throw new LogRegDataException(path, Invariant.Format($"must hold {features} weights, one per feature of the model"));
            }

            var values = new float[features];
            var i = 0;
            foreach (var w in weights.EnumerateArray())
            {
                values[i] = w.ValueKind == JsonValueKind.Number && w.TryGetSingle(out var v) && float.IsFinite(v)
                    ? v
                    : throw new LogRegDataException(path, Invariant.Format($"weight {i} is not a finite number"));
                i++;
            }

            var images = root.GetProperty("training_images").GetInt32();
            return new OneVsRestDifference(root.GetProperty("negative_class").GetString() ?? "", root.GetProperty("positive_class").GetString() ?? "", images, values);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new LogRegDataException(path, $"is not a valid one-vs-rest difference file: {e.Message}", e);
        }
    }
}
