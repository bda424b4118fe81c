using LogReg.Core;
using LogReg.Export;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Export;

public sealed class OnnxExporterTests
{
    public static TheoryData<ModelKind, ScalingKind, bool> EveryKindScalingAndIntercept()
    {
        var data = new TheoryData<ModelKind, ScalingKind, bool>();
        foreach (var kind in new[] { ModelKind.Softmax, ModelKind.OneVsRest, ModelKind.Logistic })
        {
            foreach (var scaling in Enum.GetValues<ScalingKind>())
            {
                data.Add(kind, scaling, true);
                data.Add(kind, scaling, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindScalingAndIntercept))]
    public void OnnxRuntime_gives_the_library_labels_and_probabilities_for_every_kind_scaling_and_intercept(ModelKind kind, ScalingKind scaling, bool fitIntercept)
    {
        var model = ExportTestModels.Train(kind, scaling, fitIntercept);
        var images = Synthetic.Images(200, 4, seed: 11);

        var onnx = OnnxRun.Floats(OnnxExporter.Serialize(model), images.Pixels, images.Count);

        ExportTestModels.AssertSameAsLibrary(model, images.Pixels, images.Count, onnx);
        Assert.Equal(fitIntercept, model.Model.Bias.ToArray().Any(b => b != 0));
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    [InlineData(ModelKind.Logistic)]
    public void Uint8_input_gives_the_same_results_as_float_input(ModelKind kind)
    {
        var model = ExportTestModels.Train(kind, ScalingKind.ZScore, fitIntercept: true);
        var images = Synthetic.Images(100, 4, seed: 12);

        var onnx = OnnxRun.Bytes(OnnxExporter.Serialize(model, new OnnxExportOptions { Uint8Input = true }), images.Pixels, images.Count);

        ExportTestModels.AssertSameAsLibrary(model, images.Pixels, images.Count, onnx);
    }

    [Fact]
    public void A_binary_threshold_other_than_one_half_decides_the_onnx_label_as_in_the_library()
    {
        var model = ExportTestModels.Train(ModelKind.Logistic, ScalingKind.Divide255, fitIntercept: true, threshold: 0.8);
        var images = Synthetic.Images(200, 4, seed: 13);

        var onnx = OnnxRun.Floats(OnnxExporter.Serialize(model), images.Pixels, images.Count);

        ExportTestModels.AssertSameAsLibrary(model, images.Pixels, images.Count, onnx);
        // The threshold must matter here, or the test would not tell it from 0.5.
        var differFromOneHalf = Enumerable.Range(0, images.Count).Count(i => onnx.Probabilities[i * 2 + 1] >= 0.5 && onnx.Labels[i] == 0);
        Assert.True(differFromOneHalf > 0, "no image has 0.5 <= p < 0.8");
    }

    [Fact]
    public void Ties_go_to_the_first_class_for_softmax_and_one_vs_rest_and_to_the_positive_class_at_the_binary_threshold()
    {
        var pixels = new byte[3 * 16];
        Array.Fill(pixels, (byte)200);
        var softmax = ExportTestModels.Handmade(new SoftmaxRegressionModel(new float[3 * 16], [0.5f, 0.5f, 0.5f], 16, ["a", "b", "c"]));
        var ovr = ExportTestModels.Handmade(new OneVsRestModel(new float[3 * 16], [0f, 1f, 1f], 16, ["a", "b", "c"]));
        var binary = ExportTestModels.Handmade(new LogisticRegressionModel(new float[16], 0f, 16, ["neg", "pos"]));

        var softmaxOnnx = OnnxRun.Floats(OnnxExporter.Serialize(softmax), pixels, 3);
        var ovrOnnx = OnnxRun.Floats(OnnxExporter.Serialize(ovr), pixels, 3);
        var binaryOnnx = OnnxRun.Floats(OnnxExporter.Serialize(binary), pixels, 3);

        Assert.Equal([0L, 0L, 0L], softmaxOnnx.Labels);
        Assert.Equal([1L, 1L, 1L], ovrOnnx.Labels);
        Assert.Equal([1L, 1L, 1L], binaryOnnx.Labels); // z = 0 is at the threshold: the library predicts the positive class
        ExportTestModels.AssertSameAsLibrary(softmax, pixels, 3, softmaxOnnx);
        ExportTestModels.AssertSameAsLibrary(ovr, pixels, 3, ovrOnnx);
        ExportTestModels.AssertSameAsLibrary(binary, pixels, 3, binaryOnnx);
    }

    [Fact]
    public void The_sigmoid_decision_of_one_vs_rest_is_exported_with_saturated_units_tied_as_in_the_library()
    {
        // Scores 40, 55 and 20 for every image: by score the second unit wins; by double-precision sigmoids the first two
        // are both exactly 1.0, so the first of them wins, and the graph must decide alike.
        var scores = new OneVsRestModel(new float[3 * 16], [40f, 55f, 20f], 16, ["a", "b", "c"]);
        var sigmoids = new OneVsRestModel(new float[3 * 16], [40f, 55f, 20f], 16, ["a", "b", "c"], LogReg.Core.Decision.Probabilities);
        var pixels = new byte[2 * 16];

        var byScores = OnnxRun.Floats(OnnxExporter.Serialize(ExportTestModels.Handmade(scores)), pixels, 2);
        var bySigmoids = OnnxRun.Floats(OnnxExporter.Serialize(ExportTestModels.Handmade(sigmoids)), pixels, 2);

        Assert.Equal([1L, 1L], byScores.Labels);
        Assert.Equal([0L, 0L], bySigmoids.Labels);
        ExportTestModels.AssertSameAsLibrary(ExportTestModels.Handmade(sigmoids), pixels, 2, bySigmoids);
    }

    [Fact]
    public void One_vs_rest_probabilities_stay_normalised_when_every_sigmoid_underflows()
    {
        // Scores near -200: every σ(z) is below the smallest float, yet σ(z_k) / Σ σ(z_j) is well defined.
        var ovr = ExportTestModels.Handmade(new OneVsRestModel(new float[3 * 16], [-200f, -201f, -203f], 16, ["a", "b", "c"]));
        var pixels = new byte[16];

        var onnx = OnnxRun.Floats(OnnxExporter.Serialize(ovr), pixels, 1);

        var expected = new[] { 1.0, Math.Exp(-1), Math.Exp(-3) }.Select(v => v / (1 + Math.Exp(-1) + Math.Exp(-3))).ToArray();
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k], onnx.Probabilities[k], 5);
        }

