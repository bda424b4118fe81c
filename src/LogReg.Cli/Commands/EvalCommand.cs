using System.CommandLine;
using System.Globalization;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Models;
using LogReg.Preprocessing;
using Spectre.Console;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg eval --model-file FILE</c>: accuracy, mean loss, top-k accuracy, the confusion matrix with class names and
/// per-class precision, recall and F1 on a dataset split (by default the test split prepared as in training).
/// </summary>
public static class EvalCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new ModelFileOption();
        var dataset = new Option<string?>("--dataset", "-d")
        {
            Description = "Dataset name or folder [default: the one the model was trained on], or for a model trained on a table the CSV file to evaluate on",
            HelpName = "NAME|DIR|FILE.csv",
        };
        var split = new Option<string>("--split") { Description = "Which split", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "test");
        var images = new Option<string?>("--images") { Description = "Evaluate on this images file (IDX, NPZ or CSV) instead of a dataset split", HelpName = "FILE" };
        var labels = new Option<string?>("--labels") { Description = "The labels file for --images", HelpName = "FILE" };
        var whole = new Option<bool>("--whole-split") { Description = "Use the whole split, not the subset (first/last N) used in training" };
        var topK = new Option<int>("--top-k") { Description = "Also report top-k accuracy", DefaultValueFactory = _ => 3 };
        topK.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--top-k must be ≥ 1");
            }
        });
        var command = new Command("eval", "Evaluate a trained model: accuracy, loss, confusion matrix, per-class precision/recall/F1")
        {
            dataset, split, images, labels, whole, topK,
        };
        model.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((r.GetResult(images) is null) != (r.GetResult(labels) is null))
            {
                r.AddError("--images and --labels go together");
            }
        });
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var trained = ModelFile.Load(model.Path(env, parseResult));
            var data = LoadData(env, parseResult, trained, parseResult.GetValue(dataset), parseResult.GetRequiredValue(split), parseResult.GetValue(images), parseResult.GetValue(labels), parseResult.GetValue(whole));
            var report = ModelEvaluator.Evaluate(trained, data, parseResult.GetValue(topK));
            Write(env, trained, data, report);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Dataset LoadData(CliEnvironment env, ParseResult parse, TrainedModel model, string? datasetOption, string splitName, string? imagesPath, string? labelsPath, bool wholeSplit)
    {
        Dataset raw;
        var split = splitName == "train" ? DatasetSplit.Train : DatasetSplit.Test;
        if (model.Table is { } table)
        {
            if (imagesPath is not null || datasetOption is null || !TabularCsvReader.IsTablePath(datasetOption))
            {
                throw new UsageException($"the model was trained on a table ({model.Dataset.Name}): pass the CSV file to evaluate on with --dataset FILE.csv");
            }

            // The file is the data to score, whatever --split says: its columns are matched to the model's by name.
            raw = TabularCsvReader.ReadFor(env.ResolvePath(datasetOption), table, parse.GetValue(CommonOptions.Label));
            return model.Preparation.Classes.Apply(raw);
        }

        if (imagesPath is not null)
        {
            var images = DatasetLoader.ReadImages(env.ResolvePath(imagesPath));
            var labels = DatasetLoader.ReadLabels(env.ResolvePath(labelsPath!));
            var original = OriginalClassNames(model);
            raw = DatasetBuilder.FromArrays(images, labels, original, Path.GetFileName(imagesPath), "data");
            wholeSplit = true;
        }
        else
        {
            var name = datasetOption ?? model.Dataset.Name;
            if (datasetOption is null && !DatasetLoader.IsKnown(name))
            {
                throw new UsageException($"the model was trained on '{name}', which is not a registered dataset: pass --dataset DIR (or --images and --labels)");
            }

            raw = DataServices.Loader(env, parse).Load(name, split);
        }

        var p = model.Preparation;
        if (!wholeSplit)
        {
            var (first, last) = split == DatasetSplit.Train ? (p.TrainFirst, p.TrainLast) : (p.TestFirst, p.TestLast);
            raw = first is { } f ? Subsets.First(raw, Math.Min(f, raw.Count)) : last is { } l ? Subsets.Last(raw, Math.Min(l, raw.Count)) : raw;
        }

        return p.Classes.Apply(raw);
    }

    /// <summary>Class names before the model's selection, for labels files read directly (numbered when unknown).</summary>
    private static IReadOnlyList<string>? OriginalClassNames(TrainedModel model) =>
        model.Preparation.Classes.Kind == ClassSubsetKind.All ? model.ClassNames : DatasetRegistry.Find(model.Dataset.Name)?.ClassNames;

    private static void Write(CliEnvironment env, TrainedModel model, Dataset data, EvaluationReport report)
    {
        env.Output.WriteLine($"{ModelFile.KindName(model.Kind)} model on {data.Provenance.Description}: {report.Count.ToString(CultureInfo.InvariantCulture)} {(model.Table is null ? "images" : "rows")}");
        var topK = report.TopK < report.ClassNames.Count
            ? string.Create(CultureInfo.InvariantCulture, $"   top-{report.TopK} accuracy {TrainingCliOptions.Percent(report.TopKAccuracy)}")
            : "";
        env.Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"accuracy {TrainingCliOptions.Percent(report.Accuracy)}   mean loss {report.MeanLoss:0.0000}{topK}   macro F1 {report.MacroF1:0.0000}"));

        var names = report.ClassNames;
        var confusion = report.Confusion;
        env.Output.WriteLine("confusion matrix (rows: true class, columns: predicted class)");
        var matrix = new Table().Border(TableBorder.Simple);
        matrix.AddColumn("true \\ predicted");
        for (var k = 0; k < names.Count; k++)
        {
            matrix.AddColumn(new TableColumn(Markup.Escape(Short(names[k]))).RightAligned());
        }

        for (var a = 0; a < names.Count; a++)
        {
            var row = new List<string> { Markup.Escape(names[a]) };
            for (var p = 0; p < names.Count; p++)
            {
                var count = confusion[a, p].ToString(CultureInfo.InvariantCulture);
                row.Add(a == p ? $"[bold]{count}[/]" : count);
            }

            matrix.AddRow(row.ToArray());
        }

        env.Console.Write(matrix);
        var perClass = new Table().Border(TableBorder.Simple)
            .AddColumn("Class").AddColumn(new TableColumn("Precision").RightAligned()).AddColumn(new TableColumn("Recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("Support").RightAligned());
        for (var k = 0; k < names.Count; k++)
        {
            perClass.AddRow(
                Markup.Escape(names[k]),
                confusion.Precision(k).ToString("0.0000", CultureInfo.InvariantCulture),
                confusion.Recall(k).ToString("0.0000", CultureInfo.InvariantCulture),
                confusion.F1(k).ToString("0.0000", CultureInfo.InvariantCulture),
                confusion.Support(k).ToString(CultureInfo.InvariantCulture));
        }

        env.Console.Write(perClass);
    }

    private static string Short(string name) => name.Length <= 12 ? name : name[..11] + "…";
}
