using System.Globalization;
using LogReg.Data;
using LogReg.Estimators;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

/// <summary>Save and Load: the CLI's model file, both ways, with labels of several types, and files that are not models.</summary>
public sealed class EstimatorFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A label whose text (the record's ToString) does not read back.</summary>
    public sealed record Opaque(int Value);

    private static void AssertSameFit<TLabel>(LinearClassifier<TLabel> expected, LinearClassifier<TLabel> actual, float[,] x)
        where TLabel : IEquatable<TLabel>
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(Blobs.Flatten(expected.Coef), Blobs.Flatten(actual.Coef));
        Assert.Equal(expected.Intercept, actual.Intercept);
        Assert.Equal(expected.Predict(x), actual.Predict(x));
        Assert.Equal(Blobs.Flatten(expected.PredictProba(x)), Blobs.Flatten(actual.PredictProba(x)));
        Assert.Equal(expected.NIter, actual.NIter);
        Assert.Equal(expected.StopReason, actual.StopReason);
    }

    [Fact]
    public void A_saved_softmax_model_loads_back_with_the_same_weights_classes_and_predictions()
    {
        var (x, y) = Blobs.Make(40, 5, 3, seed: 1, spread: 1);
        var fitted = new SoftmaxRegression { Epochs = 7, Optimizer = OptimizerKind.Sgd }.Fit(x, y);
        var path = _dir.File("softmax.json");

        fitted.Save(path);
        var loaded = SoftmaxRegression.Load(path);

        AssertSameFit(fitted, loaded, x);
        Assert.Equal(OptimizerKind.Sgd, loaded.FittedOptimizer);
        Assert.Equal(7, loaded.Options.Epochs);
        Assert.IsType<SoftmaxRegression<int>>(LinearClassifier.Load<int>(path), exactMatch: false);
    }

    [Fact]
    public void String_labels_round_trip_and_load_as_the_kind_the_file_names()
    {
        var (x, y) = Blobs.Make(30, 3, 2, seed: 2);
        var names = y.Select(v => v == 0 ? "cat" : "dog").ToArray();
        var fitted = new LogisticRegression<string>().Fit(x, names);
        var path = _dir.File("pets.json");

        fitted.Save(path);
        var loaded = LinearClassifier.Load<string>(path);

        Assert.IsType<LogisticRegression<string>>(loaded);
        AssertSameFit(fitted, loaded, x);
        Assert.Equal(["cat", "dog"], ModelFile.Load(path).ClassNames);
    }

    [Fact]
    public void Char_and_long_labels_round_trip_through_their_text()
    {
        var (x, y) = Blobs.Make(30, 3, 3, seed: 3);
        var letters = y.Select(v => "xyz"[v]).ToArray();
        var fitted = new OneVsRestRegression<char>().Fit(x, letters);
        var path = _dir.File("letters.json");

        fitted.Save(path);

        Assert.Equal(["x", "y", "z"], ModelFile.Load(path).ClassNames);
        AssertSameFit(fitted, LinearClassifier.Load<char>(path), x);

        var ids = y.Select(v => 10_000_000_000L + v).ToArray();
        var large = new SoftmaxRegression<long>().Fit(x, ids);
        large.Save(path);
        AssertSameFit(large, LinearClassifier.Load<long>(path), x);
    }

    [Fact]
    public void Labels_whose_text_does_not_read_back_are_refused_before_anything_is_written()
    {
        var (x, y) = Blobs.Make(20, 2, 2, seed: 4);
        var fitted = new LogisticRegression<Opaque>().Fit(x, y.Select(v => new Opaque(v)).ToArray());
        var path = _dir.File("opaque.json");

        var error = Assert.Throws<InvalidOperationException>(() => fitted.Save(path));

        Assert.Contains("cannot be saved", error.Message);
        Assert.Contains("map them to ints or strings first", error.Message);
        Assert.False(File.Exists(path));
        Assert.Throws<InvalidOperationException>(() => new SoftmaxRegression().Save(_dir.File("unfitted.json")));
    }

    [Fact]
    public void Bad_files_are_refused_naming_the_file_and_the_problem()
    {
        var (x, y) = Blobs.Make(20, 2, 3, seed: 5);
        var softmax = _dir.File("softmax.json");
        new SoftmaxRegression().Fit(x, y).Save(softmax);
        var words = _dir.File("words.json");
        new SoftmaxRegression<string>().Fit(x, y.Select(v => "abc"[v].ToString()).ToArray()).Save(words);

        var missing = Assert.Throws<LogRegDataException>(() => SoftmaxRegression.Load(_dir.File("nothing.json")));
        Assert.Contains("nothing.json", missing.Message);
        var notModel = Assert.Throws<LogRegDataException>(() => SoftmaxRegression.Load(_dir.WriteText("other.json", "{\"format\": \"something-else\"}")));
        Assert.Contains("not a LogReg model file", notModel.Message);
        var notJson = Assert.Throws<LogRegDataException>(() => LinearClassifier.Load<int>(_dir.WriteText("cut.json", File.ReadAllText(softmax)[..200])));
        Assert.Contains("not valid JSON", notJson.Message);
        var otherKind = Assert.Throws<LogRegDataException>(() => OneVsRestRegression.Load(softmax));
        Assert.Contains("holds a softmax model, not what OneVsRestRegression fits; load it with SoftmaxRegression", otherKind.Message);
        var notInts = Assert.Throws<LogRegDataException>(() => SoftmaxRegression.Load(words));
        Assert.Contains("class name 'a' is not a Int32 label", notInts.Message);
        Assert.Contains("words.json", notInts.Message);
    }

    [Fact]
    public void An_image_pipeline_saved_by_the_library_is_evaluated_by_logreg_eval_with_the_same_accuracy()
    {
        var train = Synthetic.Images(300, 3, seed: 1);
        var folder = SyntheticFolder.Write(_dir.File("data"), train: 300, test: 90, classes: 3);
        var test = Synthetic.Images(90, 3, seed: 101);
        var pipeline = new ImageClassifier<int>(new SoftmaxRegression { Optimizer = OptimizerKind.Sgd, Epochs = 3 }).Fit(train.Pixels, 16, train.Labels.ToArray());
        var model = _dir.File("pipeline.json");
        pipeline.Save(model);

        var file = ModelFile.Load(model);
        Assert.Equal(new ImageShape(4, 4), file.Shape);
        Assert.Equal(pipeline.Scaler.Scale, file.Scaler.Scale);
        var eval = Fixtures.Cli.Run(new Dictionary<string, string>(), "eval", "--model-file", model, "--images", Path.Combine(folder, "t10k-images-idx3-ubyte"), "--labels", Path.Combine(folder, "t10k-labels-idx1-ubyte"));

        Assert.True(eval.ExitCode == 0, eval.Error);
        var accuracy = pipeline.Score(test.Pixels, 16, test.Labels.ToArray());
        Assert.Contains($"accuracy {(accuracy * 100).ToString("0.00", CultureInfo.InvariantCulture)}%", eval.Output, StringComparison.Ordinal);
        var again = ImageClassifier.Load<int>(model);
        Assert.Equal(pipeline.Predict(test.Pixels, 16, 90), again.Predict(test.Pixels, 16, 90));
    }

    [Fact]
    public void A_model_trained_by_logreg_train_loads_into_an_image_pipeline_that_predicts_as_the_file_does()
    {
        var folder = SyntheticFolder.Write(_dir.File("data"), train: 120, test: 30, classes: 3);
        var outDir = _dir.File("run");
        var trained = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "train", "--dataset", folder, "--epochs", "2", "--batch-size", "16", "--out", outDir, "--no-report");
        Assert.True(trained.ExitCode == 0, trained.Error);
        var path = Path.Combine(outDir, "model.json");
        var file = ModelFile.Load(path);
        var test = Synthetic.Images(30, 3, seed: 101);

        var pipeline = ImageClassifier.Load<int>(path);

        Assert.Equal(ScalingKindOf(file), pipeline.Scaling);
        var predicted = pipeline.Predict(test.Pixels, 16, 30);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(file.Predict(test.Pixels.Slice(i * 16, 16)).Class, predicted[i]);
        }

        Assert.Equal([0, 1, 2], SoftmaxRegression.Load(path).Classes);
    }

    private static LogReg.Preprocessing.ScalingKind ScalingKindOf(TrainedModel file) => file.Scaler.Kind;
}
