using LogReg.Core;
using LogReg.Export;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Tests.Export;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TrainedModel _model = ExportTestModels.Train(ModelKind.Softmax, ScalingKind.ZScore, fitIntercept: true);
    private readonly string _modelPath;

    public ExportCommandTests()
    {
        _modelPath = _dir.File("model.json");
        ModelFile.Save(_model, _modelPath);
    }

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => new() { ["PWD"] = _dir.Path };

    [Fact]
    public void Export_writes_onnx_npz_and_csv_at_once_and_says_what_it_wrote()
    {
        Directory.CreateDirectory(_dir.File("out"));

        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--onnx", "out/m.onnx", "--npz", "out/m.npz", "--csv", "out/m.csv", "--uint8-input");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            [
                "wrote out/m.onnx (ONNX opset 17: pixels uint8 [N, 16] -> label int64 [N], probabilities float [N, 4])",
                "wrote out/m.npz (NumPy arrays coef, intercept, classes, scaler_offset, scaler_scale)",
                "wrote out/m.csv (CSV weights)",
            ],
            result.OutputLines.Where(l => l.Length > 0));
        Assert.Equal(["out/m.csv", "out/m.npz", "out/m.onnx"], _dir.Files("out"));
        Assert.Equal(OnnxExporter.Serialize(_model, new OnnxExportOptions { Uint8Input = true }), File.ReadAllBytes(_dir.File("out/m.onnx")));
        Assert.Equal(NpzExporter.Serialize(_model), File.ReadAllBytes(_dir.File("out/m.npz")));
        Assert.Equal(CsvWeightsExporter.Serialize(_model), File.ReadAllText(_dir.File("out/m.csv")));
    }

    [Fact]
    public void A_target_in_a_missing_folder_is_one_error_line_exit_2_and_nothing_written()
    {
        Directory.CreateDirectory(_dir.File("out"));

        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--onnx", "out/m.onnx", "--csv", "missing/m.csv");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {_dir.File("missing/m.csv")}: the folder {_dir.File("missing")} does not exist; create it first"], result.ErrorLines);
        Assert.False(Directory.Exists(_dir.File("missing")));
        Assert.Empty(_dir.Files("out")); // checked before anything is written
    }

    [Fact]
    public void An_existing_folder_as_the_target_is_one_error_line_exit_2()
    {
        Directory.CreateDirectory(_dir.File("m.onnx"));

        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--onnx", "m.onnx");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {_dir.File("m.onnx")}: is a folder; give the name of the file to write, e.g. model.onnx inside it"], result.ErrorLines);
        Assert.Empty(_dir.Files("m.onnx"));
    }

    [Fact]
    public void A_target_inside_a_file_is_one_error_line_exit_2()
    {
        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--csv", "model.json/w.csv");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {_dir.File("model.json/w.csv")}: {_modelPath} is a file, not a folder"], result.ErrorLines);
        Assert.Equal(ModelFile.Serialize(_model), File.ReadAllBytes(_modelPath));
    }

    [Fact]
    public void A_target_ending_in_a_slash_is_one_error_line_exit_2()
    {
        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--npz", "new/");

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.Contains("ends in a slash", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File("new")));
    }

    [SkippableFact]
    public void A_target_in_a_read_only_folder_is_one_error_line_exit_2_and_the_old_file_stays_whole()
    {
        var folder = _dir.File("readonly");
        Directory.CreateDirectory(folder);
        var old = _dir.Write("readonly/m.onnx", [1, 2, 3]);

        var result = Unreadable.RunInReadOnlyFolder(_dir, folder, Env(), "export", _modelPath, "--onnx", old);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"error: {old}: cannot write it: permission denied in {folder}"], result.ErrorLines);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(old));
        Assert.Equal(["readonly/m.onnx"], _dir.Files("readonly"));
    }

    [Fact]
    public void An_existing_export_is_replaced_whole_with_no_temporary_file_left()
    {
        _dir.Write("m.onnx", new byte[100_000]);
        _dir.Write(".m.onnx.0123456789abcdef.tmp", [9]); // left by a process killed while writing

        var result = Fixtures.Cli.Run(Env(), "export", "model.json", "--onnx", "m.onnx");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(OnnxExporter.Serialize(_model), File.ReadAllBytes(_dir.File("m.onnx")));
        Assert.Equal(["m.onnx", "model.json"], _dir.Files());
    }

    [Theory]
    [InlineData("say what to write: --onnx FILE, --npz FILE and/or --csv FILE", "export", "model.json")]
    [InlineData("--uint8-input applies to --onnx only", "export", "model.json", "--npz", "m.npz", "--uint8-input")]
    [InlineData("Required argument 'MODEL' missing", "export", "--onnx", "m.onnx")]
    public void Usage_mistakes_are_one_error_line_exit_2(string message, params string[] args)
    {
        var result = Fixtures.Cli.Run(Env(), args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: {message}", line, StringComparison.Ordinal);
        Assert.Equal(["model.json"], _dir.Files());
    }

    [Fact]
    public void A_missing_model_file_is_one_error_line_exit_2()
    {
        var result = Fixtures.Cli.Run(Env(), "export", "nothing.json", "--onnx", "m.onnx");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: {_dir.File("nothing.json")}", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("m.onnx")));
    }
}
