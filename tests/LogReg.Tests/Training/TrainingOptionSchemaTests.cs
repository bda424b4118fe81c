using System.CommandLine;
using System.Globalization;
using System.Reflection;
using LogReg.Cli;
using LogReg.Core;
using LogReg.Experiments;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Tests.Models;
using LogReg.Training;

namespace LogReg.Tests.Training;

/// <summary>
/// The one option schema against every surface derived from it: if an option is missing from the command line, the
/// spec keys, the model file or the options record, one of these fails.
/// </summary>
public sealed class TrainingOptionSchemaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A value of the option's kind that differs from the default, as text.</summary>
    private static string Other(TrainingOptionDefinition option)
    {
        var current = option.Format(new TrainingOptions());
        return option.Kind switch
        {
            OptionValueKind.Number => current == "0.375" ? "0.625" : "0.375",
            OptionValueKind.Whole => (int.Parse(current, CultureInfo.InvariantCulture) + 3).ToString(CultureInfo.InvariantCulture),
            OptionValueKind.Flag => current == "true" ? "false" : "true",
            _ => option.Choices.First(c => c != current),
        };
    }

    /// <summary>Every option set to a value other than its default.</summary>
    private static TrainingOptions AllChanged() =>
        TrainingOptionSchema.All.Aggregate(new TrainingOptions(), (o, d) => d.Apply(o, Other(d)));

    private const string Holdout = "validation:\n  method: holdout\n  fraction: 0.1\n";

    public static TheoryData<string> Keys() => [.. TrainingOptionSchema.All.Select(d => d.Key)];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_option_changes_its_value_and_formats_it_back_to_the_same_text(string key)
    {
        var option = TrainingOptionSchema.Find(key)!;
        var value = Other(option);

        var changed = option.Apply(new TrainingOptions(), value);

        Assert.NotEqual(new TrainingOptions(), changed);
        Assert.Equal(value, option.Format(changed));
    }

    [Fact]
    public void Every_settable_property_of_the_options_and_the_schedule_is_in_the_schema()
    {
        // Which properties each entry changes, found by setting it: their union must be every init property.
        static IEnumerable<string> Changed(object before, object after, string prefix) =>
            before.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null)
                .SelectMany(p => p.PropertyType == typeof(LearningRateSchedule)
                    ? Changed(p.GetValue(before)!, p.GetValue(after)!, p.Name + ".")
                    : Equals(p.GetValue(before), p.GetValue(after)) ? [] : [prefix + p.Name]);
        var covered = TrainingOptionSchema.All.SelectMany(d => Changed(new TrainingOptions(), d.Apply(new TrainingOptions(), Other(d)), "")).ToHashSet();
        var settable = typeof(TrainingOptions).GetProperties().Where(p => p.SetMethod is not null)
            .SelectMany(p => p.PropertyType == typeof(LearningRateSchedule)
                ? typeof(LearningRateSchedule).GetProperties().Where(q => q.SetMethod is not null).Select(q => p.Name + "." + q.Name)
                : [p.Name]);

        var missing = settable.Where(name => !covered.Contains(name)).ToArray();
        Assert.True(missing.Length == 0, "not in the schema: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_command_line_has_a_flag_for_every_option_and_builds_the_options_it_was_given()
    {
        var cli = new TrainingCliOptions();
        var command = new Command("train");
        cli.AddTo(command);
        foreach (var option in TrainingOptionSchema.All)
        {
            var flag = Assert.Single(command.Options, o => o.Name == option.Flag);
            Assert.Equal(option.Aliases.Order(), flag.Aliases.Order());
        }

        // Every option that applies to SGD at once, then every L-BFGS one (OWL-QN, Newton), each at a value other than its default.
        foreach (var optimizer in Enum.GetValues<OptimizerKind>())
        {
            var args = new List<string>();
            var expected = new TrainingOptions { Optimizer = optimizer };
            foreach (var option in TrainingOptionSchema.All.Where(o => o.Key != "optimizer" && o.AppliesTo(optimizer)))
            {
                var value = option.Key switch
                {
                    "momentum" => "0.5",
                    "patience" or "epochs" or "max_iter" or "lbfgs_memory" or "batch_size" => "7",
                    _ => Other(option),
                };
                expected = option.Apply(expected, value);
                args.AddRange(option.Switch switch
                {
                    CliSwitch.True => value == "true" ? [option.Flag] : [],
                    CliSwitch.False => value == "false" ? [option.Flag] : [],
                    _ => [option.Flag, value],
                });
            }

            args.AddRange(["--optimizer", optimizer.ToString().ToLowerInvariant()]);
            var parse = command.Parse(args);
            Assert.Empty(parse.Errors);
            Assert.Equal(TrainingOptionSchema.ForOptimizer(expected), BuildWithoutValidation(cli, parse));
        }
    }

    private static TrainingOptions BuildWithoutValidation(TrainingCliOptions cli, ParseResult parse)
    {
        try
        {
            return cli.BuildOptions(parse);
        }
        catch (ArgumentException)
        {
            // Out-of-range test values are fine here: what is checked is that each flag reached its option.
            var options = new TrainingOptions();
            foreach (var option in TrainingOptionSchema.All)
            {
                var symbol = cli.Hyperparameters[option.Key];
                if (parse.GetResult(symbol) is { Implicit: false })
                {
                    options = option.Apply(options, symbol is Option<bool> flag
                        ? ((option.Switch == CliSwitch.True) == parse.GetValue(flag) ? "true" : "false")
                        : parse.GetValue((Option<string>)symbol)!);
                }
            }

            return TrainingOptionSchema.ForOptimizer(options);
        }
    }

    [Fact]
    public void A_spec_accepts_every_option_it_may_set_under_options()
    {
        foreach (var option in TrainingOptionSchema.All.Where(o => o.InSpec))
        {
            var optimizer = option.Scope is OptionScope.Lbfgs or OptionScope.FullBatch ? "lbfgs" : "sgd";
            var value = Other(option);
            var yaml = option.Key == "optimizer"
                ? $"name: s\ndataset: mnist\noptions:\n  optimizer: {value}\n{Holdout}"
                : $"name: s\ndataset: mnist\noptions:\n  optimizer: {optimizer}\n  {option.Key}: {value}\n{Holdout}";

            var spec = ExperimentSpecReader.Parse(yaml, "spec.yaml");

            Assert.Equal(value, option.Format(spec.Options));
        }
    }

    [Fact]
    public void The_spec_keys_leave_out_only_what_specs_set_elsewhere()
    {
        Assert.Equal(["seed", "threads", "validation_fraction"], TrainingOptionSchema.All.Where(o => !o.InSpec).Select(o => o.Key).Order());
    }

    [Fact]
    public void A_model_file_records_every_option_and_reads_it_back()
    {
        // One-vs-rest: the only kind every option (the sigmoid decision among them) may be set for.
        var trained = ModelFileTests.TrainSmall(ModelKind.OneVsRest).Model with { Options = AllChanged() };
        var path = _dir.File("model.json");

        ModelFile.Save(trained, path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(trained.Options with { Threads = 0 }, loaded.Options);
        var text = File.ReadAllText(path);
        foreach (var option in TrainingOptionSchema.All.Where(o => o.InModelFile))
        {
            Assert.Contains($"\"{option.Key}\":", text, StringComparison.Ordinal);
        }

        Assert.Equal(["threads"], TrainingOptionSchema.All.Where(o => !o.InModelFile).Select(o => o.Key));
    }

    [Fact]
    public void A_version_1_model_file_keeps_its_nested_schedule_and_its_L_BFGS_iteration_limit()
    {
        var trained = ModelFileTests.TrainSmall().Model with
        {
            Options = new TrainingOptions { Optimizer = OptimizerKind.Lbfgs, MaxIterations = 77, Schedule = LearningRateSchedule.Step(4, 0.25) },
        };
        var text = System.Text.Encoding.UTF8.GetString(ModelFile.Serialize(trained))
            .Replace("\"format_version\": 2", "\"format_version\": 1", StringComparison.Ordinal)
            .Replace("\"max_iter\": 77,", "\"epochs\": 77,", StringComparison.Ordinal)
            .Replace("\"epochs\": 10,", "", StringComparison.Ordinal)
            .Replace("\"schedule\": \"step\",", "\"schedule\": { \"kind\": \"step\", \"decay_epochs\": 4, \"decay_rate\": 0.25, \"min_learning_rate\": 0 },", StringComparison.Ordinal);
        var path = _dir.WriteText("v1.json", text);

        var loaded = ModelFile.Load(path).Options;

        Assert.Equal(77, loaded.MaxIterations);
        Assert.Equal(LearningRateSchedule.Step(4, 0.25), loaded.Schedule);
    }

    [Theory]
    [InlineData("train --optimizer lbfgs --momentum 0.5", "error: --momentum applies to --optimizer sgd; L-BFGS, OWL-QN and Newton use the full batch and choose their own steps")]
    [InlineData("train --tol 1e-6", "error: --tol applies to --optimizer lbfgs, owlqn and newton; SGD runs a fixed number of epochs (see --epochs)")]
    [InlineData("train --optimizer newton --lbfgs-memory 5", "error: --lbfgs-memory applies to --optimizer lbfgs and owlqn; SGD runs a fixed number of epochs (see --epochs) and Newton keeps no curvature memory")]
    [InlineData("train --optimizer newton --penalty l1 --lambda 0.1", "error: Newton needs a twice-differentiable objective")]
    [InlineData("train --optimizer lbfgs --epochs 5", "error: --epochs applies to --optimizer sgd; L-BFGS, OWL-QN and Newton use the full batch and choose their own steps")]
    [InlineData("train --lr fast", "error: --learning-rate: expected a number (was 'fast')")]
    [InlineData("train --lbfgs-memory many --optimizer lbfgs", "error: --lbfgs-memory: expected a whole number (was 'many')")]
    public void The_command_line_rejects_an_option_for_the_other_optimizer_or_a_bad_value_in_one_line(string command, string expected)
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string>(), command.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(expected, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("optimizer: lbfgs\n  momentum: 0.5", "spec.yaml: line 5: momentum applies to --optimizer sgd")]
    [InlineData("lbfgs_memory: 5", "spec.yaml: line 4: lbfgs_memory applies to --optimizer lbfgs")]
    [InlineData("batch_sise: 5", "unknown key 'batch_sise' in options (did you mean 'batch_size'?)")]
    public void A_spec_rejects_an_option_for_the_other_optimizer_on_its_line(string options, string expected)
    {
        var error = Assert.ThrowsAny<Exception>(() => ExperimentSpecReader.Parse($"name: s\ndataset: mnist\noptions:\n  {options}\n{Holdout}", "spec.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
