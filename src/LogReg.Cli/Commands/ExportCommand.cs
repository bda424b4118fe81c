using System.CommandLine;
using System.Globalization;
using LogReg.Export;
using LogReg.Models;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg export MODEL --onnx OUT.onnx --npz OUT.npz --csv OUT.csv</c>: the model for other tools, as an ONNX graph
/// (raw pixels in, label and probabilities out), NumPy arrays, or a spreadsheet of weights; any of them at once.
/// </summary>
public static class ExportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "A model file written by logreg train (model.json)" };
        var onnx = new Option<string?>("--onnx") { Description = $"Write an ONNX model (opset {OnnxExporter.Opset}): input '{OnnxExporter.InputName}' raw pixels [N, H*W], outputs '{OnnxExporter.LabelName}' and '{OnnxExporter.ProbabilitiesName}'", HelpName = "FILE" };
        var npz = new Option<string?>("--npz") { Description = "Write NumPy arrays: coef, intercept, classes, scaler_offset, scaler_scale (features = (pixels - scaler_offset) * scaler_scale)", HelpName = "FILE" };
        var csv = new Option<string?>("--csv") { Description = "Write the weights as CSV: one row per class, one column per pixel, then the scaling rows", HelpName = "FILE" };
        var uint8 = new Option<bool>("--uint8-input") { Description = "The ONNX model takes uint8 pixels (cast to float inside) instead of float" };
        var command = new Command("export", "Export a trained model for ONNX Runtime, NumPy or a spreadsheet") { model, onnx, npz, csv, uint8 };
        command.Validators.Add(r =>
        {
            if (r.GetResult(onnx) is null && r.GetResult(npz) is null && r.GetResult(csv) is null)
            {
                r.AddError("say what to write: --onnx FILE, --npz FILE and/or --csv FILE");
            }
            else if (r.GetResult(uint8) is not null && r.GetResult(onnx) is null)
            {
                r.AddError("--uint8-input applies to --onnx only");
            }
        });
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var trained = ModelFile.Load(env.ResolvePath(parseResult.GetRequiredValue(model)));
            var targets = new List<(string Shown, string Path, Action<string> Save, string What)>();
            if (parseResult.GetValue(onnx) is { } onnxPath)
            {
                var options = new OnnxExportOptions { Uint8Input = parseResult.GetValue(uint8) };
                var input = options.Uint8Input ? "uint8" : "float";
                targets.Add((onnxPath, env.ResolvePath(onnxPath), p => OnnxExporter.Save(trained, p, options), string.Create(
                    CultureInfo.InvariantCulture,
                    $"ONNX opset {OnnxExporter.Opset}: {OnnxExporter.InputName} {input} [N, {trained.Shape.PixelCount}] -> {OnnxExporter.LabelName} int64 [N], {OnnxExporter.ProbabilitiesName} float [N, {trained.ClassNames.Count}]")));
            }

            if (parseResult.GetValue(npz) is { } npzPath)
            {
                targets.Add((npzPath, env.ResolvePath(npzPath), p => NpzExporter.Save(trained, p), "NumPy arrays coef, intercept, classes, scaler_offset, scaler_scale"));
            }

            if (parseResult.GetValue(csv) is { } csvPath)
            {
                targets.Add((csvPath, env.ResolvePath(csvPath), p => CsvWeightsExporter.Save(trained, p), "CSV weights"));
            }

            // Every target is checked before any is written, so a mistyped one leaves nothing behind.
            foreach (var target in targets)
            {
                ExportTarget.Check(target.Path);
            }

            foreach (var target in targets)
            {
                target.Save(target.Path);
                env.Output.WriteLine($"wrote {target.Shown} ({target.What})");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
