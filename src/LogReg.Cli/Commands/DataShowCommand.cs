using System.CommandLine;
using System.Globalization;
using System.Text;
using LogReg.Data;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg data show NAME --index I</c>: draw one image in the terminal and print its label.</summary>
public static class DataShowCommand
{
    /// <summary>Ten shades from dark to light; each pixel is drawn two characters wide so the image keeps its aspect.</summary>
    internal const string Ramp = " .:-=+*#%@";

    public static Command Create(CliEnvironment env)
    {
        var name = DataCommand.NameArgument();
        var split = new Option<string>("--split") { Description = "Which split", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "test");
        var index = new Option<int>("--index", "-i") { Description = "Which image (0-based)", DefaultValueFactory = _ => 0 };
        var style = new Option<string>("--style")
        {
            Description = "ascii: shading characters; blocks: grey half-blocks (needs a colour terminal); auto: blocks on a colour terminal",
            DefaultValueFactory = _ => "auto",
        };
        style.AcceptOnlyFromAmong("auto", "ascii", "blocks");
        var png = new Option<string?>("--png") { Description = "Also save the image as a PNG file", HelpName = "FILE" };
        png.AcceptLegalFilePathsOnly();
        var command = new Command("show", "Draw an image in the terminal with its label") { name, split, index, style, png };
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var loader = DataServices.Loader(env, parseResult);
            var whichSplit = parseResult.GetRequiredValue(split) == "train" ? DatasetSplit.Train : DatasetSplit.Test;
            var data = loader.Load(parseResult.GetRequiredValue(name), whichSplit);
            var i = parseResult.GetValue(index);
            if (i < 0 || i >= data.Count)
            {
                throw new UsageException(
                    string.Create(CultureInfo.InvariantCulture, $"--index must be in 0..{data.Count - 1} for {data.Provenance.Description} (was {i})"));
            }

            var label = data.Label(i);
            env.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{data.Provenance.Description} #{i}: label {label} ({data.ClassNames[label]}), {data.Shape}"));
            var blocks = parseResult.GetRequiredValue(style) switch
            {
                "blocks" => true,
                "ascii" => false,
                _ => env.Console.Profile.Capabilities.ColorSystem >= ColorSystem.EightBit,
            };
            if (blocks)
            {
                env.Console.Markup(Blocks(data.Image(i), data.Shape));
            }
            else
            {
                env.Output.Write(Ascii(data.Image(i), data.Shape));
            }

            if (parseResult.GetValue(png) is { } pngPath)
            {
                var target = env.ResolvePath(pngPath);
                OutputLocation.EnsureWritableFile(target, "--png");
                LogReg.Common.AtomicFile.WriteAllBytes(target, LogReg.Reporting.PngEncoder.Grayscale(data.Image(i), data.Shape.Width, data.Shape.Height));
                env.Output.WriteLine($"saved {target}");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The image as shading characters, one text line per pixel row.</summary>
    internal static string Ascii(ReadOnlySpan<byte> pixels, ImageShape shape)
    {
        var text = new StringBuilder((shape.Width * 2 + 1) * shape.Height);
        for (var r = 0; r < shape.Height; r++)
        {
            for (var c = 0; c < shape.Width; c++)
            {
                var shade = Ramp[pixels[r * shape.Width + c] * Ramp.Length / 256];
                text.Append(shade).Append(shade);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Two pixel rows per text line: the upper half-block in the top pixel's grey on the bottom pixel's grey.</summary>
    private static string Blocks(ReadOnlySpan<byte> pixels, ImageShape shape)
    {
        var text = new StringBuilder();
        for (var r = 0; r < shape.Height; r += 2)
        {
            for (var c = 0; c < shape.Width; c++)
            {
                var top = pixels[r * shape.Width + c];
                var bottom = r + 1 < shape.Height ? pixels[(r + 1) * shape.Width + c] : (byte)0;
                text.Append(CultureInfo.InvariantCulture, $"[rgb({top},{top},{top}) on rgb({bottom},{bottom},{bottom})]▀[/]");
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
