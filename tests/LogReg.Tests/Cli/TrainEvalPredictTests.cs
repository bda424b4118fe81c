using System.Globalization;
using System.Text.Json;
using LogReg.Cli;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

public sealed class TrainEvalPredictTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => Fixtures.Cli.WithRealDataIn(_dir);

    private static JsonElement Metrics(string directory) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "metrics.json"))).RootElement;

    [SkippableFact]
    public void Train_with_no_options_trains_softmax_on_mnist_to_at_least_0_92()
    {
        var result = Fixtures.Cli.Run(Env(), "train");

        Assert.Equal(0, result.ExitCode);
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(_dir.Path, "runs")));
        Assert.StartsWith("train-mnist-softmax-", Path.GetFileName(run), StringComparison.Ordinal);
        Assert.True(Metrics(run).GetProperty("test_accuracy").GetDouble() >= 0.92, result.Output);
        Assert.Contains("softmax on mnist train (10 classes, 28x28, divide255): train 60000, test 10000", result.Output, StringComparison.Ordinal);
        Assert.Contains("epoch 10/10", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Train_on_a_subset_with_no_report_writes_the_model_history_metrics_and_confusion_matrix_only()
    {
        var outDir = _dir.File("run");
        var result = Fixtures.Cli.Run(Env(), "train", "--classes", "2,8", "--train-first", "3000", "--test-last", "500", "--epochs", "3", "--val-fraction", "0.1", "--out", outDir, "--no-report");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["run/confusion.csv", "run/history.csv", "run/history.json", "run/metrics.json", "run/model.json"], _dir.Files("run"));
        var metrics = Metrics(outDir);
        foreach (var key in new[] { "train_accuracy", "val_accuracy", "test_accuracy", "train_loss", "val_loss", "test_loss" })
        {
            Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
        }

        Assert.Equal(4, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);
        var model = ModelFile.Load(Path.Combine(outDir, "model.json"));
        Assert.Equal(ModelKind.Logistic, model.Kind);
        Assert.Equal(["2", "8"], model.ClassNames);
        Assert.Matches(@"test\s+\d+\.\d\d%\s+\d\.\d{4}", result.Output);
        Assert.Contains($"saved {Path.Combine(outDir, "model.json")}", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Eval_and_predict_agree_with_the_trained_model()
    {
        var outDir = _dir.File("run");
        Assert.Equal(0, Fixtures.Cli.Run(Env(), "train", "--train-first", "5000", "--test-first", "300", "--epochs", "2", "--out", outDir).ExitCode);
        var modelPath = Path.Combine(outDir, "model.json");
        var testAccuracy = Metrics(outDir).GetProperty("test_accuracy").GetDouble();

        var eval = Fixtures.Cli.Run(Env(), "eval", "--model-file", modelPath);

        Assert.Equal(0, eval.ExitCode);
        Assert.Contains("softmax model on mnist test, first 300: 300 images", eval.Output, StringComparison.Ordinal);
        Assert.Contains($"accuracy {(testAccuracy * 100).ToString("0.00", CultureInfo.InvariantCulture)}%", eval.Output, StringComparison.Ordinal);
        Assert.Contains("confusion matrix (rows: true class, columns: predicted class)", eval.Output, StringComparison.Ordinal);
        Assert.Matches(@"Class\s+Precision\s+Recall\s+F1\s+Support", eval.Output);

        // PNGs of three test images: predict must print what the model predicts for them.
        var model = ModelFile.Load(modelPath);
        var test = IdxReader.ReadImages(Path.Combine(RealData.Folder("mnist"), "t10k-images-idx3-ubyte.gz"));
        var inputs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var pixels = test.Pixels.AsSpan(i * 784, 784).ToArray();
            inputs.Add(_dir.Write($"digit{i}.png", PngEncoder.Grayscale(pixels, 28, 28)));
        }

        var predict = Fixtures.Cli.Run(Env(), ["predict", "--model-file", modelPath, .. inputs]);

        Assert.Equal(0, predict.ExitCode);
        for (var i = 0; i < 3; i++)
        {
            var (expected, probabilities) = model.Predict(test.Pixels.AsSpan(i * 784, 784));
            var p = probabilities[expected].ToString("0.0000", CultureInfo.InvariantCulture);
            Assert.Matches($@"digit{i}\.png\s+{expected}\s+{expected}\s+{p}", predict.Output);
        }
    }

    [SkippableFact]
    public void Predict_reads_idx_files_inverts_on_request_and_rejects_other_sizes()
    {
        var outDir = _dir.File("run");
        Assert.Equal(0, Fixtures.Cli.Run(Env(), "train", "--train-first", "2000", "--epochs", "1", "--out", outDir).ExitCode);
        var modelPath = Path.Combine(outDir, "model.json");
        var idx = _dir.Write("two.idx", IdxBytes.Images(2, 28, 28));
        var small = _dir.Write("small.png", PngEncoder.Grayscale(new byte[64], 8, 8));

        var fromIdx = Fixtures.Cli.Run(Env(), "predict", "--model-file", modelPath, idx, "--top", "3", "--invert");
        var wrongSize = Fixtures.Cli.Run(Env(), "predict", "--model-file", modelPath, small);

        Assert.Equal(0, fromIdx.ExitCode);
        Assert.Contains("two.idx#0", fromIdx.Output, StringComparison.Ordinal);
        Assert.Contains("two.idx#1", fromIdx.Output, StringComparison.Ordinal);
        Assert.Equal(2, wrongSize.ExitCode);
        Assert.Equal([$"error: {small}: image is 8x8 but the model takes 28x28 images; resize it first"], wrongSize.ErrorLines);
    }

    [SkippableFact]
    public void The_same_seed_gives_the_same_model_file_bytes_on_every_run_and_thread_count_and_another_seed_different_weights()
    {
        byte[] Train(string name, params string[] extra)
        {
            var output = _dir.File(name);
            var result = Fixtures.Cli.Run(Env(), ["train", "--train-first", "6000", "--epochs", "3", "--val-fraction", "0.1", "--out", output, "--no-report", .. extra]);
            Assert.True(result.ExitCode == 0, result.Error);
            return File.ReadAllBytes(Path.Combine(output, "model.json"));
        }

        var reference = Train("t1", "--threads", "1");

        Assert.Equal(reference, Train("t1-again", "--threads", "1"));
        Assert.Equal(reference, Train("t2", "--threads", "2"));
        Assert.Equal(reference, Train("t4", "--threads", "4"));
        Assert.Equal(reference, Train("t0"));
        var otherSeed = ModelFile.Load(Path.Combine(_dir.File("t1"), "model.json")).Model.Weights.ToArray();
        Train("seed7", "--seed", "7");
        Assert.NotEqual(otherSeed, ModelFile.Load(Path.Combine(_dir.File("seed7"), "model.json")).Model.Weights.ToArray());
    }

    [Fact]
    public void An_empty_dataset_name_is_a_usage_mistake_not_an_internal_error()
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "train", "--dataset", " ");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: the dataset name is empty: give one of mnist", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_invalid_settings_are_usage_mistakes_and_any_other_argument_exception_is_an_internal_error()
    {
        // A library bug that throws ArgumentException must not look like bad input (exit 2) to the user.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = LogReg.Cli.CliEnvironment.ForTest(output, error, new Dictionary<string, string>(), _dir.Path);

        var setting = LogReg.Cli.CommandRunner.Report(env, new LogReg.Common.InvalidSettingException("Epochs must be ≥ 1 (was 0)", "Epochs"));
        var bug = LogReg.Cli.CommandRunner.Report(env, new ArgumentException("index out of step", "rows"));

        Assert.Equal(2, setting);
        Assert.Equal(1, bug);
        Assert.Equal(["error: Epochs must be ≥ 1 (was 0)", "internal error: ArgumentException: index out of step (Parameter 'rows')"], error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData("train --optimizer lbfgs --momentum 0.5", "error: --momentum applies to --optimizer sgd; L-BFGS, OWL-QN and Newton use the full batch and choose their own steps")]
    [InlineData("train --classes 2,8 --positive 1", "error: --classes and --positive cannot be combined")]
    [InlineData("train --early-stopping", "error: --early-stopping needs a validation split: add --val-fraction (e.g. 0.1)")]
    [InlineData("train --model perceptron", "error: Argument 'perceptron' not recognized. Must be one of: 'logistic' 'softmax' 'ovr'")]
    [InlineData("train --learning-rate -1 --dataset missing-folder-xyz", "error: LearningRate must be > 0 (was -1); typical values are 0.001 to 1")]
    [InlineData("eval", "error: Option '--model-file' is required.")]
    public void Bad_training_options_print_one_line_and_exit_2(string commandLine, string expected)
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, commandLine.Split(' '));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Logistic_regression_on_ten_classes_explains_how_to_make_it_binary()
    {
        var result = Fixtures.Cli.Run(Env(), "train", "--model", "logistic", "--train-first", "500");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: logistic regression is binary but the data has 10 classes: choose two classes (--classes A,B), one class against the rest (--positive C), or use --model softmax or ovr"], result.ErrorLines);
    }

    [Fact]
    public void The_old_spelling_model_for_the_model_file_still_works_with_a_one_line_note()
    {
        var bad = _dir.WriteText("model.json", "{\"format\": \"logreg-model\", \"format_version\": 99}");

        var eval = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "eval", "--model", bad);
        var predict = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "predict", "--model", bad, "x.png");
        var both = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "eval", "--model", bad, "--model-file", bad);

        var error = $"error: {bad}: model format version 99 is not supported (this LogReg reads versions 1 to 3); retrain the model or use the LogReg that wrote it";
        Assert.Equal(2, eval.ExitCode);
        Assert.Equal([ModelFileOption.DeprecationNote, error], eval.ErrorLines);
        Assert.Equal(2, predict.ExitCode);
        Assert.Equal([ModelFileOption.DeprecationNote, error], predict.ErrorLines);
        Assert.Equal(2, both.ExitCode);
        Assert.StartsWith("error: --model-file and --model (its old spelling) cannot be combined", Assert.Single(both.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_rejects_a_corrupt_model_file_in_one_line()
    {
        var bad = _dir.WriteText("model.json", "{\"format\": \"logreg-model\", \"format_version\": 99}");

        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "eval", "--model-file", bad);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {bad}: model format version 99 is not supported (this LogReg reads versions 1 to 3); retrain the model or use the LogReg that wrote it"], result.ErrorLines);
    }
}
