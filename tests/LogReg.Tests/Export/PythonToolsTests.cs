using System.Globalization;
using LogReg.Core;
using LogReg.Data;
using LogReg.Export;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Export;

/// <summary>
/// The exports read by the reference tools, through the scripts of examples/: ONNX's own checker with full_check, and
/// NumPy loading the .npz and applying the weights (the README's snippet). Debian's python3-onnx and python3-numpy.
/// </summary>
public sealed class PythonToolsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData(ModelKind.Softmax, false)]
    [InlineData(ModelKind.Softmax, true)]
    [InlineData(ModelKind.OneVsRest, false)]
    [InlineData(ModelKind.Logistic, false)]
    [InlineData(ModelKind.Logistic, true)]
    public void The_onnx_checker_accepts_every_kind_with_full_check(ModelKind kind, bool uint8)
    {
        SystemPython.Require("onnx");
        var model = ExportTestModels.Train(kind, ScalingKind.ZScore, fitIntercept: true);
        var path = _dir.File("model.onnx");
        OnnxExporter.Save(model, path, new OnnxExportOptions { Uint8Input = uint8 });

        var result = SystemPython.RunExample("check_onnx.py", path);

        Assert.True(result.ExitCode == 0, result.Error);
        var classes = model.ClassNames.Count.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                "check_model(full_check=True): ok",
                "ir_version 8 opset 17",
                $"input pixels {(uint8 ? "UINT8" : "FLOAT")} ['N', 16]",
                "output label INT64 ['N']",
                $"output probabilities FLOAT ['N', {classes}]",
            ],
            result.OutputLines.Take(5));
        Assert.Contains("metadata logreg_version created_by model_kind class_names image_shape scaling", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_onnx_checker_rejects_a_broken_model_so_its_approval_means_something()
    {
        SystemPython.Require("onnx");
        var bytes = OnnxExporter.Serialize(ExportTestModels.Train(ModelKind.Softmax, ScalingKind.None, fitIntercept: true));
        // The Gemm's operator name, renamed to one no opset has.
        var at = bytes.AsSpan().IndexOf("Gemm"u8);
        "Gemx"u8.CopyTo(bytes.AsSpan(at));
        var path = _dir.Write("broken.onnx", bytes);

        var result = SystemPython.RunExample("check_onnx.py", path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Gemx", result.Error, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(ModelKind.Softmax, "(4, 16)", "(4,)")]
    [InlineData(ModelKind.OneVsRest, "(4, 16)", "(4,)")]
    [InlineData(ModelKind.Logistic, "(1, 16)", "(1,)")]
    public void NumPy_loads_the_npz_as_scikit_learn_shaped_arrays(ModelKind kind, string coefShape, string interceptShape)
    {
        SystemPython.Require("numpy");
        var model = ExportTestModels.Train(kind, ScalingKind.MinMax, fitIntercept: true);
        var path = _dir.File("model.npz");
        NpzExporter.Save(model, path);

        var result = SystemPython.RunExample("load_npz.py", path);

        Assert.True(result.ExitCode == 0, result.Error);
        var classes = model.ClassNames.Count;
        string[] expected =
        [
            $"coef float32 {coefShape}",
            $"intercept float32 {interceptShape}",
            $"classes <U1 ({classes},)",
            "scaler_offset float32 (16,)",
            "scaler_scale float32 (16,)",
            $"kind <U{ModelFile.KindName(kind).Length} ()",
            "image_shape int64 (2,)",
            .. kind == ModelKind.Logistic ? new[] { "threshold float64 ()" } : [],
            "scores = ((pixels - scaler_offset) * scaler_scale) @ coef.T + intercept",
        ];
        Assert.Equal(expected, result.OutputLines.Where(l => l.Length > 0));
    }

    [SkippableTheory]
    [InlineData(ModelKind.Softmax, ScalingKind.ZScore, 0.5)]
    [InlineData(ModelKind.OneVsRest, ScalingKind.Divide255, 0.5)]
    [InlineData(ModelKind.Logistic, ScalingKind.MinMax, 0.5)]
    [InlineData(ModelKind.Logistic, ScalingKind.None, 0.8)]
    public void The_numpy_example_predicts_the_library_labels(ModelKind kind, ScalingKind scaling, double threshold)
    {
        SystemPython.Require("numpy");
        var model = ExportTestModels.Train(kind, scaling, fitIntercept: true, threshold);
        var images = Synthetic.Images(300, 4, seed: 21);
        var npz = _dir.File("model.npz");
        NpzExporter.Save(model, npz);
        var idx = _dir.Write("images.idx", IdxBytes.Images(images.Count, 4, 4, images.Pixels.ToArray()));

        var result = SystemPython.RunExample("predict_numpy.py", npz, idx);

        Assert.True(result.ExitCode == 0, result.Error);
        var expected = Enumerable.Range(0, images.Count).Select(i => model.Predict(images.Image(i)).Class.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(string.Join(' ', expected), result.Output.Trim());
    }

    [SkippableFact]
    public void The_numpy_example_predicts_the_library_labels_for_every_mnist_test_image()
    {
        var loader = new DatasetLoader(new DataLocator(null, RealData.Require(), _dir.File("cache"), [], systemDatasetsDirectory: null));
        SystemPython.Require("numpy");
        var data = PreparedData.Prepare(loader.Load("mnist", DatasetSplit.Train), loader.Load("mnist", DatasetSplit.Test), new DataPreparation { TrainFirst = 6000 });
        var model = TrainingPipeline.Train(data, ModelKind.Softmax, new TrainingOptions { Epochs = 2, Seed = 1 }).Model;
        var npz = _dir.File("model.npz");
        NpzExporter.Save(model, npz);

        var result = SystemPython.RunExample("predict_numpy.py", npz, Path.Combine(RealData.Folder("mnist"), "t10k-images-idx3-ubyte.gz"));

        Assert.True(result.ExitCode == 0, result.Error);
        var test = data.Test!;
        var printed = result.Output.Trim().Split(' ');
        Assert.Equal(test.Count, printed.Length);
        var differ = Enumerable.Range(0, test.Count).Where(i => printed[i] != model.Predict(test.Image(i)).Class.ToString(CultureInfo.InvariantCulture)).ToArray();
        Assert.True(differ.Length == 0, $"{differ.Length} of {test.Count} labels differ, first at {string.Join(", ", differ.Take(5))}");
    }
}
