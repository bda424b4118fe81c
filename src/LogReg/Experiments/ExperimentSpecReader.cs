using System.Globalization;
using LogReg.Common;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LogReg.Experiments;

/// <summary>
/// Reads experiment spec files (YAML). Every unknown key and bad value is a <see cref="LogRegDataException"/> naming the
/// file and the line: "spec.yaml: line 12: unknown key 'learnin_rate' in options (did you mean 'learning_rate'?)".
/// </summary>
public static class ExperimentSpecReader
{
    private static readonly string[] TopKeys =
    [
        "name", "description", "dataset", "classes", "positive", "train_first", "train_last", "test_first", "test_last",
        "scaling", "model", "options", "grid", "validation", "seeds", "repeats", "select", "test",
    ];

    private static readonly string[] ValidationKeys = ["method", "fraction", "folds", "stratified", "shuffle", "dataset", "split"];

    /// <summary>Grid axes that are not training options.</summary>
    public static readonly string[] DataAxes = ["scaling", "model"];

    /// <param name="maxRuns">The most runs (grid points x seeds x folds) the spec may expand to (--max-runs).</param>
    public static ExperimentSpec Read(string path, long maxRuns = Limits.DefaultMaxRuns)
    {
        var text = DataFile.ReadAllText(path, Limits.MaxSpecBytes);
        if (text.Length == 0)
        {
            throw new LogRegDataException(path, "file is empty");
        }

        return Parse(text, path, maxRuns);
    }

    /// <summary>Parses the YAML <paramref name="text"/> of the spec file <paramref name="path"/>; refuses a grid of more than <paramref name="maxRuns"/> runs.</summary>
    public static ExperimentSpec Parse(string text, string path, long maxRuns = Limits.DefaultMaxRuns)
    {
        var yaml = new YamlStream();
        try
        {
            CheckDepth(text, path);
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {e.Start.Line}: not valid YAML: {FirstLine(e.Message)}"), e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner gives up with no position on a flow collection ([ or {) left open at the end.
            throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {UnclosedBracketLine(text)}: not valid YAML: a '[' or '{{' is never closed"), e);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new LogRegDataException(path, "an experiment spec must be a YAML mapping (name:, dataset:, options:, grid:, ...)");
        }

        return new Reader(path, maxRuns).Read(root);
    }

