using System.Text.Json;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Reporting;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Reporting;

/// <summary>
/// The figures an experiment report draws from its runs' saved models: weights at each λ, the difference of two
/// class-pair models scored as a classifier of the two other classes, and the least accurate classes.
/// </summary>
public sealed class ExperimentFiguresTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => SyntheticFolder.Write(_dir.File("data"), train: 240, test: 90, classes: 3);

    private Dictionary<string, string> Env() => new() { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private string RunPair(string name, string classes, string extra = "")
    {
        var spec = _dir.WriteText(name + ".yaml", $"""
            name: {name}
            dataset: {Data}
            classes: [{classes}]
            scaling: divide255
            model: logistic
            options:
              epochs: 5
              batch_size: 0
              learning_rate: 0.5
              momentum: 0
            select: train_accuracy
            {extra}
            """);
        var result = Fixtures.Cli.Run(Env(), "experiment", "run", spec, "--out", "runs/" + name);
        Assert.True(result.ExitCode == 0, result.Error);
        return _dir.File("runs/" + name);
    }

    [Fact]
    public void Two_class_pair_experiments_sharing_a_class_give_a_classifier_of_the_other_two_scored_on_their_test_images()
    {
        var first = RunPair("pair01", "0, 1");
        var second = RunPair("pair02", "0, 2");

        // The report of the first is written after the second exists: rebuild it from the folder.
        var loader = new DatasetLoader(new DataLocator(null, null, _dir.File("cache"), [], systemDatasetsDirectory: null));
        var report = ReportBuilder.ForExperiment(first, new ReportDataSource(loader, Data));

        var difference = Assert.Single(report.Document.PairDifferences);
        Assert.Equal("pair02", difference.OtherExperiment);
        Assert.Equal(("1", "2"), (difference.Negative, difference.Positive));
        Assert.True(report.Figures.ContainsKey(difference.File));

        // Scored by hand: class 2 when w(0 vs 2)·x + b − (w(0 vs 1)·x + b) > 0, on the test images of classes 1 and 2.
        var a = ModelFile.Load(Path.Combine(first, "p00", "seed0-fold0", RunFiles.Model));
        var b = ModelFile.Load(Path.Combine(second, "p00", "seed0-fold0", RunFiles.Model));
        var test = new DatasetLoader(new DataLocator(null, null, _dir.File("cache"), [], systemDatasetsDirectory: null)).Load(Data, DatasetSplit.Test);
        int right = 0, total = 0;
        for (var i = 0; i < test.Count; i++)
        {
            var label = test.Label(i);
            if (label is not (1 or 2))
            {
                continue;
            }

            var sa = new float[1];
            var sb = new float[1];
            a.Model.DecisionFunction(a.Features(test.Image(i)), sa);
            b.Model.DecisionFunction(b.Features(test.Image(i)), sb);
            var predicted = sb[0] - sa[0] >= 0 ? 2 : 1;
            right += predicted == label ? 1 : 0;
            total++;
        }

        Assert.Equal(total, difference.TestImages);
        Assert.Equal((double)right / total, difference.TestAccuracy, 10);
        var html = HtmlReport.Render(report, new ReportAssets("", "", ""));
        Assert.Contains("<section id=\"pair-differences\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Pair_difference_refuses_pairs_that_do_not_share_exactly_one_class_or_scale_pixels_differently()
    {
        var train = Synthetic.Images(120, 4, seed: 1);
        TrainedModel Fit(int negative, int positive, ScalingKind scaling)
        {
            var data = PreparedData.Prepare(train, null, new DataPreparation { Classes = ClassSubset.Pair(negative, positive), Scaling = scaling });
            return TrainingPipeline.Train(data, ModelKind.Logistic, new TrainingOptions { Epochs = 2, BatchSize = 0 }).Model;
        }

        var m01 = Fit(0, 1, ScalingKind.Divide255);
        var m23 = Fit(2, 3, ScalingKind.Divide255);
        var m01b = Fit(0, 1, ScalingKind.Divide255);
        var m02z = Fit(0, 2, ScalingKind.ZScore);
        var m12 = Fit(1, 2, ScalingKind.Divide255);

        Assert.Contains("share exactly one class", PairDifference.Combine(m01, m23).Problem, StringComparison.Ordinal);
        Assert.Contains("share exactly one class", PairDifference.Combine(m01, m01b).Problem, StringComparison.Ordinal);
        Assert.Contains("scale their pixels differently", PairDifference.Combine(m01, m02z).Problem, StringComparison.Ordinal);

        // 0 vs 1 and 1 vs 2 share 1, once as the positive class: w(0 vs 2) = −w(0 vs 1) − w(1 vs 2)... as log-odds(2 vs 0).
        var (combined, problem) = PairDifference.Combine(m01, m12);
        Assert.Null(problem);
        Assert.Equal(ClassSubset.Pair(0, 2), combined!.Preparation.Classes);
        var expected = m12.Model.WeightsOf(0)[5] + m01.Model.WeightsOf(0)[5];
        Assert.Equal(expected, combined.Model.WeightsOf(0)[5], 5);
        Assert.Equal(m12.Model.Bias[0] + m01.Model.Bias[0], combined.Model.Bias[0], 5);
    }

    [Fact]
    public void A_binary_penalty_sweep_report_shows_the_weights_of_every_lambda()
    {
        var run = RunPair("sweep", "0, 1", "grid:\n  penalty: [l1, l2]\n  lambda: [1, 0.001]");

        var report = Json(Path.Combine(run, "report.json"));

        var images = report.GetProperty("grid_weights").EnumerateArray().ToArray();
        Assert.Equal(4, images.Length);
        Assert.Equal(["penalty=l1, lambda=1", "penalty=l1, lambda=0.001", "penalty=l2, lambda=1", "penalty=l2, lambda=0.001"], images.Select(i => i.GetProperty("point").GetString()));
        Assert.All(images, i => Assert.True(File.Exists(Path.Combine(run, i.GetProperty("file").GetString()!))));
        Assert.Contains("<section id=\"grid-weights\">", File.ReadAllText(Path.Combine(run, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_class_report_shows_the_classes_with_the_lowest_recall_lowest_first_with_their_images()
    {
        var output = _dir.File("softmax");
        var result = Fixtures.Cli.Run(Env(), ["train", "--dataset", Data, "--epochs", "2", "--batch-size", "16", "--out", output]);
        Assert.True(result.ExitCode == 0, result.Error);

        var report = Json(Path.Combine(output, "report.json"));

        var perClass = report.GetProperty("confusion").GetProperty("per_class").EnumerateArray()
            .Select(c => (Class: c.GetProperty("class").GetString(), Recall: c.GetProperty("recall").GetDouble()))
            .OrderBy(c => c.Recall).ThenBy(c => c.Class, StringComparer.Ordinal).ToArray();
        var least = report.GetProperty("least_accurate").EnumerateArray().ToArray();
        Assert.Equal(perClass.Select(c => c.Class), least.Select(c => c.GetProperty("class").GetString()));
        Assert.All(least, c => Assert.True(File.Exists(Path.Combine(output, c.GetProperty("samples_file").GetString()!))));
    }
}
