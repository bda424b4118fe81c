using System.CommandLine;
using System.Globalization;
using LogReg.Data;
using LogReg.Models;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg predict --model-file FILE INPUT...</c>: the class, class name and probability of each PNG, PGM or IDX image, or
/// of each row of a CSV file for a model trained on a table.
/// </summary>
public static class PredictCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new ModelFileOption();
        var inputs = new Argument<string[]>("INPUT")
        {
            Description = "PNG (8-bit grey, RGB or RGBA), PGM, or IDX images files; for a model trained on a table, CSV files with its feature columns (each row is predicted)",
            Arity = ArgumentArity.OneOrMore,
        };
        var invert = new Option<bool>("--invert") { Description = "Invert the pixels first (for dark digits on a light background)" };
        var top = new Option<int>("--top") { Description = "Show the K most probable classes", DefaultValueFactory = _ => 1 };
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--top must be ≥ 1");
            }
        });
        var command = new Command("predict", "Classify images with a trained model") { inputs, invert, top };
        model.AddTo(command);
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var trained = ModelFile.Load(model.Path(env, parseResult));
            var table = new Table().Border(TableBorder.Simple).AddColumn("Input").AddColumn(new TableColumn("Class").RightAligned()).AddColumn("Name").AddColumn(new TableColumn("Probability").RightAligned());
            var k = Math.Min(parseResult.GetValue(top), trained.ClassNames.Count);
            foreach (var input in parseResult.GetRequiredValue(inputs))
            {
                if (trained.Table is { } schema)
                {
                    // A table model reads CSV rows: columns matched to the model's by name; a label column, if any, is ignored.
                    var rows = TabularCsvReader.ReadFor(env.ResolvePath(input), schema, parseResult.GetValue(CommonOptions.Label), requireLabel: false);
                    for (var i = 0; i < rows.Count; i++)
                    {
                        var (predicted, probabilities) = trained.PredictRow(rows.Table!.Row(i));
                        AddRow(table, string.Create(CultureInfo.InvariantCulture, $"{input}#{i}"), predicted, probabilities, trained.ClassNames, k);
                    }

                    continue;
                }

                foreach (var (label, pixels) in ReadInputs(env.ResolvePath(input), input, trained.Shape))
                {
                    if (parseResult.GetValue(invert))
                    {
                        for (var i = 0; i < pixels.Length; i++)
                        {
                            pixels[i] = (byte)(255 - pixels[i]);
                        }
                    }

                    var (predicted, probabilities) = trained.Predict(pixels);
                    AddRow(table, label, predicted, probabilities, trained.ClassNames, k);
                }
            }

            env.Console.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void AddRow(Table table, string label, int predicted, float[] probabilities, IReadOnlyList<string> classNames, int k)
    {
        // The prediction first (a binary threshold other than 0.5 can differ from the most probable class).
        var ranked = new[] { predicted }
            .Concat(Enumerable.Range(0, probabilities.Length).Where(c => c != predicted).OrderByDescending(c => probabilities[c]).ThenBy(c => c))
            .Take(k).ToArray();
        table.AddRow(
            Markup.Escape(label),
            string.Join('\n', ranked.Select(c => c.ToString(CultureInfo.InvariantCulture))),
            Markup.Escape(string.Join('\n', ranked.Select(c => classNames[c]))),
            string.Join('\n', ranked.Select(c => probabilities[c].ToString("0.0000", CultureInfo.InvariantCulture))));
    }

    /// <summary>One image per PNG or PGM file; every image of an IDX images file, labelled FILE#i.</summary>
    private static IEnumerable<(string Label, byte[] Pixels)> ReadInputs(string path, string shown, ImageShape expected)
    {
        if (LooksLikeIdx(path))
        {
            var images = IdxReader.ReadImages(path);
            CheckShape(path, images.Shape, expected);
            for (var i = 0; i < images.Count; i++)
            {
                yield return (string.Create(CultureInfo.InvariantCulture, $"{shown}#{i}"), images.Pixels.AsSpan(i * expected.PixelCount, expected.PixelCount).ToArray());
            }

            yield break;
        }

        var (shape, pixels) = ImageFileReader.Read(path);
        CheckShape(path, shape, expected);
        yield return (shown, pixels);
    }

    private static void CheckShape(string path, ImageShape shape, ImageShape expected)
    {
        if (shape != expected)
        {
            throw new LogRegDataException(path, $"image is {shape} but the model takes {expected} images; resize it first");
        }
    }

    /// <summary>IDX files start with two zero bytes (or are gzip); PNG and PGM never do.</summary>
    private static bool LooksLikeIdx(string path)
    {
        DataFile.EnsureRegularFile(path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[2];
            return stream.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && ((head[0] == 0 && head[1] == 0) || (head[0] == 0x1F && head[1] == 0x8B));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the image reader reports it
        }
    }
}
