// Classify images with a model written by `logreg export MODEL --onnx model.onnx` (NuGet: Microsoft.ML.OnnxRuntime).
using Microsoft.ML.OnnxRuntime;

namespace LogReg.Examples;

public static class OnnxPredict
{
    /// <summary>The class index and the class probabilities of each image (raw 0..255 pixels, one image per row).</summary>
    public static (long[] Labels, float[] Probabilities) Classify(string modelPath, byte[][] images)
    {
        using var session = new InferenceSession(modelPath);
        var pixels = images.SelectMany(image => image.Select(p => (float)p)).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [images.Length, images[0].Length]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["pixels"], [input], ["label", "probabilities"]);
        return (outputs[0].GetTensorDataAsSpan<long>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }
}
