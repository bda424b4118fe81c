using System.Text.Json;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Experiments;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Reporting;

/// <summary>A report's content and its PNG figures by file name (relative to the report's folder).</summary>
public sealed record Report(ReportDocument Document, IReadOnlyDictionary<string, byte[]> Figures);

/// <summary>
/// Gathers a report from what a run or an experiment left in its folder: the model, the histories, the metrics, the
/// results and the confusion matrix; and, where the images can be found, class averages, samples and the worst
/// mistakes. Nothing is trained: for a class-pair model, the difference of two one-vs-rest models that the report sets
/// beside the pair's weights comes from the run (<see cref="OneVsRestDifference"/>), in memory or from its folder.
/// </summary>
public sealed class ReportBuilder
{
    /// <summary>The folder the figures are written to, inside the report's folder.</summary>
    public const string FiguresFolder = "figures";

    private const int WeightZoom = 6;
    private const int SampleZoom = 3;
    private const int MistakeZoom = 4;
    private const int SamplesPerClass = 10;
    /// <summary>How many of the most confident test mistakes a report shows.</summary>
    public const int MistakeCount = TrainingPipeline.KeptMistakes;

    private readonly Dictionary<string, byte[]> _figures = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private ReportDataSource _data;
    private readonly ILinearKernel _kernel;

    private ReportBuilder(ReportDataSource data, ILinearKernel? kernel)
    {
        _data = data;
        _kernel = kernel ?? LinearKernels.Default;
    }

    /// <summary>Whether <paramref name="directory"/> holds a training run (model.json).</summary>
    public static bool IsRun(string directory) => File.Exists(Path.Combine(directory, RunFiles.Model));

    /// <summary>Whether <paramref name="directory"/> holds an experiment (experiment.json).</summary>
    public static bool IsExperiment(string directory) => File.Exists(Path.Combine(directory, ExperimentRunner.ManifestFile));

    /// <summary>
    /// The report of a training run folder (what logreg train writes, or one run of an experiment), loaded from its
    /// files (<see cref="RunForReport.Load"/>): what <c>logreg report DIR</c> does.
    /// </summary>
    public static Report ForRun(string directory, ReportDataSource data) => ForRun(RunForReport.Load(directory), data, null);

    /// <summary>As the public overload, scoring on a given kernel.</summary>
    internal static Report ForRun(string directory, ReportDataSource data, ILinearKernel? kernel) => ForRun(RunForReport.Load(directory), data, kernel);

    /// <summary>
    /// The report of an experiment folder (what logreg experiment run writes), loaded from its files
    /// (<see cref="ExperimentForReport.Load"/>): what <c>logreg report DIR</c> does.
    /// </summary>
    public static Report ForExperiment(string directory, ReportDataSource data) => ForExperiment(ExperimentForReport.Load(directory), data, null);

    /// <summary>As the public overload, scoring on a given kernel.</summary>
    internal static Report ForExperiment(string directory, ReportDataSource data, ILinearKernel? kernel) => ForExperiment(ExperimentForReport.Load(directory), data, kernel);

    /// <summary>
    /// The report of an experiment its caller has in memory (logreg experiment run, merge, as they finish): the results
    /// with the histories and models they keep; nothing is read back from the folder, and the model's test evaluation,
    /// when the caller made it, is not made again.
    /// </summary>
    public static Report ForExperiment(ExperimentForReport experiment, ReportDataSource data) => ForExperiment(experiment, data, null);

    /// <summary>As the public overload, scoring on a given kernel.</summary>
    internal static Report ForExperiment(ExperimentForReport experiment, ReportDataSource data, ILinearKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(data);
        return new ReportBuilder(data, kernel).BuildExperiment(experiment);
    }

    /// <summary>
    /// The report of a run its caller has in memory (logreg train, as it finishes): nothing is read back from the
    /// folder, and the test evaluation, when given, is the one the caller already made (confusion matrix and mistakes).
    /// </summary>
    public static Report ForRun(RunForReport run, ReportDataSource data) => ForRun(run, data, null);

