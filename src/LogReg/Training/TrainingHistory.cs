using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogReg.Training;

/// <summary>The per-epoch record of a training run, writable as CSV and JSON with the same snake_case column names.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs = [];

    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    public void Add(EpochRecord record) => _epochs.Add(record);

    public static readonly string[] Columns =
    [
        "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy",
        "learning_rate", "l1_norm", "l2_norm", "elapsed_seconds",
    ];

    public string ToCsv()
    {
        var text = new StringBuilder().AppendJoin(',', Columns).Append('\n');
        foreach (var e in _epochs)
        {
            text.AppendJoin(',', Values(e).Select(v => v is null ? "" : Format(v.Value))).Append('\n');
        }

        return text.ToString();
    }

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

    private static double?[] Values(EpochRecord e) =>
    [
        e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.TestLoss, e.TestAccuracy,
        e.LearningRate, e.L1Norm, e.L2Norm, e.ElapsedSeconds,
    ];

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
