using System.Globalization;
using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Data;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Models;

/// <summary>
/// The model file: versioned JSON holding the model kind, classes and class names, image shape, the data preparation
/// with its fitted scaling statistics, weights, bias, training options, final metrics and the data checksums. Written
/// atomically (temp file + rename); loading validates the version, every shape and that every number is finite. The
/// bytes depend only on the model, so the same training gives the same file.
/// </summary>
public static class ModelFile
{
    public const string Format = "logreg-model";
    public const int FormatVersion = 1;

    public static void Save(TrainedModel model, string path) => AtomicFile.WriteAllBytes(path, Serialize(model));

    public static byte[] Serialize(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.Model;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("format_version", FormatVersion);
            json.WriteString("created_by", model.CreatedBy);
            json.WriteString("kind", KindName(m.Kind));
            json.WritePropertyName("class_names");
            json.WriteRawValue(Compact(w => WriteStrings(w, m.ClassNames)));
            json.WritePropertyName("image_shape");
            json.WriteRawValue(Compact(w => WriteInts(w, [model.Shape.Height, model.Shape.Width])));
            WritePreparation(json, model.Preparation);
            json.WriteStartObject("scaler");
            json.WritePropertyName("offset");
            json.WriteRawValue(Compact(w => WriteFloats(w, model.Scaler.Offset)));
            json.WritePropertyName("scale");
            json.WriteRawValue(Compact(w => WriteFloats(w, model.Scaler.Scale)));
            json.WriteEndObject();
            if (m is LogisticRegressionModel logistic)
            {
                json.WriteNumber("threshold", logistic.Threshold);
            }

            json.WritePropertyName("bias");
            json.WriteRawValue(Compact(w => WriteFloats(w, m.Bias)));
            json.WriteStartArray("weights");
            for (var k = 0; k < m.Outputs; k++)
            {
                var row = m.WeightsOf(k).ToArray();
                json.WriteRawValue(Compact(w => WriteFloats(w, row)));
            }

            json.WriteEndArray();
            WriteOptions(json, model.Options);
            WriteMetrics(json, model.Metrics);
            json.WriteStartObject("dataset");
            json.WriteString("name", model.Dataset.Name);
            json.WriteString("description", model.Dataset.Description);
            json.WriteString("train_sha256", model.Dataset.TrainSha256);
            if (model.Dataset.TestSha256 is { } testSha)
            {
                json.WriteString("test_sha256", testSha);
            }
            else
            {
                json.WriteNull("test_sha256");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Loads and validates a model file; any problem is a <see cref="LogRegDataException"/> naming the file.</summary>
    public static TrainedModel Load(string path)
    {
        byte[] bytes;
        using (var file = DataFile.OpenRead(path))
        {
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }

        // JsonDocument checks UTF-8 inside strings only when a string is read, and then throws InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"not valid JSON (line {LineOfFirstInvalidUtf8(bytes)}): the text is not UTF-8"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"not valid JSON (line {e.LineNumber + 1}): {FirstSentence(e.Message)}"), e);
        }

        using (document)
        {
            return new Reader(path).Read(document.RootElement);
        }
    }

    public static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Logistic => "logistic",
        ModelKind.Softmax => "softmax",
        _ => "ovr",
    };

    public static ModelKind? ParseKind(string? name) => name switch
    {
        "logistic" => ModelKind.Logistic,
        "softmax" => ModelKind.Softmax,
        "ovr" => ModelKind.OneVsRest,
        _ => null,
    };

