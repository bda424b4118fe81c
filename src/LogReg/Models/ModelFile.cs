using System.Globalization;
using System.Text;
using System.Text.Json;
using LogReg.Common;
using LogReg.Core;
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
public static partial class ModelFile
{
    /// <summary>The value of the model file's <c>format</c> field.</summary>
    public const string Format = "logreg-model";
    /// <summary>
    /// 2: the "training" object holds every option of <see cref="TrainingOptionSchema"/> as a flat key (version 1 nested the
    /// schedule and left out lbfgs_memory and max_iter). Version 1 files are still read.
    /// 3: a model trained on a table also holds a "table" object (label column and feature names, see
    /// <see cref="TableSchema"/>); only such models are written as version 3, so image models stay readable by the
    /// LogReg before it, and that LogReg refuses a table model rather than taking it for an image model.
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The version written for image models (no "table" object).</summary>
    private const int ImageFormatVersion = 2;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (model.json) atomically.</summary>
    public static void Save(TrainedModel model, string path) => AtomicFile.WriteAllBytes(path, Serialize(model));

    /// <summary>The model file's bytes (UTF-8 JSON) for <paramref name="model"/>.</summary>
    public static byte[] Serialize(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.Model;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("format_version", model.Table is null ? ImageFormatVersion : FormatVersion);
            json.WriteString("created_by", model.CreatedBy);
            json.WriteString("kind", KindName(m.Kind));
            json.WritePropertyName("class_names");
            json.WriteRawValue(Compact(w => WriteStrings(w, m.ClassNames)));
            json.WritePropertyName("image_shape");
            json.WriteRawValue(Compact(w => WriteInts(w, [model.Shape.Height, model.Shape.Width])));
            if (model.Table is { } table)
            {
                json.WriteStartObject("table");
                json.WriteString("label_column", table.LabelColumn);
                json.WritePropertyName("feature_names");
                json.WriteRawValue(Compact(w => WriteStrings(w, table.FeatureNames)));
                json.WritePropertyName("class_names");
                json.WriteRawValue(Compact(w => WriteStrings(w, table.ClassNames)));
                json.WriteEndObject();
            }

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
        var bytes = DataFile.ReadAllBytes(path, Common.Limits.MaxModelFileBytes);
        if (bytes.Length == 0)
        {
            throw new LogRegDataException(path, "file is empty");
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

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value) => JsonNumbers.WriteFiniteOrNull(json, name, value);

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
        json.WriteBoolean("shuffle_validation", preparation.ShuffleValidation);
        json.WriteEndObject();
    }

    /// <summary>The training options as the JSON object a model file holds under "training" (exports quote it too).</summary>
    public static string TrainingOptionsJson(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Compact(json => WriteOptions(json, options, propertyName: null));
    }

