using System.Globalization;
using System.Text.RegularExpressions;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;
using Xunit.Abstractions;

namespace LogReg.Tests.Export;

/// <summary>
/// The export on the real datasets: a quick model (6000 training images, two SGD epochs) exported by <c>logreg
/// export</c>, run in ONNX Runtime on every test image, must give the library's label for each one (the rule
/// <c>logreg predict</c> prints) and probabilities within 1e-5; <c>logreg predict</c> itself is compared on 300 images.
/// </summary>
public sealed partial class RealDataExportTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("mnist", ModelKind.Softmax, ScalingKind.Divide255, -1, -1)]
    [InlineData("fashion-mnist", ModelKind.OneVsRest, ScalingKind.ZScore, -1, -1)]
    [InlineData("fashion-mnist", ModelKind.Softmax, ScalingKind.MinMax, -1, -1)]
    [InlineData("mnist", ModelKind.Logistic, ScalingKind.Divide255, 3, 5)]
    public void OnnxRuntime_labels_equal_logreg_predict_on_every_test_image(string dataset, ModelKind kind, ScalingKind scaling, int negative, int positive)
    {
        var loader = new DatasetLoader(new DataLocator(null, RealData.Require(), _dir.File("cache"), [], systemDatasetsDirectory: null));
        var preparation = new DataPreparation
        {
            Scaling = scaling,
            TrainFirst = 6000,
            Classes = negative >= 0 ? ClassSubset.Pair(negative, positive) : ClassSubset.All,
        };
        var data = PreparedData.Prepare(loader.Load(dataset, DatasetSplit.Train), loader.Load(dataset, DatasetSplit.Test), preparation);
        var model = TrainingPipeline.Train(data, kind, new TrainingOptions { Epochs = 2, Seed = 1 }).Model;
        var modelPath = _dir.File("model.json");
        ModelFile.Save(model, modelPath);
        var test = data.Test!;

        var export = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "export", modelPath, "--onnx", "model.onnx");
        var onnx = OnnxRun.Floats(File.ReadAllBytes(_dir.File("model.onnx")), test.Pixels, test.Count);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(test.Count >= (negative >= 0 ? 1800 : 10000), $"{test.Count} test images");
        var worst = ExportTestModels.AssertSameAsLibrary(model, test.Pixels, test.Count, onnx);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dataset} {kind} {scaling}: {test.Count} test images, labels all equal, largest probability difference {worst:E2}, accuracy {Agreement(test, onnx.Labels):P2}"));
        Assert.True(Agreement(test, onnx.Labels) > (negative >= 0 ? 0.9 : 0.7), "the quick model should be better than chance, or the comparison says little");

        // logreg predict itself, on the first 300 test images as an IDX file.
        const int Shown = 300;
        var idx = _dir.Write("test.idx", IdxBytes.Images(Shown, test.Shape.Height, test.Shape.Width, test.Pixels[..(Shown * test.Shape.PixelCount)].ToArray()));
        var predict = Fixtures.Cli.Run(new Dictionary<string, string>(), "predict", "--model-file", modelPath, idx);
        Assert.True(predict.ExitCode == 0, predict.Error);
        var printed = PredictRow().Matches(predict.Output).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Shown, printed.Count);
        Assert.All(Enumerable.Range(0, Shown), i => Assert.Equal(printed[i], onnx.Labels[i]));
    }

    private static double Agreement(Dataset test, long[] labels) =>
        Enumerable.Range(0, test.Count).Count(i => labels[i] == test.Label(i)) / (double)test.Count;

    /// <summary>A row of logreg predict's table: the input FILE#i, then the class index.</summary>
    [GeneratedRegex(@"test\.idx#(\d+)\s+(\d+)\s")]
    private static partial Regex PredictRow();
}
