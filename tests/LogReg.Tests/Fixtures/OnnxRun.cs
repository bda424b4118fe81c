using Microsoft.ML.OnnxRuntime;

namespace LogReg.Tests.Fixtures;

/// <summary>Runs an exported ONNX model in ONNX Runtime (the CPU provider of the Microsoft.ML.OnnxRuntime package).</summary>
public static class OnnxRun
{
    /// <summary>The labels and probabilities (row-major, <paramref name="count"/> rows) for float pixels.</summary>
    public static OnnxOutputs Floats(byte[] model, ReadOnlySpan<byte> pixels, int count)
    {
        var values = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            values[i] = pixels[i];
        }

        using var input = OrtValue.CreateTensorValueFromMemory(values, [count, pixels.Length / Math.Max(count, 1)]);
        return Run(model, input);
    }

    /// <summary>The same for a model exported with a uint8 input.</summary>
    public static OnnxOutputs Bytes(byte[] model, ReadOnlySpan<byte> pixels, int count)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(pixels.ToArray(), [count, pixels.Length / Math.Max(count, 1)]);
        return Run(model, input);
    }

    /// <summary>The model's custom metadata_props, as ONNX Runtime reads them.</summary>
    public static (IReadOnlyDictionary<string, string> Custom, string Producer, string Graph) Metadata(byte[] model)
    {
        using var session = new InferenceSession(model);
        var metadata = session.ModelMetadata;
        return (new Dictionary<string, string>(metadata.CustomMetadataMap), metadata.ProducerName, metadata.GraphName);
    }

    private static OnnxOutputs Run(byte[] model, OrtValue input)
    {
        using var session = new InferenceSession(model);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["pixels"], [input], ["label", "probabilities"]);
        return new OnnxOutputs(
            outputs[0].GetTensorDataAsSpan<long>().ToArray(),
            outputs[0].GetTensorTypeAndShape().Shape,
            outputs[1].GetTensorDataAsSpan<float>().ToArray(),
            outputs[1].GetTensorTypeAndShape().Shape);
    }
}

/// <summary>What the graph gave: the labels and the probabilities (row-major) with the shapes ONNX Runtime reports.</summary>
public sealed record OnnxOutputs(long[] Labels, long[] LabelShape, float[] Probabilities, long[] ProbabilitiesShape);
