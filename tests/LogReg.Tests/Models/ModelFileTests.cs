using System.Text;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Models;

public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static TrainingOutcome TrainSmall(ModelKind kind = ModelKind.Softmax, DataPreparation? preparation = null)
    {
        var train = Synthetic.Images(120, 4, seed: 1);
        var test = Synthetic.Images(40, 4, seed: 2);
        preparation ??= new DataPreparation { Scaling = ScalingKind.ZScore };
        if (kind == ModelKind.Logistic && !preparation.Classes.IsBinary)
        {
            preparation = preparation with { Classes = ClassSubset.Pair(1, 3) };
        }

        var data = PreparedData.Prepare(train, test, preparation, validationFraction: 0.2, seed: 5);
        return TrainingPipeline.Train(data, kind, new TrainingOptions { Epochs = 4, BatchSize = 16, Seed = 3 });
    }

    [Theory]
    [InlineData(ModelKind.Logistic)]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    public void Save_and_load_round_trip_gives_identical_predictions_and_bytes(ModelKind kind)
    {
        var outcome = TrainSmall(kind);
        var path = _dir.File("model.json");

        ModelFile.Save(outcome.Model, path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(kind, loaded.Kind);
        Assert.Equal(outcome.Model.ClassNames, loaded.ClassNames);
        Assert.Equal(outcome.Model.Model.Weights.ToArray(), loaded.Model.Weights.ToArray());
        Assert.Equal(outcome.Model.Scaler.Offset, loaded.Scaler.Offset);
        Assert.Equal(outcome.Model.Preparation, loaded.Preparation);
        Assert.Equal(outcome.Model.Options, loaded.Options);
        Assert.Equal(outcome.Model.Metrics, loaded.Metrics);
        Assert.Equal(outcome.Model.Dataset, loaded.Dataset);
        var images = Synthetic.Images(30, 4, seed: 9);
        for (var i = 0; i < images.Count; i++)
        {
            var before = outcome.Model.Predict(images.Image(i));
            var after = loaded.Predict(images.Image(i));
            Assert.Equal(before.Class, after.Class);
            Assert.Equal(before.Probabilities, after.Probabilities);
        }

        Assert.Equal(File.ReadAllBytes(path), ModelFile.Serialize(loaded));
    }

    [Fact]
    public void A_model_trained_with_the_penalty_per_sample_keeps_that_reading_through_save_and_load_and_older_files_read_as_once_per_batch()
    {
        var train = Synthetic.Images(120, 4, seed: 1);
        var data = PreparedData.Prepare(train, null, new DataPreparation { Classes = ClassSubset.Pair(1, 3), Scaling = ScalingKind.Divide255 });
        var options = new TrainingOptions { Epochs = 3, BatchSize = 0, Momentum = 0, Reduction = Reduction.Sum, Penalty = Penalty.L1, Lambda = 0.01, L1Mode = L1Mode.Subgradient, PenaltyPerSample = true, LearningRate = 0.001 };
        var model = TrainingPipeline.Train(data, ModelKind.Logistic, options).Model;
        var path = _dir.File("model.json");

        ModelFile.Save(model, path);
        var loaded = ModelFile.Load(path);

        Assert.True(loaded.Options.PenaltyPerSample);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Contains("\"penalty_per_sample\": true", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("penalty per sample", loaded.Options.Describe(), StringComparison.Ordinal);

        // A file written before the option existed has no key: it was trained with the penalty once per batch.
        var older = _dir.File("older.json");
        File.WriteAllText(older, File.ReadAllText(path).Replace("\"penalty_per_sample\": true,", "", StringComparison.Ordinal));
        Assert.False(ModelFile.Load(older).Options.PenaltyPerSample);
    }

    [Fact]
    public void A_first_images_holdout_is_recorded_in_the_model_file_and_older_files_read_as_a_random_one()
    {
        var train = Synthetic.Images(120, 4, seed: 1);
        var data = PreparedData.Prepare(train, null, new DataPreparation { ShuffleValidation = false }, validationFraction: 0.2, seed: 5);
        var outcome = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3 });
        var path = _dir.File("model.json");

        // The hold-out is the first 20 % of the 120 training images, in file order.
        Assert.Equal(24, data.Validation!.Count);
        Assert.Equal(train.Image(0).ToArray(), data.Validation.Image(0).ToArray());
        Assert.Equal(train.Image(23).ToArray(), data.Validation.Image(23).ToArray());
        Assert.Equal(train.Image(24).ToArray(), data.Train.Image(0).ToArray());
        ModelFile.Save(outcome.Model, path);
        Assert.False(ModelFile.Load(path).Preparation.ShuffleValidation);
        Assert.Contains("\"shuffle_validation\": false", File.ReadAllText(path), StringComparison.Ordinal);

        var older = _dir.File("older.json");
        File.WriteAllText(older, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), ",\\s*\"shuffle_validation\": false", ""));
        Assert.DoesNotContain("shuffle_validation", File.ReadAllText(older), StringComparison.Ordinal);
        Assert.True(ModelFile.Load(older).Preparation.ShuffleValidation);
    }

    [Fact]
    public void Model_file_records_format_kind_classes_shape_preparation_and_checksums()
    {
        var outcome = TrainSmall(ModelKind.Logistic, new DataPreparation { Classes = ClassSubset.Pair(1, 3), TestLast = 20 });
        var text = Encoding.UTF8.GetString(ModelFile.Serialize(outcome.Model));

        Assert.Contains("\"format\": \"logreg-model\"", text, StringComparison.Ordinal);
        Assert.Contains("\"format_version\": 2", text, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"logistic\"", text, StringComparison.Ordinal);
        Assert.Contains("\"class_names\": [\"1\",\"3\"]", text, StringComparison.Ordinal);
        Assert.Contains("\"image_shape\": [4,4]", text, StringComparison.Ordinal);
        Assert.Contains("\"kind\": \"pair\"", text, StringComparison.Ordinal);
        Assert.Contains("\"test_last\": 20", text, StringComparison.Ordinal);
        Assert.Contains("\"train_sha256\": \"", text, StringComparison.Ordinal);
        Assert.Contains("\"threshold\": 0.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_is_atomic_and_leaves_no_temporary_files()
    {
        var outcome = TrainSmall();
        var path = _dir.File("out/model.json");

        ModelFile.Save(outcome.Model, path);
        ModelFile.Save(outcome.Model, path);

        Assert.Equal(["out/model.json"], _dir.Files());
    }

    private string Corrupt(Func<string, string> edit)
    {
        var text = Encoding.UTF8.GetString(ModelFile.Serialize(TrainSmall().Model));
        var changed = edit(text);
        Assert.NotEqual(text, changed);
        return _dir.WriteText("bad.json", changed);
    }

    public static TheoryData<string, string, string> Corruptions() => new()
    {
        { "\"format_version\": 2", "\"format_version\": 7", "model format version 7 is not supported (this LogReg reads versions 1 to 3)" },
        { "\"format\": \"logreg-model\"", "\"format\": \"keras\"", "not a LogReg model file (format is 'keras', expected 'logreg-model')" },
        { "\"kind\": \"softmax\"", "\"kind\": \"svm\"", "unknown model kind 'svm' (expected logistic, softmax or ovr)" },
        { "\"image_shape\": [4,4]", "\"image_shape\": [5,4]", "scaler.offset has 16 values; the model's shape needs 20" },
        { "\"class_names\": [\"0\",\"1\",\"2\",\"3\"]", "\"class_names\": [\"0\",\"1\",\"2\"]", "bias has 4 values; the model's shape needs 3" },
        { "\"bias\": [", "\"bias\": [\"NaN\",", "bias has 5 values; the model's shape needs 4" },
        { "\"weights\": [", "\"weights_\": [", "missing 'weights'" },
        { "\"class_names\": [\"0\",", "\"class_names\": [0,", "class_names[0] must be a string" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Load_rejects_corrupt_model_files_naming_the_problem(string find, string replace, string problem)
    {
        var path = Corrupt(t => t.Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<LogRegDataException>(() => ModelFile.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_NaN_and_infinite_weights()
    {
        var nan = Corrupt(t =>
        {
            var start = t.IndexOf("\"weights\": [", StringComparison.Ordinal) + "\"weights\": [".Length;
            var first = t.IndexOf('[', start) + 1;
            var comma = t.IndexOf(',', first);
            return t[..first] + "\"NaN\"" + t[comma..];
        });

        var error = Assert.Throws<LogRegDataException>(() => ModelFile.Load(nan));

        Assert.Contains("weights[0][0] is NaN; every number in a model must be finite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_rejects_truncated_json_with_the_line()
    {
        var text = Encoding.UTF8.GetString(ModelFile.Serialize(TrainSmall().Model));
        var path = _dir.WriteText("cut.json", text[..(text.Length / 2)]);

        var error = Assert.Throws<LogRegDataException>(() => ModelFile.Load(path));

        Assert.Matches(@"not valid JSON \(line \d+\)", error.Message);
    }

    [Fact]
    public void Load_reports_missing_and_empty_files()
    {
        Assert.Contains("file not found", Assert.Throws<LogRegDataException>(() => ModelFile.Load(_dir.File("none.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("file is empty", Assert.Throws<LogRegDataException>(() => ModelFile.Load(_dir.WriteText("e.json", ""))).Message, StringComparison.Ordinal);
        Assert.Contains("the top level must be a JSON object", Assert.Throws<LogRegDataException>(() => ModelFile.Load(_dir.WriteText("a.json", "[1,2]"))).Message, StringComparison.Ordinal);
    }
}