    /// <summary>
    /// Walks the YAML events (YamlDotNet's scanner and parser keep explicit stacks) and refuses nesting deeper than
    /// <see cref="Limits.MaxYamlDepth"/> before the representation model, which recurses once per level and overflows
    /// the stack on 10^5 nested brackets, sees the text. Aliases are counted too: a spec has no use for thousands.
    /// </summary>
    private static void CheckDepth(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var aliases = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > Limits.MaxYamlDepth)
                    {
                        throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {parser.Current.Start.Line}: nested more than {Limits.MaxYamlDepth} levels deep; a spec needs 3"));
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
                case YamlDotNet.Core.Events.AnchorAlias when ++aliases > Limits.MaxYamlAliases:
                    throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {parser.Current.Start.Line}: more than {Limits.MaxYamlAliases} aliases (*name); a spec needs none"));
            }
        }
    }

    /// <summary>The line of the first '[' or '{' outside quotes and comments that is still open at the end (1 if none).</summary>
    private static int UnclosedBracketLine(string text)
    {
        var open = new Stack<int>();
        var line = 1;
        var quote = '\0';
        var comment = false;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                comment = false;
                continue;
            }

            if (comment)
            {
                continue;
            }

            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#')
            {
                comment = true;
            }
            else if (c is '[' or '{')
            {
                open.Push(line);
            }
            else if (c is ']' or '}' && open.Count > 0)
            {
                open.Pop();
            }
        }

        return open.Count > 0 ? open.Last() : 1;
    }

    private static string FirstLine(string message)
    {
        var index = message.IndexOfAny(['\r', '\n']);
        return (index < 0 ? message : message[..index]).Trim();
    }

    private sealed class Reader(string path, long maxRuns)
    {
        public ExperimentSpec Read(YamlMappingNode root)
        {
            var entries = Entries(root, TopKeys, "the spec");
            var name = entries.TryGetValue("name", out var n) ? Scalar(n, "name") : Path.GetFileNameWithoutExtension(path);
            if (SafeName.Problem(name) is { } problem)
            {
                throw Error(n ?? root, $"name '{SafeName.Quote(name)}' must be usable as a folder name: it {problem} (use letters, digits, - _ . +, at most {Limits.MaxNameLength} characters, not starting with . or -)");
            }

            var preparation = new DataPreparation
            {
                TrainFirst = OptionalWhole(entries, "train_first"),
                TrainLast = OptionalWhole(entries, "train_last"),
                TestFirst = OptionalWhole(entries, "test_first"),
                TestLast = OptionalWhole(entries, "test_last"),
                // A table's columns have no common scale: standardised unless the spec says otherwise, as train does.
                Scaling = entries.TryGetValue("scaling", out var scaling) ? ParseScaling(scaling)
                    : entries.TryGetValue("dataset", out var dataNode) && dataNode is YamlScalarNode { Value: { } dataPath } && TabularCsvReader.IsTablePath(dataPath) ? ScalingKind.ZScore
                    : ScalingKind.Divide255,
            };
            try
            {
                preparation.Validate();
            }
            catch (InvalidSettingException e)
            {
                throw Error(root, e.Problem);
            }

            List<string>? classes = null;
            if (entries.TryGetValue("classes", out var classNode))
            {
                classes = List(classNode, "classes");
                if (classes.Count != 2)
                {
                    throw Error(classNode, $"classes takes two classes, e.g. [2, 8] (found {classes.Count})");
                }
            }

            string? positive = entries.TryGetValue("positive", out var positiveNode) ? Scalar(positiveNode, "positive") : null;
            if (classes is not null && positive is not null)
            {
                throw Error(positiveNode!, "classes and positive cannot be combined: a class pair or one class against the rest");
            }

            ModelKind? model = entries.TryGetValue("model", out var modelNode) ? ParseModel(modelNode) : null;
            var options = new TrainingOptions();
            if (entries.TryGetValue("options", out var optionsNode))
            {
                foreach (var (key, value) in Entries(optionsNode, TrainingOptionSchema.SpecKeys, "options", mapping: true, suggest: true))
                {
                    options = ApplyOption(options, key, value);
                }
            }

            var grid = new List<GridAxis>();
            if (entries.TryGetValue("grid", out var gridNode))
            {
                foreach (var (key, value) in Entries(gridNode, [.. TrainingOptionSchema.SpecKeys, .. DataAxes], "grid", mapping: true, suggest: true))
                {
                    var values = List(value, $"grid.{key}");
                    if (values.Count == 0)
                    {
                        throw Error(value, $"grid axis '{key}' has no values");
                    }

                    foreach (var v in values)
                    {
                        // Check each value now, with its line, rather than when the run starts.
                        if (key == "scaling")
                        {
                            _ = ModelFile.ParseScaling(v) ?? throw Error(value, $"grid.scaling: expected one of none, divide255, minmax, zscore (was '{v}')");
                        }
                        else if (key == "model")
                        {
                            _ = ModelFile.ParseKind(v) ?? throw Error(value, $"grid.model: expected one of logistic, softmax, ovr (was '{v}')");
                        }
                        else
                        {
                            ApplyOption(options, key, value, v);
                        }
                    }

                    grid.Add(new GridAxis(key, values, Line(value)));
                }
            }

            CheckApplicable(optionsNode, gridNode, options, grid);

            var validation = entries.TryGetValue("validation", out var validationNode) ? ReadValidation(validationNode) : new ValidationProtocol();
            int[] seeds = [0];
            if (entries.TryGetValue("seeds", out var seedsNode))
            {
                seeds = List(seedsNode, "seeds").Select(v => Whole(seedsNode, "seeds", v)).ToArray();
                if (seeds.Length == 0 || seeds.Distinct().Count() != seeds.Length)
                {
                    throw Error(seedsNode, "seeds must be a list of distinct whole numbers, e.g. [0, 1, 2]");
                }
            }

            if (entries.TryGetValue("repeats", out var repeatsNode))
            {
                if (entries.ContainsKey("seeds"))
                {
                    throw Error(repeatsNode, "give either seeds or repeats, not both");
                }

                var repeats = Whole(repeatsNode, "repeats", Scalar(repeatsNode, "repeats"));
                if (repeats < 1)
                {
                    throw Error(repeatsNode, $"repeats must be ≥ 1 (was {repeats})");
                }

                seeds = Enumerable.Range(0, repeats).ToArray();
            }

            var runs = Limits.Product([.. grid.Select(a => (long)a.Values.Count), seeds.Length, validation.RunsPerSeed]);
            if (runs > maxRuns)
            {
                var points = Limits.Product(grid.Select(a => (long)a.Values.Count));
                throw Error(
                    gridNode ?? root,
                    $"the spec expands to {Limits.Count(runs)} runs ({Limits.Count(points)} grid points x {seeds.Length} seed(s) x {validation.RunsPerSeed} fold(s)), more than the limit of {maxRuns}; pass --max-runs to allow more");
            }

            var select = entries.TryGetValue("select", out var selectNode) ? Scalar(selectNode, "select") : "val_accuracy";
            if (select is not ("val_accuracy" or "val_loss" or "train_accuracy" or "train_loss"))
            {
                throw Error(selectNode!, $"select must be val_accuracy, val_loss, train_accuracy or train_loss (was '{select}')");
            }

            if (select.StartsWith("val", StringComparison.Ordinal) && validation.Method == ValidationMethod.None)
            {
                throw Error(selectNode ?? root, $"select: {select} needs validation data: add validation: {{ method: holdout }} or kfold, or select train_accuracy");
            }

            var test = TestProtocol.Runs;
            if (entries.TryGetValue("test", out var testNode))
            {
                test = Scalar(testNode, "test") switch
                {
                    "runs" => TestProtocol.Runs,
                    "retrain" => TestProtocol.Retrain,
                    "none" => TestProtocol.None,
                    var other => throw Error(testNode, $"test must be runs (every run's model on the test split), retrain (best options on all training data) or none (was '{other}')"),
                };
            }

            if (options.EarlyStopping && validation.Method == ValidationMethod.None)
            {
                throw Error(optionsNode ?? root, "early_stopping needs validation data: add validation: { method: holdout, fraction: 0.1 } or kfold");
            }

            return new ExperimentSpec
            {
                Name = name,
                Description = entries.TryGetValue("description", out var d) ? Scalar(d, "description") : "",
                SourcePath = path,
                Dataset = entries.TryGetValue("dataset", out var ds) ? DatasetName(ds, "dataset") : "mnist",
                Classes = classes,
                Positive = positive,
                Preparation = preparation,
                Model = model,
                Options = options,
                Grid = grid,
                Validation = validation,
                Seeds = seeds,
                Select = select,
                Test = test,
            };
        }

        private ValidationProtocol ReadValidation(YamlNode node)
        {
            var entries = Entries(node, ValidationKeys, "validation", mapping: true);
            var method = entries.TryGetValue("method", out var m)
                ? Scalar(m, "validation.method") switch
                {
                    "none" => ValidationMethod.None,
                    "holdout" => ValidationMethod.HoldOut,
                    "kfold" => ValidationMethod.KFold,
                    "given" => ValidationMethod.Given,
                    var other => throw Error(m, $"validation.method must be none, holdout, kfold or given (was '{other}')"),
                }
                : ValidationMethod.HoldOut;
            var protocol = new ValidationProtocol(method);
            if (entries.TryGetValue("fraction", out var f))
            {
                var fraction = Number(f, "validation.fraction");
                if (!(fraction > 0 && fraction < 1))
                {
                    throw Error(f, string.Create(CultureInfo.InvariantCulture, $"validation.fraction must be in (0, 1) (was {fraction}); e.g. 0.1 holds out 10 %"));
                }

                protocol = protocol with { Fraction = fraction };
            }

            if (entries.TryGetValue("folds", out var k))
            {
                var folds = Whole(k, "validation.folds", Scalar(k, "validation.folds"));
                if (folds < 2 || folds > Limits.MaxFolds)
                {
                    throw Error(k, $"validation.folds must be between 2 and {Limits.MaxFolds} (was {folds})");
                }

                protocol = protocol with { Folds = folds };
            }

            if (entries.TryGetValue("stratified", out var s))
            {
                protocol = protocol with { Stratified = Flag(s, "validation.stratified") };
            }

            if (entries.TryGetValue("shuffle", out var sh))
            {
                protocol = protocol with { Shuffle = Flag(sh, "validation.shuffle") };
            }

            if (entries.TryGetValue("dataset", out var ds))
            {
                protocol = protocol with { Dataset = DatasetName(ds, "validation.dataset") };
            }

            if (entries.TryGetValue("split", out var sp))
            {
                var split = Scalar(sp, "validation.split");
                if (split is not ("train" or "test"))
                {
                    throw Error(sp, $"validation.split must be train or test (was '{split}')");
                }

                protocol = protocol with { Split = split };
            }

            if (method == ValidationMethod.Given && protocol.Dataset is null && !entries.ContainsKey("split"))
            {
                throw Error(node, "validation.method given needs a dataset: and/or split: for the validation images");
            }

            return protocol;
        }

        /// <summary>
        /// An option set under options: or grid: that means nothing to any optimizer the spec uses (e.g. momentum with
        /// optimizer: lbfgs) is a mistake, reported on its line by the schema's one check.
        /// </summary>
        private void CheckApplicable(YamlNode? optionsNode, YamlNode? gridNode, TrainingOptions options, List<GridAxis> grid)
        {
            var optimizerAxis = grid.FirstOrDefault(a => a.Name == "optimizer");
            OptimizerKind[] optimizers = optimizerAxis is null
                ? [options.Optimizer]
                : [.. optimizerAxis.Values.Select(v => TrainingOptionSchema.Apply(options, "optimizer", v).Optimizer).Distinct()];
            IEnumerable<(string Key, YamlNode Node)> set =
            [
                .. (optionsNode as YamlMappingNode)?.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Key)) ?? [],
                .. (gridNode as YamlMappingNode)?.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Key)) ?? [],
            ];
            foreach (var (key, node) in set)
            {
                if (TrainingOptionSchema.NotApplicable([key], optimizers, d => d.Key) is { } problem)
                {
                    throw Error(node, problem);
                }
            }
        }

        private TrainingOptions ApplyOption(TrainingOptions options, string key, YamlNode node, string? value = null)
        {
            value ??= Scalar(node, $"options.{key}");
            try
            {
                return TrainingOptionSchema.Apply(options, key, value);
            }
            catch (FormatException e)
            {
                throw Error(node, $"{key}: {e.Message}");
            }
        }

        private Dictionary<string, YamlNode> Entries(YamlNode node, IEnumerable<string> allowed, string where, bool mapping = true, bool suggest = true)
        {
            if (node is not YamlMappingNode map)
            {
                throw Error(node, $"{where} must be a mapping of keys to values");
            }

            var known = allowed.ToHashSet(StringComparer.Ordinal);
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? throw Error(keyNode, $"keys in {where} must be plain names");
                if (!known.Contains(key))
                {
                    var hint = suggest && DidYouMean.Closest(key, known) is { } close ? $" (did you mean '{close}'?)" : "";
                    throw Error(keyNode, $"unknown key '{key}' in {where}{hint}");
                }

                if (!result.TryAdd(key, valueNode))
                {
                    throw Error(keyNode, $"'{key}' appears twice in {where}");
                }
            }

            _ = mapping;
            return result;
        }

        private string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"{what} must be a single value");

        /// <summary>A dataset name or folder: a plain value, not YAML's null (~, null or nothing).</summary>
        private string DatasetName(YamlNode node, string what)
        {
            var value = Scalar(node, what);
            if (node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } && value is "" or "~" or "null" or "Null" or "NULL")
            {
                throw Error(node, $"{what} is empty: name a dataset (mnist, fashion-mnist, kmnist, kmnist-partial) or a folder");
            }

            return value;
        }

        private List<string> List(YamlNode node, string what) => node switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(c => Scalar(c, what)).ToList(),
            YamlScalarNode scalar => [Scalar(scalar, what)],
            _ => throw Error(node, $"{what} must be a value or a list of values"),
        };

        private int? OptionalWhole(Dictionary<string, YamlNode> entries, string key) =>
            entries.TryGetValue(key, out var node) ? Whole(node, key, Scalar(node, key)) : null;

        private int Whole(YamlNode node, string what, string value) =>
            int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Error(node, $"{what} must be a whole number (was '{value}')");

        private double Number(YamlNode node, string what)
        {
            var value = Scalar(node, what);
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : throw Error(node, $"{what} must be a number (was '{value}')");
        }

        private bool Flag(YamlNode node, string what) => Scalar(node, what).ToLowerInvariant() switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            var other => throw Error(node, $"{what} must be true or false (was '{other}')"),
        };

        private ScalingKind ParseScaling(YamlNode node)
        {
            var value = Scalar(node, "scaling");
            return ModelFile.ParseScaling(value) ?? throw Error(node, $"scaling must be none, divide255, minmax or zscore (was '{value}')");
        }

        private ModelKind ParseModel(YamlNode node)
        {
            var value = Scalar(node, "model");
            return ModelFile.ParseKind(value) ?? throw Error(node, $"model must be logistic, softmax or ovr (was '{value}')");
        }

        private static int Line(YamlNode node) => (int)node.Start.Line;

        private LogRegDataException Error(YamlNode node, string problem) =>
            new(path, string.Create(CultureInfo.InvariantCulture, $"line {node.Start.Line}: {problem}"));
    }
}
