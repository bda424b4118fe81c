using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogReg.Training;

/// <summary>The per-epoch record of a training run, writable as CSV and JSON with the same snake_case column names.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>One record per epoch, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Appends <paramref name="record"/>.</summary>
    public void Add(EpochRecord record) => _epochs.Add(record);

    /// <summary>The columns of the CSV history.</summary>
    public static readonly string[] Columns =
    [
        "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy",
        "learning_rate", "l1_norm", "l2_norm", "elapsed_seconds",
    ];

    /// <summary>The history as CSV, one row per epoch.</summary>
    public string ToCsv()
    {
        var text = new StringBuilder().AppendJoin(',', Columns).Append('\n');
        foreach (var e in _epochs)
        {
            text.AppendJoin(',', Values(e).Select(v => v is null ? "" : Format(v.Value))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The history as JSON.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var e in _epochs)
            {
                json.WriteStartObject();
                var values = Values(e);
                for (var i = 0; i < Columns.Length; i++)
                {
                    json.WritePropertyName(Columns[i]);
                    if (values[i] is not { } v || !double.IsFinite(v))
                    {
                        json.WriteNullValue();
                    }
                    else if (i == 0)
                    {
                        json.WriteNumberValue((int)v);
                    }
                    else
                    {
                        json.WriteNumberValue(v);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Reads a history.json written by <see cref="ToJson"/>.</summary>
    /// <exception cref="Data.LogRegDataException">The file is missing, not JSON, or not a history.</exception>
    public static TrainingHistory ReadJson(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Data.LogRegDataException(path, $"cannot read the training history ({e.Message})", e);
        }

        var history = new TrainingHistory();
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new Data.LogRegDataException(path, "not a training history: expected a JSON array of epochs");
            }

            var index = 0;
            foreach (var e in document.RootElement.EnumerateArray())
            {
                index++;
                double? Optional(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
                double Required(string name) => Optional(name) ?? (e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Null
                    ? double.NaN
                    : throw new Data.LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"epoch entry {index} has no number '{name}'")));
                history.Add(new EpochRecord(
                    (int)Required("epoch"),
                    Required("train_loss"),
                    Required("train_accuracy"),
                    Optional("val_loss"),
                    Optional("val_accuracy"),
                    Optional("test_loss"),
                    Optional("test_accuracy"),
                    Required("learning_rate"),
                    Required("l1_norm"),
                    Required("l2_norm"),
                    Required("elapsed_seconds")));
            }
        }
        catch (JsonException e)
        {
            throw new Data.LogRegDataException(path, $"not valid JSON ({e.Message.Split('.')[0]})", e);
        }

        return history;
    }

    private static double?[] Values(EpochRecord e) =>
    [
        e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.TestLoss, e.TestAccuracy,
        e.LearningRate, e.L1Norm, e.L2Norm, e.ElapsedSeconds,
    ];

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