    /// <summary>
    /// The parser's explanation on one short line: it quotes the offending text, which for a bad literal is the rest of
    /// the file, line breaks and all.
    /// </summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = string.Join(' ', (end > 0 ? message[..end] : message).TrimEnd('.').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 100), " ... ", text.AsSpan(text.Length - 100));
    }

    private static int LineOfFirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var line = 1;
        while (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            line += rune.Value == '\n' ? 1 : 0;
            bytes = bytes[consumed..];
        }

        return line;
    }

    private static string Compact(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFloats(Utf8JsonWriter json, ReadOnlySpan<float> values)
    {
        json.WriteStartArray();
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new InvalidOperationException("a model with non-finite numbers cannot be saved");
            }

            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter json, int[] values)
    {
        json.WriteStartArray();
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, IEnumerable<string> values)
    {
        json.WriteStartArray();
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WritePreparation(Utf8JsonWriter json, DataPreparation preparation)
    {
        json.WriteStartObject("preparation");
        json.WriteStartObject("classes");
        json.WriteString("kind", preparation.Classes.Kind switch
        {
            ClassSubsetKind.All => "all",
            ClassSubsetKind.Pair => "pair",
            _ => "one_vs_rest",
        });
        if (preparation.Classes.Kind == ClassSubsetKind.Pair)
        {
            json.WriteNumber("negative", preparation.Classes.Negative);
        }

        if (preparation.Classes.Kind != ClassSubsetKind.All)
        {
            json.WriteNumber("positive", preparation.Classes.Positive);
        }

        json.WriteEndObject();
        WriteNullable(json, "train_first", preparation.TrainFirst);
        WriteNullable(json, "train_last", preparation.TrainLast);
        WriteNullable(json, "test_first", preparation.TestFirst);
        WriteNullable(json, "test_last", preparation.TestLast);
        json.WriteString("scaling", ScalingName(preparation.Scaling));
        json.WriteBoolean("stratify_validation", preparation.StratifyValidation);
        json.WriteEndObject();
    }

    public static string ScalingName(ScalingKind scaling) => scaling switch
    {
        ScalingKind.None => "none",
        ScalingKind.Divide255 => "divide255",
        ScalingKind.MinMax => "minmax",
        _ => "zscore",
    };

    public static ScalingKind? ParseScaling(string? name) => name switch
    {
        "none" => ScalingKind.None,
        "divide255" => ScalingKind.Divide255,
        "minmax" => ScalingKind.MinMax,
        "zscore" => ScalingKind.ZScore,
        _ => null,
    };

    private static void WriteOptions(Utf8JsonWriter json, TrainingOptions o)
    {
        json.WriteStartObject("training");
        json.WriteString("optimizer", o.Optimizer.ToString().ToLowerInvariant());
        json.WriteNumber("learning_rate", o.LearningRate);
        json.WriteNumber("batch_size", o.BatchSize);
        json.WriteNumber("epochs", o.Epochs);
        json.WriteNumber("momentum", o.Momentum);
        json.WriteBoolean("nesterov", o.Nesterov);
        json.WriteString("penalty", o.Penalty.ToString().ToLowerInvariant());
        json.WriteNumber("lambda", o.Lambda);
        json.WriteNumber("l1_ratio", o.L1Ratio);
        json.WriteString("l1_mode", o.L1Mode.ToString().ToLowerInvariant());
        json.WriteBoolean("fit_intercept", o.FitIntercept);
        json.WriteBoolean("penalize_bias", o.PenalizeBias);
        json.WriteString("reduction", o.Reduction.ToString().ToLowerInvariant());
        json.WriteStartObject("schedule");
        json.WriteString("kind", o.Schedule.Kind.ToString().ToLowerInvariant());
        json.WriteNumber("decay_epochs", o.Schedule.DecayEpochs);
        json.WriteNumber("decay_rate", o.Schedule.DecayRate);
        json.WriteNumber("min_learning_rate", o.Schedule.MinLearningRate);
        json.WriteEndObject();
        json.WriteString("init", o.Init.ToString().ToLowerInvariant());
        json.WriteNumber("init_std", o.InitStd);
        json.WriteNumber("seed", o.Seed);
        json.WriteBoolean("shuffle", o.Shuffle);
        json.WriteNumber("validation_fraction", o.ValidationFraction);
        json.WriteBoolean("early_stopping", o.EarlyStopping);
        json.WriteString("monitor", o.Monitor == MonitorMetric.ValidationLoss ? "val_loss" : "val_accuracy");
        json.WriteNumber("patience", o.Patience);
        json.WriteNumber("min_delta", o.MinDelta);
        json.WriteBoolean("restore_best_weights", o.RestoreBestWeights);
        json.WriteNumber("tol", o.Tol);
        json.WriteNumber("loss_tol", o.LossTol);
        json.WriteNumber("threshold", o.Threshold);
        json.WriteNumber("divergence_threshold", o.DivergenceThreshold);
        json.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter json, FinalMetrics m)
    {
        json.WriteStartObject("metrics");
        WriteNullable(json, "train_accuracy", m.TrainAccuracy);
        WriteNullable(json, "train_loss", m.TrainLoss);
        WriteNullable(json, "val_accuracy", m.ValidationAccuracy);
        WriteNullable(json, "val_loss", m.ValidationLoss);
        WriteNullable(json, "test_accuracy", m.TestAccuracy);
        WriteNullable(json, "test_loss", m.TestLoss);
        json.WriteNumber("epochs_run", m.EpochsRun);
        json.WriteNumber("best_epoch", m.BestEpoch);
        json.WriteString("stop_reason", m.StopReason);
        json.WriteEndObject();
    }

    /// <summary>Reads the JSON tree, naming the offending field in every error.</summary>
    private sealed class Reader(string path)
    {
        public TrainedModel Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error("the top level must be a JSON object");
            }

            var format = String(root, "format");
            if (format != Format)
            {
                throw Error($"not a LogReg model file (format is '{format}', expected '{Format}')");
            }

            var version = Int(root, "format_version");
            if (version != FormatVersion)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"model format version {version} is not supported (this LogReg reads version {FormatVersion}); retrain the model or use the LogReg that wrote it"));
            }

            var kindName = String(root, "kind");
            var kind = ParseKind(kindName) ?? throw Error($"unknown model kind '{kindName}' (expected logistic, softmax or ovr)");
            var classNames = Strings(root, "class_names");
            if (classNames.Length < 2 || (kind == ModelKind.Logistic && classNames.Length != 2))
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"class_names has {classNames.Length} entries; a {kindName} model needs {(kind == ModelKind.Logistic ? "exactly 2" : "at least 2")}"));
            }

            var shapeValues = Numbers(root, "image_shape");
            if (shapeValues.Length != 2 || shapeValues.Any(v => v < 1 || v > 65536 || Math.Floor(v) != v))
            {
                throw Error("image_shape must be [height, width] with positive whole numbers");
            }

            var shape = new ImageShape((int)shapeValues[0], (int)shapeValues[1]);
            var features = shape.PixelCount;
            var outputs = kind == ModelKind.Logistic ? 1 : classNames.Length;

            var preparation = ReadPreparation(Object(root, "preparation"), classNames.Length);
            var scalerElement = Object(root, "scaler");
            var offset = Floats(scalerElement, "offset", "scaler.offset", features);
            var scale = Floats(scalerElement, "scale", "scaler.scale", features);
            var bias = Floats(root, "bias", "bias", outputs);
            var weightsElement = Property(root, "weights", JsonValueKind.Array);
            if (weightsElement.GetArrayLength() != outputs)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"weights has {weightsElement.GetArrayLength()} rows; a {kindName} model with {classNames.Length} classes needs {outputs}"));
            }

            var weights = new float[outputs * features];
            var row = 0;
            foreach (var rowElement in weightsElement.EnumerateArray())
            {
                var values = FloatArray(rowElement, string.Create(CultureInfo.InvariantCulture, $"weights[{row}]"), features);
                values.CopyTo(weights, row * features);
                row++;
            }

            var threshold = kind == ModelKind.Logistic && root.TryGetProperty("threshold", out var t) ? Finite(t, "threshold") : 0.5;
            if (!(threshold > 0 && threshold < 1))
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"threshold must be in (0, 1) (was {threshold})"));
            }

            var parameters = new LinearParameters(weights, bias, features);
            var model = LinearModel.Create(kind, parameters, classNames, threshold);
            var options = ReadOptions(Object(root, "training"));
            var metrics = FinalMetrics.Read(Object(root, "metrics"));
            var dataset = Object(root, "dataset");
            var reference = new DatasetReference(
                String(dataset, "name"),
                String(dataset, "description"),
                String(dataset, "train_sha256"),
                dataset.TryGetProperty("test_sha256", out var ts) && ts.ValueKind == JsonValueKind.String ? ts.GetString() : null);
            return new TrainedModel(model, new FeatureScaler(preparation.Scaling, offset, scale), shape, preparation, options, metrics, reference, String(root, "created_by"));
        }

        private DataPreparation ReadPreparation(JsonElement element, int classCount)
        {
            var classes = Object(element, "classes");
            var kind = String(classes, "kind");
            var subset = kind switch
            {
                "all" => ClassSubset.All,
                "pair" => ClassSubset.Pair(Int(classes, "negative"), Int(classes, "positive")),
                "one_vs_rest" => ClassSubset.OneVsRest(Int(classes, "positive")),
                _ => throw Error($"preparation.classes.kind '{kind}' is not one of all, pair, one_vs_rest"),
            };
            if (subset.Kind != ClassSubsetKind.All && classCount != 2)
            {
                throw Error("a model trained on a class pair or one class against the rest must have 2 class names");
            }

            var scalingName = String(element, "scaling");
            var scaling = ParseScaling(scalingName) ?? throw Error($"preparation.scaling '{scalingName}' is not one of none, divide255, minmax, zscore");
            return new DataPreparation
            {
                Classes = subset,
                TrainFirst = OptionalInt(element, "train_first"),
                TrainLast = OptionalInt(element, "train_last"),
                TestFirst = OptionalInt(element, "test_first"),
                TestLast = OptionalInt(element, "test_last"),
                Scaling = scaling,
                StratifyValidation = element.TryGetProperty("stratify_validation", out var s) && s.ValueKind == JsonValueKind.True,
            };
        }

        private static TrainingOptions ReadOptions(JsonElement e)
        {
            T Enum<T>(string name, T fallback)
                where T : struct, Enum =>
                e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && System.Enum.TryParse<T>(v.GetString()!.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) ? parsed : fallback;
            double Number(string name, double fallback) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
            bool Flag(string name, bool fallback) => e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

            var defaults = new TrainingOptions();
            var schedule = LearningRateSchedule.Constant;
            if (e.TryGetProperty("schedule", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                schedule = new LearningRateSchedule
                {
                    Kind = s.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String && System.Enum.TryParse<ScheduleKind>(k.GetString()?.Replace("-", "", StringComparison.Ordinal), true, out var sk) ? sk : ScheduleKind.Constant,
                    DecayEpochs = s.TryGetProperty("decay_epochs", out var de) && de.ValueKind == JsonValueKind.Number ? de.GetDouble() : 1,
                    DecayRate = s.TryGetProperty("decay_rate", out var dr) && dr.ValueKind == JsonValueKind.Number ? dr.GetDouble() : 0.5,
                    MinLearningRate = s.TryGetProperty("min_learning_rate", out var ml) && ml.ValueKind == JsonValueKind.Number ? ml.GetDouble() : 0,
                };
            }

            return new TrainingOptions
            {
                Optimizer = Enum("optimizer", defaults.Optimizer),
                LearningRate = Number("learning_rate", defaults.LearningRate),
                BatchSize = (int)Number("batch_size", defaults.BatchSize),
                Epochs = (int)Number("epochs", defaults.Epochs),
                Momentum = Number("momentum", defaults.Momentum),
                Nesterov = Flag("nesterov", defaults.Nesterov),
                Penalty = Enum("penalty", defaults.Penalty),
                Lambda = Number("lambda", defaults.Lambda),
                L1Ratio = Number("l1_ratio", defaults.L1Ratio),
                L1Mode = Enum("l1_mode", defaults.L1Mode),
                FitIntercept = Flag("fit_intercept", defaults.FitIntercept),
                PenalizeBias = Flag("penalize_bias", defaults.PenalizeBias),
                Reduction = Enum("reduction", defaults.Reduction),
                Schedule = schedule,
                Init = Enum("init", defaults.Init),
                InitStd = Number("init_std", defaults.InitStd),
                Seed = (int)Number("seed", defaults.Seed),
                Shuffle = Flag("shuffle", defaults.Shuffle),
                ValidationFraction = Number("validation_fraction", defaults.ValidationFraction),
                EarlyStopping = Flag("early_stopping", defaults.EarlyStopping),
                Monitor = e.TryGetProperty("monitor", out var mon) && mon.GetString() == "val_accuracy" ? MonitorMetric.ValidationAccuracy : MonitorMetric.ValidationLoss,
                Patience = (int)Number("patience", defaults.Patience),
                MinDelta = Number("min_delta", defaults.MinDelta),
                RestoreBestWeights = Flag("restore_best_weights", defaults.RestoreBestWeights),
                Tol = Number("tol", defaults.Tol),
                LossTol = Number("loss_tol", defaults.LossTol),
                Threshold = Number("threshold", defaults.Threshold),
                DivergenceThreshold = Number("divergence_threshold", defaults.DivergenceThreshold),
            };
        }

        private JsonElement Property(JsonElement parent, string name, JsonValueKind kind)
        {
            if (!parent.TryGetProperty(name, out var value))
            {
                throw Error($"missing '{name}'");
            }

            if (value.ValueKind != kind)
            {
                throw Error($"'{name}' must be {Describe(kind)} (found {Describe(value.ValueKind)})");
            }

            return value;
        }

        private JsonElement Object(JsonElement parent, string name) => Property(parent, name, JsonValueKind.Object);

        private string String(JsonElement parent, string name) => Property(parent, name, JsonValueKind.String).GetString()!;

        private int Int(JsonElement parent, string name)
        {
            var value = Property(parent, name, JsonValueKind.Number);
            return value.TryGetInt32(out var i) ? i : throw Error($"'{name}' must be a whole number");
        }

        private static int? OptionalInt(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

        private string[] Strings(JsonElement parent, string name) =>
            Property(parent, name, JsonValueKind.Array).EnumerateArray()
                .Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Error(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] must be a string")))
                .ToArray();

        private double[] Numbers(JsonElement parent, string name) =>
            Property(parent, name, JsonValueKind.Array).EnumerateArray()
                .Select((e, i) => Finite(e, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]")))
                .ToArray();

        private float[] Floats(JsonElement parent, string name, string label, int expectedLength)
        {
            if (!parent.TryGetProperty(name, out var array))
            {
                throw Error($"missing '{label}'");
            }

            return FloatArray(array, label, expectedLength);
        }

        private float[] FloatArray(JsonElement array, string label, int expectedLength)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw Error($"'{label}' must be an array of numbers");
            }

            var length = array.GetArrayLength();
            if (length != expectedLength)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"{label} has {length} values; the model's shape needs {expectedLength}"));
            }

            var values = new float[length];
            var i = 0;
            foreach (var element in array.EnumerateArray())
            {
                var value = Finite(element, string.Create(CultureInfo.InvariantCulture, $"{label}[{i}]"));
                if (Math.Abs(value) > float.MaxValue)
                {
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"{label}[{i}] = {value} does not fit a 32-bit float"));
                }

                values[i++] = (float)value;
            }

            return values;
        }

        /// <summary>A finite number; NaN and infinities (also written as strings) are reported as such.</summary>
        private double Finite(JsonElement element, string label)
        {
            double value;
            if (element.ValueKind == JsonValueKind.Number)
            {
                value = element.GetDouble();
            }
            else if (element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && !double.IsFinite(parsed))
            {
                value = parsed;
            }
            else
            {
                throw Error($"{label} must be a number (found {Describe(element.ValueKind)})");
            }

            if (!double.IsFinite(value))
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"{label} is {value}; every number in a model must be finite"));
            }

            return value;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true or false",
            _ => "null",
        };

        private LogRegDataException Error(string problem) => new(path, problem);
    }
}