        ExportTestModels.AssertSameAsLibrary(ovr, pixels, 1, onnx);
    }

    [Fact]
    public void Metadata_names_the_classes_scaling_version_and_training_options()
    {
        var model = ExportTestModels.Train(ModelKind.Logistic, ScalingKind.MinMax, fitIntercept: true, threshold: 0.7);

        var (custom, producer, graph) = OnnxRun.Metadata(OnnxExporter.Serialize(model));

        Assert.Equal("LogReg", producer);
        Assert.Equal("logreg_logistic", graph);
        Assert.Equal("[\"1\",\"3\"]", custom["class_names"]);
        Assert.Equal("logistic", custom["model_kind"]);
        Assert.Equal("minmax", custom["scaling"]);
        Assert.Equal("features = (pixels - scaler_offset) * scaler_scale", custom["scaling_formula"]);
        Assert.Equal("4x4", custom["image_shape"]);
        Assert.Equal("0.7", custom["threshold"]);
        Assert.Equal(TrainedModel.CurrentVersion, custom["logreg_version"]);
        Assert.Equal(ModelFile.TrainingOptionsJson(model.Options), custom["training_options"]);
        Assert.Contains("\"fit_intercept\":true", custom["training_options"], StringComparison.Ordinal);
        Assert.Contains("\"threshold\":0.7", custom["training_options"], StringComparison.Ordinal);
    }

    [Fact]
    public void Class_names_in_the_metadata_are_json_with_their_characters_unescaped()
    {
        var model = ExportTestModels.Handmade(new SoftmaxRegressionModel(new float[32], [0f, 0f], 16, ["お (o)", "say \"hi\""]));

        var (custom, _, _) = OnnxRun.Metadata(OnnxExporter.Serialize(model));

        Assert.Equal("[\"お (o)\",\"say \\\"hi\\\"\"]", custom["class_names"]);
        Assert.Equal(["お (o)", "say \"hi\""], System.Text.Json.JsonSerializer.Deserialize<string[]>(custom["class_names"])!);
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        var model = ExportTestModels.Train(ModelKind.Softmax, ScalingKind.ZScore, fitIntercept: true);

        Assert.Equal(OnnxExporter.Serialize(model), OnnxExporter.Serialize(model));
        using var stream = new MemoryStream();
        OnnxExporter.Write(model, stream);
        Assert.Equal(OnnxExporter.Serialize(model), stream.ToArray());
    }
}