    /// <summary>As the public overload, scoring on a given kernel.</summary>
    internal static Report ForRun(RunForReport run, ReportDataSource data, ILinearKernel? kernel)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(data);
        return new ReportBuilder(data, kernel).BuildRun(run);
    }

    private Report BuildRun(RunForReport run)
    {
        var (model, history, seconds, directory) = (run.Model, run.History, run.TrainSeconds, run.Directory);
        var summary = ModelSummary(model);
        summary.Add(new("Training time", seconds is { } s ? Invariant.Format($"{s:0.0##} s") : "not recorded"));
        summary.Add(new("Stopped", StopDescription(model.Metrics)));
        summary.Add(new("Folder", Path.GetFullPath(directory)));

        var curves = new List<CurvePoint>();
        if (history is not null)
        {
            AddCurves(curves, "run", [history]);
        }
        else
        {
            _notes.Add("no history.json: the training curves are left out");
        }

        var sections = ModelSections(model, run.TestEvaluation is { } test ? Confusion("Test confusion matrix", test.ClassNames, test.Confusion) : run.SavedConfusion, run.OneVsRestDifference, run.TestEvaluation);
        var document = new ReportDocument
        {
            Kind = "run",
            Title = RunTitle(model),
            Incomplete = model.Metrics.StopReason == StopReason.Interrupted
                ? Invariant.Format($"Training was interrupted after {model.Metrics.EpochsRun} epochs; the model is the one kept so far ({(model.Metrics.BestEpoch > 0 ? $"epoch {model.Metrics.BestEpoch}" : "the initial weights")}).")
                : null,
            Description = model.Dataset.Description,
            GeneratedBy = TrainedModel.CurrentVersion,
            Summary = summary,
            FinalMetrics = FinalMetrics(model.Metrics),
            Curves = curves,
            BestEpoch = model.Metrics.BestEpoch > 0 ? model.Metrics.BestEpoch : null,
            Weights = sections.Weights,
            Coefficients = CoefficientBars.For(model),
            Samples = sections.Samples,
            Confusion = sections.Confusion,
            Mistakes = sections.Mistakes,
            LeastAccurate = ExperimentFigures.LeastAccurate(sections.Confusion, sections.Samples),
            Notes = _notes,
        };
        return new Report(document, _figures);
    }

    private Report BuildExperiment(ExperimentForReport experiment)
    {
        var (directory, results) = (experiment.Directory, experiment.Results);
        var spec = results.Spec;
        _data = _data.At(spec.Dataset);
        var summary = new List<SummaryItem>
        {
            new("Experiment", spec.Name),
            new("Data", results.DataDescription.StartsWith("Data: ", StringComparison.Ordinal) ? results.DataDescription[6..].TrimEnd('.') : results.DataDescription),
            new("Grid", spec.Grid.Count == 0 ? "none (one point)" : string.Join("; ", spec.Grid.Select(a => $"{a.Name} ∈ {{{string.Join(", ", a.Values)}}}"))),
            new("Runs", Invariant.Format($"{results.FinishedRuns} of {results.TotalRuns} finished ({results.RunsPerPoint} per grid point)")),
            new("Selected by", Invariant.Format($"mean {spec.Select.Replace('_', ' ')}; test protocol: {(spec.Test == TestProtocol.Retrain ? "best options retrained on all training data" : "every run tested")}")),
            new("Wall time", (results.ElapsedSeconds is { } e ? Invariant.Format($"{e:0.0} s for the experiment command; ") : "")
                + Invariant.Format($"{results.Points.Sum(p => p.Runs.Sum(r => r.FitSeconds)):0.0} s of training over all runs")),
        };

        var curves = new List<CurvePoint>();
        foreach (var point in results.Points.Where(p => p.Runs.Count > 0))
        {
            var histories = point.Runs
                .Select(r => results.Runs.History(r.Key))
                .OfType<TrainingHistory>()
                .ToList();
            AddCurves(curves, PointLabel(point.Point), histories);
        }

        var (columns, rows) = results.Table();
        var table = new ResultsTable(
            columns.Select(c => c.Header).ToList(),
            rows.Select(r => new ResultsTableRow(PointLabel(r.Point.Point), r.Cells, r.SortKeys, r.Best)).ToList(),
            spec.Select.Replace('_', ' '),
            results.RunsPerPoint > 1 ? Invariant.Format($"mean ± std over {results.RunsPerPoint} runs per point") : "one run per point");

        List<LambdaPoint> sweep = results.IsPenaltySweep ? LambdaSweep(results) : [];
        var incomplete = results.FinishedRuns < results.TotalRuns
            ? Invariant.Format($"Only {results.FinishedRuns} of {results.TotalRuns} runs have finished (the experiment was interrupted or is still running): the tables and charts show those. Continue it with logreg experiment run SPEC --resume.")
            : null;
        var document = new ReportDocument
        {
            Kind = "experiment",
            Title = spec.Name,
            Incomplete = incomplete,
            Description = spec.Description.Length > 0 ? spec.Description.Trim() : null,
            GeneratedBy = TrainedModel.CurrentVersion,
            Summary = summary,
            Curves = curves,
            Results = table,
            LambdaSweep = sweep,
            GridWeights = ExperimentFigures.GridWeights(results, _figures),
            Notes = _notes,
        };
        var modelDirectory = results.ModelDirectory;
        if (modelDirectory is not null && results.Model is { } model)
        {
            var difference = OneVsRestDifference.AppliesTo(model) ? experiment.OneVsRestDifference : null;
            var which = results.Retrained is not null ? "the best options retrained on all training data" : Invariant.Format($"the best run ({results.BestRun!.Key.Point.Describe()}, seed {results.BestRun.Key.Seed}, fold {results.BestRun.Key.Fold})");
            summary.Add(new("Model shown", Invariant.Format($"{which}: {ModelFile.KindName(model.Kind)}, {modelDirectory}")));
            summary.AddRange(ModelSummary(model).Where(i => i.Label is "Options" or "Data checksum" or "LogReg"));
            var confusion = results.TestConfusion is { } t ? Confusion(t.Caption, t.ClassNames, t.Matrix) : null;
            var sections = ModelSections(model, confusion, difference, results.Runs.TestEvaluation(results.ModelRun!.Key));
            document = document with
            {
                FinalMetrics = FinalMetrics(model.Metrics),
                Weights = sections.Weights,
                Coefficients = CoefficientBars.For(model),
                Samples = sections.Samples,
                Confusion = sections.Confusion,
                Mistakes = sections.Mistakes,
                PairDifferences = ExperimentFigures.PairDifferences(directory, model, _data, _kernel, _figures, _notes),
                LeastAccurate = ExperimentFigures.LeastAccurate(sections.Confusion, sections.Samples),
            };
        }
        else
        {
            _notes.Add("no finished run yet: the model sections are left out");
        }

        return new Report(document, _figures);
    }

    private static string PointLabel(GridPoint point) => point.Parameters.Count == 0 ? "all runs" : point.Describe();

    /// <summary>Mean, min and max of each split's loss and accuracy per epoch over the histories (of one grid point's runs).</summary>
    private static void AddCurves(List<CurvePoint> curves, string point, List<TrainingHistory> histories)
    {
        if (histories.Count == 0)
        {
            return;
        }

        var epochs = histories.SelectMany(h => h.Epochs).Select(e => e.Epoch).Distinct().Order().ToArray();
        var byEpoch = histories.Select(h => h.Epochs.ToDictionary(e => e.Epoch)).ToArray();
        (string Metric, string Split, Func<EpochRecord, double?> Value)[] series =
        [
            ("loss", "train", e => e.TrainLoss),
            ("loss", "validation", e => e.ValidationLoss),
            ("loss", "test", e => e.TestLoss),
            ("accuracy", "train", e => e.TrainAccuracy),
            ("accuracy", "validation", e => e.ValidationAccuracy),
            ("accuracy", "test", e => e.TestAccuracy),
        ];
        foreach (var (metric, split, value) in series)
        {
            foreach (var epoch in epochs)
            {
                var values = byEpoch
                    .Select(h => h.TryGetValue(epoch, out var e) ? value(e) : null)
                    .Where(v => v is { } x && double.IsFinite(x))
                    .Select(v => v!.Value)
                    .ToArray();
                if (values.Length > 0)
                {
                    curves.Add(new CurvePoint(point, epoch, metric, split, values.Average(), values.Min(), values.Max(), values.Length));
                }
            }
        }
    }

    private static List<LambdaPoint> LambdaSweep(ExperimentResults results)
    {
        var points = new List<LambdaPoint>();
        foreach (var p in results.Points.Where(p => p.Runs.Count > 0))
        {
            var options = p.Point.Options;
            points.Add(new LambdaPoint(
                options.Penalty.ToString().ToLowerInvariant(),
                options.Lambda,
                p.Mean("weight_l1_norm"),
                p.Mean("weight_norm"),
                p.Mean("test_accuracy"),
                p.Mean("val_accuracy"),
                p.Runs.Count));
        }

        return points;
    }

    private static List<SummaryItem> ModelSummary(TrainedModel model)
    {
        var p = model.Preparation;
        var classes = model.ClassNames.Count <= 12 ? string.Join(", ", model.ClassNames) : Invariant.Format($"{model.ClassNames.Count} classes");
        return
        [
            new("Model", Invariant.Format($"{ModelFile.KindName(model.Kind)}, {model.ClassNames.Count} classes ({classes}), {(model.Table is { } table ? $"{table.FeatureNames.Count} features (label column '{table.LabelColumn}')" : $"{model.Shape} images")}")),
            new("Training data", model.Dataset.Description),
            new("Test data", TestDescription(model)),
            new("Selection", Invariant.Format($"{p.Classes}{(p.TrainFirst is { } tf ? $"; first {tf} training images" : p.TrainLast is { } tl ? $"; last {tl} training images" : "")}{(p.TestFirst is { } sf ? $"; first {sf} test images" : p.TestLast is { } sl ? $"; last {sl} test images" : "")}")),
            new("Scaling", ModelFile.ScalingName(p.Scaling)),
            new("Options", model.Options.Describe() + Invariant.Format($", seed {model.Options.Seed}")),
            new("Data checksum", Invariant.Format($"train SHA-256 {model.Dataset.TrainSha256}{(model.Dataset.TestSha256 is { } t ? $"; test SHA-256 {t}" : "")}")),
            new("LogReg", model.CreatedBy),
        ];
    }

    private static string TestDescription(TrainedModel model)
    {
        if (model.Dataset.TestSha256 is null)
        {
            return "none";
        }

        var p = model.Preparation;
        var subset = p.TestFirst is { } f ? Invariant.Format($", first {f}") : p.TestLast is { } l ? Invariant.Format($", last {l}") : "";
        return Invariant.Format($"{model.Dataset.Name} test{subset}");
    }

    private static string StopDescription(FinalMetrics m) => m.StopReason switch
    {
        StopReason.EarlyStopped => Invariant.Format($"early after {m.EpochsRun} epochs; kept epoch {m.BestEpoch}"),
        StopReason.Converged => Invariant.Format($"converged after {m.EpochsRun} iterations"),
        StopReason.Diverged => Invariant.Format($"diverged after {m.EpochsRun} epochs; kept {(m.BestEpoch > 0 ? $"epoch {m.BestEpoch}" : "the initial weights")}"),
        StopReason.Interrupted => Invariant.Format($"interrupted after {m.EpochsRun} epochs; kept {(m.BestEpoch > 0 ? $"epoch {m.BestEpoch}" : "the weights so far")}"),
        _ => m.BestEpoch > 0 && m.BestEpoch != m.EpochsRun
            ? Invariant.Format($"after {m.EpochsRun} epochs; kept the best validation epoch, {m.BestEpoch}")
            : Invariant.Format($"after {m.EpochsRun} epochs"),
    };

    private static List<SplitMetrics> FinalMetrics(FinalMetrics m)
    {
        var rows = new List<SplitMetrics> { new("train", m.TrainAccuracy, m.TrainLoss) };
        if (m.ValidationAccuracy is not null)
        {
            rows.Add(new("validation", m.ValidationAccuracy, m.ValidationLoss));
        }

        if (m.TestAccuracy is not null)
        {
            rows.Add(new("test", m.TestAccuracy, m.TestLoss));
        }

        return rows;
    }

    internal static double? ReadTrainSeconds(string metricsPath)
    {
        if (!File.Exists(metricsPath))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(metricsPath));
            return document.RootElement.TryGetProperty("train_seconds", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
        }
        catch (JsonException e)
        {
            throw new LogRegDataException(metricsPath, $"not valid JSON ({e.Message.Split('.')[0]})", e);
        }
    }

    internal static ConfusionReport? ReadConfusion(string directory, string caption)
    {
        var path = Path.Combine(directory, RunFiles.TestConfusion);
        if (!File.Exists(path))
        {
            return null;
        }

        var (matrix, names) = ConfusionMatrix.ReadCsv(path);
        return Confusion(caption, names, matrix);
    }

    internal static ConfusionReport Confusion(string caption, IReadOnlyList<string> names, ConfusionMatrix matrix)
    {
        var counts = new List<IReadOnlyList<long>>();
        var perClass = new List<ClassMetrics>();
        for (var k = 0; k < names.Count; k++)
        {
            var row = new long[names.Count];
            for (var j = 0; j < names.Count; j++)
            {
                row[j] = matrix[k, j];
            }

            counts.Add(row);
            var truePositive = matrix[k, k];
            var falsePositive = matrix.Predicted(k) - truePositive;
            var falseNegative = matrix.Support(k) - truePositive;
            var trueNegative = matrix.Total - truePositive - falsePositive - falseNegative;
            var accuracy = matrix.Total == 0 ? 0 : (double)(truePositive + trueNegative) / matrix.Total;
            perClass.Add(new ClassMetrics(names[k], matrix.Support(k), accuracy, matrix.Precision(k), matrix.Recall(k), matrix.F1(k)));
        }

        return new ConfusionReport(caption, names, counts, matrix.Accuracy, perClass);
    }

    private (WeightFigures? Weights, IReadOnlyList<ClassSamples> Samples, ConfusionReport? Confusion, IReadOnlyList<MistakeItem> Mistakes) ModelSections(TrainedModel model, ConfusionReport? confusion, OneVsRestDifference? difference, EvaluationReport? testEvaluation = null)
    {
        if (model.Table is not null)
        {
            // A table has no images to draw: the coefficient bars take the weight images' place, and the confusion matrix
            // is the one its caller scored or saved (the CSV is not read again).
            return (null, [], confusion, []);
        }

        var (train, trainProblem) = _data.For(model, DatasetSplit.Train);
        var (test, testProblem) = model.Dataset.TestSha256 is null ? (null, "the model has no test split") : _data.For(model, DatasetSplit.Test);
        if (train is null)
        {
            _notes.Add($"class averages are left out: {trainProblem}");
        }

        var weights = WeightSection(model, train, difference);
        var samples = test is not null ? SampleSection(test) : train is not null ? SampleSection(train) : [];
        if (test is null && train is null)
        {
            _notes.Add($"sample images are left out: {testProblem ?? trainProblem}");
        }

        IReadOnlyList<MistakeItem> mistakes = [];
        if (test is not null)
        {
            // Scored here only when the caller has not scored the test split already (logreg report DIR).
            var evaluation = testEvaluation ?? ModelEvaluator.Evaluate(model, test, topK: 1, mistakes: MistakeCount, _kernel);
            confusion ??= Confusion("Test confusion matrix", evaluation.ClassNames, evaluation.Confusion);
            mistakes = MistakeSection(test, evaluation);
        }
        else if (model.Dataset.TestSha256 is not null)
        {
            _notes.Add($"the most confident mistakes are left out: {testProblem}");
        }

        return (weights, samples, confusion, mistakes);
    }

    private WeightFigures WeightSection(TrainedModel model, Dataset? train, OneVsRestDifference? difference)
    {
        var shape = model.Shape;
        var m = model.Model;
        _figures[Figure("colorbar")] = ImageFigures.ColorBar(240, 12);
        var averages = train is null ? null : ClassAverages(train);
        var classes = new List<WeightImage>();
        double shared;
        PairWeights? pair = null;
        string caption;
        if (m.Outputs == 1)
        {
            // A binary model has one weight image: positive weights vote for the second class, negative for the first.
            shared = ImageFigures.SymmetricScale(m.WeightsOf(0));
            var file = Figure("weights-binary");
            _figures[file] = ImageFigures.Weights(m.WeightsOf(0), shape, shared, WeightZoom);
            for (var k = 0; k < 2; k++)
            {
                classes.Add(new WeightImage(model.ClassNames[k], file, file, shared, averages is null ? null : AverageFigure(averages[k], shape, k)));
            }

            var (differenceFile, differenceScale, differenceCaption) = model.Preparation.Classes.Kind == ClassSubsetKind.Pair
                ? DifferenceFigure(model, difference)
                : (null, (double?)null, "");
            pair = new PairWeights(model.ClassNames[0], model.ClassNames[1], file, shared, differenceFile, differenceScale, differenceCaption);
            caption = Invariant.Format($"Weights of the binary model: red pixels are evidence for {model.ClassNames[1]}, blue for {model.ClassNames[0]}.");
        }
        else
        {
            shared = ImageFigures.SymmetricScale(m.Weights);
            for (var k = 0; k < m.Outputs; k++)
            {
                var w = m.WeightsOf(k);
                var own = ImageFigures.SymmetricScale(w);
                var sharedFile = Figure(Invariant.Format($"weights-shared-{k:00}"));
                var ownFile = Figure(Invariant.Format($"weights-own-{k:00}"));
                _figures[sharedFile] = ImageFigures.Weights(w, shape, shared, WeightZoom);
                _figures[ownFile] = ImageFigures.Weights(w, shape, own, WeightZoom);
                classes.Add(new WeightImage(model.ClassNames[k], sharedFile, ownFile, own, averages is null ? null : AverageFigure(averages[k], shape, k)));
            }

            caption = Invariant.Format($"Weights per class ({(model.Kind == ModelKind.OneVsRest ? "one sigmoid unit each" : "softmax")}): red pixels raise the class's score, blue lower it.");
        }

        return new WeightFigures(caption, shared, Figure("colorbar"), classes, pair);
    }

    /// <summary>
    /// The figure of the difference of two one-vs-rest logistic models (positive class vs rest minus negative class vs
    /// rest) that the run trained alongside the pair model; a note when it has none.
    /// </summary>
    private (string? File, double? Scale, string Caption) DifferenceFigure(TrainedModel model, OneVsRestDifference? difference)
    {
        if (difference is null)
        {
            _notes.Add($"the one-vs-rest weight difference is left out: the run has no {OneVsRestDifference.FileName} (logreg train writes it with the report, unless --no-ovr-difference)");
            return (null, null, "");
        }

        var scale = ImageFigures.SymmetricScale(difference.Weights);
        var file = Figure("weights-ovr-difference");
        _figures[file] = ImageFigures.Weights(difference.Weights, model.Shape, scale, WeightZoom);
        return (file, scale, Invariant.Format($"w({model.ClassNames[1]} vs rest) − w({model.ClassNames[0]} vs rest): two one-vs-rest logistic models trained alongside the pair model, with its options, on the same {difference.TrainingImages} training images, all classes"));
    }

    private static double[][] ClassAverages(Dataset data)
    {
        var sums = new double[data.ClassCount][];
        var counts = new int[data.ClassCount];
        for (var k = 0; k < sums.Length; k++)
        {
            sums[k] = new double[data.FeatureCount];
        }

        for (var i = 0; i < data.Count; i++)
        {
            var label = data.Label(i);
            counts[label]++;
            var image = data.Image(i);
            var sum = sums[label];
            for (var j = 0; j < image.Length; j++)
            {
                sum[j] += image[j];
            }
        }

        for (var k = 0; k < sums.Length; k++)
        {
            if (counts[k] > 0)
            {
                for (var j = 0; j < sums[k].Length; j++)
                {
                    sums[k][j] /= counts[k];
                }
            }
        }

        return sums;
    }

    private string AverageFigure(double[] average, ImageShape shape, int k)
    {
        var file = Figure(Invariant.Format($"class-average-{k:00}"));
        _figures[file] = ImageFigures.Ink(average, shape, WeightZoom);
        return file;
    }

    private List<ClassSamples> SampleSection(Dataset data)
    {
        var samples = new List<ClassSamples>();
        for (var k = 0; k < data.ClassCount; k++)
        {
            var images = new List<byte[]>();
            for (var i = 0; i < data.Count && images.Count < SamplesPerClass; i++)
            {
                if (data.Label(i) == k)
                {
                    images.Add(data.Image(i).ToArray());
                }
            }

            if (images.Count == 0)
            {
                continue;
            }

            var file = Figure(Invariant.Format($"samples-{k:00}"));
            _figures[file] = ImageFigures.Strip(images, data.Shape, SampleZoom, gap: 4);
            samples.Add(new ClassSamples(data.ClassNames[k], file, images.Count));
        }

        return samples;
    }

    private List<MistakeItem> MistakeSection(Dataset test, EvaluationReport evaluation)
    {
        var items = new List<MistakeItem>();
        foreach (var mistake in evaluation.ConfidentMistakes)
        {
            var file = Figure(Invariant.Format($"mistake-{items.Count:00}"));
            _figures[file] = ImageFigures.Ink(test.Image(mistake.Index), test.Shape, MistakeZoom);
            items.Add(new MistakeItem(mistake.Index, test.ClassNames[mistake.Actual], test.ClassNames[mistake.Predicted], mistake.Probability, file));
        }

        return items;
    }

    private static string Figure(string name) => FiguresFolder + "/" + name + ".png";

    /// <summary>"Softmax regression on mnist", "Logistic regression on mnist: 2 vs 8".</summary>
    private static string RunTitle(TrainedModel model)
    {
        var kind = model.Kind switch
        {
            ModelKind.Logistic => "Logistic regression",
            ModelKind.Softmax => "Softmax regression",
            _ => "One-vs-rest logistic regression",
        };
        var classes = model.Preparation.Classes.Kind switch
        {
            ClassSubsetKind.Pair => Invariant.Format($": {model.ClassNames[0]} vs {model.ClassNames[1]}"),
            ClassSubsetKind.OneVsRest => Invariant.Format($": {model.ClassNames[1]} vs rest"),
            _ => "",
        };
        return Invariant.Format($"{kind} on {model.Dataset.Name}{classes}");
    }
}