    /// <summary>Every option of the schema, as a JSON number, boolean or string by its kind.</summary>
    private static void WriteOptions(Utf8JsonWriter json, TrainingOptions o, string? propertyName = "training")
    {
        if (propertyName is null)
        {
            json.WriteStartObject();
        }
        else
        {
            json.WriteStartObject(propertyName);
        }

        foreach (var option in TrainingOptionSchema.All.Where(o => o.InModelFile))
        {
            var text = option.Format(o);
            switch (option.Kind)
            {
                case OptionValueKind.Number:
                    json.WriteNumber(option.Key, double.Parse(text, CultureInfo.InvariantCulture));
                    break;
                case OptionValueKind.Whole:
                    json.WriteNumber(option.Key, int.Parse(text, CultureInfo.InvariantCulture));
                    break;
                case OptionValueKind.Flag:
                    json.WriteBoolean(option.Key, text == "true");
                    break;
                default:
                    json.WriteString(option.Key, text);
                    break;
            }
        }

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
        json.WriteString("stop_reason", FinalMetrics.StopReasonName(m.StopReason));
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
            if (version is < 1 or > FormatVersion)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"model format version {version} is not supported (this LogReg reads versions 1 to {FormatVersion}); retrain the model or use the LogReg that wrote it"));
            }

            var kindName = String(root, "kind");
            var kind = ParseKind(kindName) ?? throw Error($"unknown model kind '{kindName}' (expected logistic, softmax or ovr)");
            var classNames = Strings(root, "class_names");
            if (classNames.Length > Common.Limits.MaxClasses)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"class_names has {classNames.Length} entries, more than the limit of {Common.Limits.MaxClasses} classes"));
            }

            if (classNames.Length < 2 || (kind == ModelKind.Logistic && classNames.Length != 2))
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"class_names has {classNames.Length} entries; a {kindName} model needs {(kind == ModelKind.Logistic ? "exactly 2" : "at least 2")}"));
            }

            var shapeValues = Numbers(root, "image_shape");
            if (shapeValues.Length != 2 || shapeValues.Any(v => v < 1 || v > 65536 || Math.Floor(v) != v))
            {
                throw Error("image_shape must be [height, width] with positive whole numbers");
            }

            // 64-bit products: 65535x65535 is 4,294,836,225 pixels, which an int would turn negative.
            var pixels = (long)shapeValues[0] * (long)shapeValues[1];
            var outputs = kind == ModelKind.Logistic ? 1 : classNames.Length;
            if (pixels > Common.Limits.MaxFeatures || pixels * outputs > Common.Limits.MaxModelFloats)
            {
                throw Error(string.Create(
                    CultureInfo.InvariantCulture,
                    $"image_shape {shapeValues[0]}x{shapeValues[1]} with {outputs} output unit(s) needs {pixels} features and {pixels * outputs} weights, more than the limits of {Common.Limits.MaxFeatures} features and {Common.Limits.MaxModelFloats} weights"));
            }

            var shape = new ImageShape((int)shapeValues[0], (int)shapeValues[1]);
            var features = shape.PixelCount;

            var table = version >= 3 && root.TryGetProperty("table", out var tableElement) ? ReadTable(tableElement, shape) : null;
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

            if (table is null)
            {
                CheckScoresFinite(weights, bias, features, offset, scale); // a table's features have no fixed range to bound
            }

            var parameters = new LinearParameters(weights, bias, features);
            var options = ReadOptions(Object(root, "training"), version);
            if (options.Decision != Decision.Scores && kind != ModelKind.OneVsRest)
            {
                throw Error("'training.decision' probabilities applies to one-vs-rest models only");
            }

            var model = LinearModel.Create(kind, parameters, classNames, threshold, options.Decision);
            var metrics = FinalMetrics.Read(Object(root, "metrics"));
            var dataset = Object(root, "dataset");
            var reference = new DatasetReference(
                String(dataset, "name"),
                String(dataset, "description"),
                String(dataset, "train_sha256"),
                dataset.TryGetProperty("test_sha256", out var ts) && ts.ValueKind == JsonValueKind.String ? ts.GetString() : null);
            return new TrainedModel(model, new FeatureScaler(preparation.Scaling, offset, scale), shape, preparation, options, metrics, reference, String(root, "created_by"))
            {
                Table = table,
            };
        }

        /// <summary>The label column and the feature names, one per feature, each named once.</summary>
        private TableSchema ReadTable(JsonElement element, ImageShape shape)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error("'table' must be an object");
            }

            var label = String(element, "label_column");
            var names = Strings(element, "feature_names");
            if (shape.Height != 1 || names.Length != shape.PixelCount)
            {
                throw Error(string.Create(CultureInfo.InvariantCulture, $"table.feature_names has {names.Length} names but image_shape {shape} gives {shape.PixelCount} features; a table model has image_shape [1, features]"));
            }

            if (string.IsNullOrEmpty(label) || names.Any(string.IsNullOrEmpty) || names.Distinct(StringComparer.Ordinal).Count() != names.Length || names.Contains(label))
            {
                throw Error("table.feature_names must be distinct non-empty names, none the label_column");
            }

            var classes = Strings(element, "class_names");
            if (classes.Length is < 2 or > Common.Limits.MaxClasses || classes.Distinct(StringComparer.Ordinal).Count() != classes.Length)
            {
                throw Error("table.class_names must be 2 to 1000 distinct names (the training file's labels)");
            }

            return new TableSchema(label, names, classes);
        }

        /// <summary>
        /// Finite weights can still overflow a 32-bit score: 1e30 x 255 x 784 pixels is beyond float range, and the
        /// probabilities become NaN. The largest |score| any image (pixels 0..255) can reach is bounded by
        /// |b| + Σ |w_j| max(|0 − offset_j|, |255 − offset_j|) |scale_j|; a model whose bound is not a finite float is
        /// refused here rather than predicting NaN later.
        /// </summary>
        private void CheckScoresFinite(float[] weights, float[] bias, int features, float[] offset, float[] scale)
        {
            for (var unit = 0; unit < bias.Length; unit++)
            {
                double bound = Math.Abs(bias[unit]);
                for (var j = 0; j < features; j++)
                {
                    var x = Math.Max(Math.Abs(0.0 - offset[j]), Math.Abs(255.0 - offset[j])) * Math.Abs((double)scale[j]);
                    bound += Math.Abs((double)weights[unit * features + j]) * x;
                }

                if (!(bound <= float.MaxValue))
                {
                    throw Error(string.Create(CultureInfo.InvariantCulture, $"weights[{unit}] and bias[{unit}] can give scores of {bound:g3}, beyond a 32-bit float: predictions would be NaN (the weights are too large)"));
                }
            }
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

                // Files written before the option existed drew a random hold-out.
                ShuffleValidation = !(element.TryGetProperty("shuffle_validation", out var sv) && sv.ValueKind == JsonValueKind.False),
            };
        }

        /// <summary>
        /// The options through the schema, each checked for its JSON type and its value; a missing key keeps the
        /// default. Version 1 files nest the schedule in an object and give L-BFGS's iteration limit as epochs.
        /// </summary>
        private TrainingOptions ReadOptions(JsonElement e, int version)
        {
            var options = new TrainingOptions();
            foreach (var option in TrainingOptionSchema.All.Where(o => o.InModelFile))
            {
                if (!e.TryGetProperty(option.Key, out var value) || (version == 1 && option.Key == "schedule"))
                {
                    continue;
                }

                options = ApplyOption(options, option, value, $"training.{option.Key}");
            }

            if (version == 1)
            {
                if (e.TryGetProperty("schedule", out var schedule) && schedule.ValueKind == JsonValueKind.Object)
                {
                    options = options with { Schedule = LearningRateSchedule.Constant };
                    foreach (var (legacy, key) in new[] { ("kind", "schedule"), ("decay_epochs", "decay_epochs"), ("decay_rate", "decay_rate"), ("min_learning_rate", "min_learning_rate") })
                    {
                        if (schedule.TryGetProperty(legacy, out var value))
                        {
                            options = ApplyOption(options, TrainingOptionSchema.Find(key)!, value, $"training.schedule.{legacy}");
                        }
                    }
                }

                if (options.Optimizer == OptimizerKind.Lbfgs && !e.TryGetProperty("max_iter", out _))
                {
                    options = options with { MaxIterations = options.Epochs };
                }
            }

            return options;
        }

        private TrainingOptions ApplyOption(TrainingOptions options, TrainingOptionDefinition option, JsonElement value, string field)
        {
            var expected = option.Kind switch
            {
                OptionValueKind.Number or OptionValueKind.Whole => value.ValueKind == JsonValueKind.Number,
                OptionValueKind.Flag => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                _ => value.ValueKind == JsonValueKind.String,
            };
            if (!expected)
            {
                throw Error($"'{field}' must be {(option.Kind switch { OptionValueKind.Flag => "true or false", OptionValueKind.Choice => "text", _ => "a number" })} (found {Describe(value.ValueKind)})");
            }

            try
            {
                return option.Apply(options, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
            }
            catch (FormatException problem)
            {
                throw Error($"'{field}': {problem.Message}");
            }
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
