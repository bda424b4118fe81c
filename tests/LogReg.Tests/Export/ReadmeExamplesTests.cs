using System.Text.RegularExpressions;
using LogReg.Core;
using LogReg.Examples;
using LogReg.Export;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Export;

/// <summary>
/// The README's "Use the model elsewhere" snippets are the files examples/predict_numpy.py and examples/OnnxPredict.cs,
/// quoted whole; the Python one runs in <see cref="PythonToolsTests"/>, the C# one (compiled into this project) here.
/// </summary>
public sealed partial class ReadmeExamplesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("predict_numpy.py", "python")]
    [InlineData("OnnxPredict.cs", "csharp")]
    public void The_readme_quotes_the_example_file_whole(string file, string language)
    {
        var root = RealData.RepositoryRoot()!;
        var example = File.ReadAllText(Path.Combine(root, "examples", file)).ReplaceLineEndings("\n").TrimEnd();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");

        var blocks = CodeBlock().Matches(readme).Where(m => m.Groups[1].Value == language).Select(m => m.Groups[2].Value.TrimEnd()).ToArray();

        Assert.Contains(example, blocks);
    }

    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    [InlineData(ModelKind.Logistic)]
    public void The_csharp_example_gives_the_library_labels_and_probabilities(ModelKind kind)
    {
        var model = ExportTestModels.Train(kind, ScalingKind.ZScore, fitIntercept: true);
        var path = _dir.File("model.onnx");
        OnnxExporter.Save(model, path);
        var images = Synthetic.Images(50, 4, seed: 31);

        var (labels, probabilities) = OnnxPredict.Classify(path, Enumerable.Range(0, images.Count).Select(i => images.Image(i).ToArray()).ToArray());

        ExportTestModels.AssertSameAsLibrary(model, images.Pixels, images.Count, new OnnxOutputs(labels, [labels.Length], probabilities, [labels.Length, model.ClassNames.Count]));
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
