using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using LogReg.Models;

namespace LogReg.Export;

/// <summary>
/// What an exported file says about its model besides the numbers: the ONNX metadata_props. Class names and training
/// options are JSON text, so a reader in any language parses them with its JSON library.
/// </summary>
internal static class ExportMetadata
{
    /// <summary>How the exports define the scaling, in the names of their tensors and arrays.</summary>
    public const string ScalingFormula = "features = (pixels - scaler_offset) * scaler_scale";

    public static IReadOnlyList<KeyValuePair<string, string>> For(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entries = new List<KeyValuePair<string, string>>
        {
            new("logreg_version", TrainedModel.CurrentVersion),
            new("created_by", model.CreatedBy),
            new("model_kind", ModelFile.KindName(model.Kind)),
            new("class_names", JsonArray(model.ClassNames)),
            new("image_shape", model.Shape.ToString()),
            new("scaling", ModelFile.ScalingName(model.Scaler.Kind)),
            new("scaling_formula", ScalingFormula),
        };
        if (model.Model is LogisticRegressionModel logistic)
        {
            entries.Add(new("threshold", logistic.Threshold.ToString("R", CultureInfo.InvariantCulture)));
        }

        entries.Add(new("training_options", ModelFile.TrainingOptionsJson(model.Options)));
        entries.Add(new("dataset", model.Dataset.Description));
        return entries;
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        using var stream = new MemoryStream();
        // Class names as they are (KMNIST's お rather than \u304A): the text is metadata, never embedded in HTML.
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
