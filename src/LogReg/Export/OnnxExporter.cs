using System.Globalization;
using LogReg.Common;
using LogReg.Core;
using LogReg.Models;

namespace LogReg.Export;

/// <summary>
/// Writes a trained model as an ONNX graph that takes raw pixels and gives what <see cref="TrainedModel.Predict"/>
/// gives: input <c>pixels</c> (float [N, H·W], 0..255, or uint8 with <see cref="OnnxExportOptions.Uint8Input"/>),
/// outputs <c>label</c> (int64 [N], the class index) and <c>probabilities</c> (float [N, C]). Opset 17 (IR version 8):
/// what ONNX 1.12's checker (Debian's python3-onnx) knows; ONNX Runtime 1.31.1 loads it (tested). The bytes depend only on the model.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graph uses.</summary>
    public const int Opset = 17;
    /// <summary>The ONNX IR version written.</summary>
    public const int IrVersion = 8;
    /// <summary>The name of the graph's input (raw pixels, one image per row).</summary>
    public const string InputName = "pixels";
    /// <summary>The name of the graph's predicted-label output.</summary>
    public const string LabelName = "label";
    /// <summary>The name of the graph's class-probabilities output.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>Writes the ONNX file atomically (a reader never sees half of it).</summary>
    public static void Save(TrainedModel model, string path, OnnxExportOptions? options = null)
    {
        var bytes = Serialize(model, options);
        ExportTarget.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes the ONNX model to <paramref name="stream"/>.</summary>
    public static void Write(TrainedModel model, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(model, options));
    }

    /// <summary>The ONNX model's bytes (a serialized ModelProto).</summary>
    public static byte[] Serialize(TrainedModel model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        var graph = new GraphBuilder(model, options).Build();
        return OnnxProtobuf.Model(
            IrVersion,
            Opset,
            "LogReg",
            TrainedModel.VersionNumber,
            $"{ModelFile.KindName(model.Kind)} regression on {model.Shape} images ({model.Dataset.Description}), exported by {TrainedModel.CurrentVersion}",
            graph,
            ExportMetadata.For(model));
    }

    /// <summary>The nodes, from the pixels to the two outputs; each step of the model's decision as one or two operators.</summary>
    private sealed class GraphBuilder(TrainedModel model, OnnxExportOptions options)
    {
        private readonly List<OnnxProtobuf.Message> _nodes = [];
        private readonly List<OnnxProtobuf.Message> _initializers = [];

        public OnnxProtobuf.Message Build()
        {
            var features = model.Shape.PixelCount;
            var linear = model.Model;
            var x = InputName;
            if (options.Uint8Input)
            {
                x = Add("Cast", [x], "pixels_float", OnnxProtobuf.IntAttribute("to", OnnxProtobuf.Float));
            }

            // The scaling is applied as Sub then Mul, exactly as FeatureScaler computes it in float: (pixel − offset) ×
            // scale. Folding it into the weights would save two operators but round differently from the library, and
            // labels could then differ on near ties. A step that is the identity (offset 0, scale 1) is left out: the
            // result is the same number.
            var scaler = model.Scaler;
            if (scaler.Offset.Any(v => v != 0))
            {
                x = Add("Sub", [x, Initializer("scaler_offset", [features], scaler.Offset)], "centred");
            }

            if (scaler.Scale.Any(v => v != 1))
            {
                x = Add("Mul", [x, Initializer("scaler_scale", [features], scaler.Scale)], "features");
            }

            // scores = features · Wᵀ + b, W stored as it is in the model (outputs × features), hence transB.
            var scores = Add(
                "Gemm",
                [x, Initializer("weights", [linear.Outputs, features], linear.Weights), Initializer("bias", [linear.Outputs], linear.Bias)],
                "scores",
                OnnxProtobuf.IntAttribute("transB", 1));

            switch (linear)
            {
                case LogisticRegressionModel logistic:
                    AddBinaryOutputs(scores, logistic.LogitThreshold);
                    break;
                case OneVsRestModel ovr:
                    // σ(z_k) / Σ σ(z_j), the one-vs-rest probabilities, computed as softmax(log σ(z)) with
                    // log σ(z) = −softplus(−z): the same numbers, but never 0/0 when every sigmoid underflows.
                    // OneVsRestModel.ProbabilitiesFromScores computes the same form in double.
                    var logSigmoid = Add("Neg", [Add("Softplus", [Add("Neg", [scores], "negated_scores")], "softplus_negated")], "log_sigmoid");
                    Add("Softmax", [logSigmoid], ProbabilitiesName, OnnxProtobuf.IntAttribute("axis", 1));
                    if (ovr.Decision == Decision.Probabilities)
                    {
                        // The sigmoid decision: argmax over the sigmoids in double precision, where scores above about
                        // 37 all give exactly 1.0 and the first of them wins, as DecisionRules.FirstHighestSigmoid decides.
                        var wide = Add("Cast", [scores], "scores_double", OnnxProtobuf.IntAttribute("to", OnnxProtobuf.Double));
                        AddArgMaxLabel(Add("Sigmoid", [wide], "sigmoids_double"));
                    }
                    else
                    {
                        AddArgMaxLabel(scores);
                    }

                    break;
                default:
                    Add("Softmax", [scores], ProbabilitiesName, OnnxProtobuf.IntAttribute("axis", 1));
                    AddArgMaxLabel(scores);
                    break;
            }

            var input = OnnxProtobuf.TensorValueInfo(InputName, options.Uint8Input ? OnnxProtobuf.Uint8 : OnnxProtobuf.Float, null, features);
            OnnxProtobuf.Message[] outputs =
            [
                OnnxProtobuf.TensorValueInfo(LabelName, OnnxProtobuf.Int64, [null]),
                OnnxProtobuf.TensorValueInfo(ProbabilitiesName, OnnxProtobuf.Float, null, linear.ClassCount),
            ];
            return OnnxProtobuf.Graph("logreg_" + ModelFile.KindName(model.Kind), _nodes, _initializers, [input], outputs);
        }

        /// <summary>
        /// The class is the first index of the highest score, as the library decides (ArgMax keeps the first of equal
        /// values). It is taken from the scores, not from the probabilities, where rounding could make a tie.
        /// </summary>
        private void AddArgMaxLabel(string scores) =>
            Add("ArgMax", [scores], LabelName, OnnxProtobuf.IntAttribute("axis", 1), OnnxProtobuf.IntAttribute("keepdims", 0), OnnxProtobuf.IntAttribute("select_last_index", 0));

        /// <summary>
        /// Binary: probabilities [1 − p, p] with p = σ(z), the first column computed as σ(−z) (the same number, without
        /// the cancellation of 1 − p near p = 1); the label is z ≥ the model's logit threshold, the library's rule, so a
        /// threshold other than 0.5 and the tie at exactly the threshold decide alike.
        /// </summary>
        private void AddBinaryOutputs(string scores, float logitThreshold)
        {
            var positive = Add("Sigmoid", [scores], "p_positive");
            var negative = Add("Sigmoid", [Add("Neg", [scores], "negated_scores")], "p_negative");
            Add("Concat", [negative, positive], ProbabilitiesName, OnnxProtobuf.IntAttribute("axis", 1));
            var atOrAbove = Add("GreaterOrEqual", [scores, Initializer("logit_threshold", [], [logitThreshold])], "at_or_above_threshold");
            var asInteger = Add("Cast", [atOrAbove], "label_column", OnnxProtobuf.IntAttribute("to", OnnxProtobuf.Int64));
            var axes = "squeeze_axes";
            _initializers.Add(OnnxProtobuf.Int64Tensor(axes, [1], [1L]));
            Add("Squeeze", [asInteger, axes], LabelName);
        }

        private string Initializer(string name, long[] dims, ReadOnlySpan<float> values)
        {
            _initializers.Add(OnnxProtobuf.FloatTensor(name, dims, values));
            return name;
        }

        /// <summary>Adds a node with one output named <paramref name="output"/> and returns that name.</summary>
        private string Add(string opType, string[] inputs, string output, params OnnxProtobuf.Message[] attributes)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{opType.ToLowerInvariant()}_{_nodes.Count}");
            _nodes.Add(OnnxProtobuf.Node(opType, name, inputs, [output], attributes));
            return output;
        }
    }
}

/// <summary>How to export to ONNX.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Take uint8 pixels (cast to float in the graph) instead of float pixels. Default false.</summary>
    public bool Uint8Input { get; init; }
}