/// <summary>
/// A finished run as its report needs it: the model, its history and training time, the folder it was saved to, and
/// either the test evaluation its caller made (confusion matrix and most confident mistakes, so the report scores
/// nothing again) or the confusion matrix saved with it; and, for a class-pair model, the one-vs-rest difference the run
/// trained alongside it (the report never trains).
/// </summary>
public sealed record RunForReport(
    TrainedModel Model,
    TrainingHistory? History,
    double? TrainSeconds,
    string Directory,
    EvaluationReport? TestEvaluation,
    ConfusionReport? SavedConfusion = null,
    OneVsRestDifference? OneVsRestDifference = null)
{
    /// <summary>A run folder's model, history, training time, confusion matrix and one-vs-rest difference: the disk side of <c>logreg report DIR</c>.</summary>
    /// <exception cref="LogRegDataException">The folder has no model file, or one of its files is malformed.</exception>
    public static RunForReport Load(string directory)
    {
        var model = ModelFile.Load(Path.Combine(directory, RunFiles.Model));
        var historyPath = Path.Combine(directory, RunFiles.HistoryJson);
        var history = File.Exists(historyPath) ? TrainingHistory.ReadJson(historyPath) : null;
        var seconds = ReportBuilder.ReadTrainSeconds(Path.Combine(directory, RunFiles.Metrics));
        var difference = OneVsRestDifference.AppliesTo(model) ? OneVsRestDifference.Read(directory, model.Shape.PixelCount) : null;
        return new RunForReport(model, history, seconds, directory, null, ReportBuilder.ReadConfusion(directory, "Test confusion matrix"), difference);
    }
}

/// <summary>
/// A finished experiment as its report needs it: its folder, its results with what they keep of the runs (histories and
/// the models drawn, <see cref="ExperimentResults.Runs"/>), and, for a class-pair model, the one-vs-rest difference
/// trained alongside the experiment's model (the report never trains). The runner's outcome gives it in memory;
/// <see cref="Load"/> reads it from the folder.
/// </summary>
public sealed record ExperimentForReport(string Directory, ExperimentResults Results, OneVsRestDifference? OneVsRestDifference = null)
{
    /// <summary>An experiment folder's results, its runs read on demand, and the saved one-vs-rest difference: the disk side of <c>logreg report DIR</c>.</summary>
    /// <exception cref="LogRegDataException">The folder is not an experiment folder, or one of its files is malformed.</exception>
    public static ExperimentForReport Load(string directory)
    {
        var results = ExperimentResults.Load(directory);
        var difference = results.ModelDirectory is { } shown && results.Model is { } model && OneVsRestDifference.AppliesTo(model)
            ? OneVsRestDifference.Read(Path.Combine(directory, shown), model.Shape.PixelCount)
            : null;
        return new ExperimentForReport(directory, results, difference);
    }
}
