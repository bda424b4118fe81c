using LogReg.Core;
using LogReg.Data;
using LogReg.Experiments;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Tests.Experiments;

public sealed class ExperimentSpecReaderTests
{
    private const string Valid = """
        name: kmnist-0v6
        description: a test spec
        dataset: kmnist
        classes: [0, 6]
        train_first: 20000
        test_last: 2000
        scaling: zscore
        model: logistic
        options:
          epochs: 100
          reduction: sum
          momentum: 0
          schedule: inverse-time
          decay_epochs: 3
          l1_mode: subgradient
        grid:
          learning_rate: [0.1, 0.01, 0.001]
          batch_size: [64, 128]
        validation:
          method: kfold
          folds: 10
          stratified: true
        seeds: [0, 1]
        select: val_loss
        test: retrain
        """;

    private static ExperimentSpec Parse(string text) => ExperimentSpecReader.Parse(text, "spec.yaml");

    private static string Problem(string text) =>
        Assert.Throws<LogRegDataException>(() => Parse(text)).Message;

    [Fact]
    public void A_full_spec_is_read_into_data_options_grid_validation_seeds_and_protocol()
    {
        var spec = Parse(Valid);

        Assert.Equal("kmnist-0v6", spec.Name);
        Assert.Equal("kmnist", spec.Dataset);
        Assert.Equal(["0", "6"], spec.Classes);
        Assert.Equal(20000, spec.Preparation.TrainFirst);
        Assert.Equal(2000, spec.Preparation.TestLast);
        Assert.Equal(ScalingKind.ZScore, spec.Preparation.Scaling);
        Assert.Equal(ModelKind.Logistic, spec.Model);
        Assert.Equal(100, spec.Options.Epochs);
        Assert.Equal(Reduction.Sum, spec.Options.Reduction);
        Assert.Equal(0, spec.Options.Momentum);
        Assert.Equal(LearningRateSchedule.InverseTime(3), spec.Options.Schedule);
        Assert.Equal(L1Mode.Subgradient, spec.Options.L1Mode);
        Assert.Equal(["learning_rate", "batch_size"], spec.Grid.Select(a => a.Name));
        Assert.Equal(["0.1", "0.01", "0.001"], spec.Grid[0].Values);
        Assert.Equal(new ValidationProtocol(ValidationMethod.KFold, Folds: 10, Stratified: true), spec.Validation);
        Assert.Equal([0, 1], spec.Seeds);
        Assert.Equal("val_loss", spec.Select);
        Assert.Equal(TestProtocol.Retrain, spec.Test);
    }

    [Fact]
    public void Defaults_are_a_holdout_free_single_seed_run_of_the_spec_file_name()
    {
        var spec = Parse("dataset: mnist\nselect: train_accuracy\n");

        Assert.Equal("spec", spec.Name);
        Assert.Empty(spec.Grid);
        Assert.Equal(ValidationMethod.None, spec.Validation.Method);
        Assert.Equal([0], spec.Seeds);
        Assert.Equal(TestProtocol.Runs, spec.Test);
    }

    [Fact]
    public void Repeats_are_seeds_from_zero()
    {
        Assert.Equal([0, 1, 2], Parse("repeats: 3\nselect: train_accuracy\n").Seeds);
    }

    public static TheoryData<string, string> Mistakes() => new()
    {
        { "gird:\n  learning_rate: [1]\n", "spec.yaml: line 1: unknown key 'gird' in the spec (did you mean 'grid'?)" },
        { "options:\n  learnin_rate: 0.1\n", "spec.yaml: line 2: unknown key 'learnin_rate' in options (did you mean 'learning_rate'?)" },
        { "options:\n  batch_size: many\n", "spec.yaml: line 2: batch_size: expected a whole number (was 'many')" },
        { "options:\n  penalty: l3\n", "spec.yaml: line 2: penalty: expected one of none, l1, l2, elasticnet (was 'l3')" },
        { "grid:\n  learning_rate: [0.1, fast]\n", "spec.yaml: line 2: learning_rate: expected a number (was 'fast')" },
        { "grid:\n  scaling: [zscore, log]\n", "spec.yaml: line 2: grid.scaling: expected one of none, divide255, minmax, zscore (was 'log')" },
        { "grid:\n  learning_rate: []\n", "spec.yaml: line 2: grid axis 'learning_rate' has no values" },
        { "validation:\n  method: bootstrap\n", "spec.yaml: line 2: validation.method must be none, holdout, kfold or given (was 'bootstrap')" },
        { "validation:\n  method: kfold\n  folds: 1\n", "spec.yaml: line 3: validation.folds must be between 2 and 100 (was 1)" },
        { "validation:\n  fraction: 1.5\n", "spec.yaml: line 2: validation.fraction must be in (0, 1) (was 1.5)" },
        { "select: val_accuracy\n", "spec.yaml: line 1: select: val_accuracy needs validation data" },
        { "options:\n  early_stopping: true\nselect: train_loss\n", "spec.yaml: line 2: early_stopping needs validation data" },
        { "classes: [1, 2, 3]\n", "spec.yaml: line 1: classes takes two classes, e.g. [2, 8] (found 3)" },
        { "classes: [1, 2]\npositive: 3\n", "spec.yaml: line 2: classes and positive cannot be combined" },
        { "train_first: 10\ntrain_last: 10\n", "TrainFirst and TrainLast cannot both be set" },
        { "options: [1, 2]\n", "spec.yaml: line 1: options must be a mapping of keys to values" },
        { "test: maybe\nselect: train_loss\n", "spec.yaml: line 1: test must be runs" },
        { "seeds: [1, 1]\nselect: train_loss\n", "spec.yaml: line 1: seeds must be a list of distinct whole numbers" },
        { "name: [a\n", "spec.yaml: line 2: not valid YAML" },
        { "- just\n- a list\n", "spec.yaml: an experiment spec must be a YAML mapping" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Unknown_keys_and_bad_values_are_errors_with_the_line(string text, string expected)
    {
        Assert.Contains(expected, Problem(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_preset_in_experiments_is_a_valid_spec()
    {
        var root = Fixtures.RealData.RepositoryRoot()!;
        var presets = Directory.GetFiles(Path.Combine(root, "experiments"), "*.yaml");

        Assert.NotEmpty(presets);
        foreach (var preset in presets)
        {
            var spec = ExperimentSpecReader.Read(preset);
            Assert.Equal(Path.GetFileNameWithoutExtension(preset), spec.Name);
            Assert.NotEmpty(spec.Description);
            foreach (var point in GridPoint.Expand(spec))
            {
                point.Options.Validate(); // every grid point's options, not only the spec's common ones
            }
        }
    }

    private static ExperimentSpec Preset(string name) =>
        ExperimentSpecReader.Read(Path.Combine(Fixtures.RealData.RepositoryRoot()!, "experiments", name + ".yaml"));

    [Fact]
    public void The_presets_keep_the_readings_of_the_documents_that_experiments_RESULTS_md_chose()
    {
        // Seed 003 (the notebook): a mean gradient, and the ten-unit model's argmax over sigmoid outputs.
        Assert.Equal(Reduction.Mean, Preset("mnist-1-vs-rest").Options.Reduction);
        Assert.Equal(Reduction.Mean, Preset("mnist-ovr").Options.Reduction);
        Assert.Equal(Decision.Probabilities, Preset("mnist-ovr").Options.Decision);

        // Seed 002 section 3: the softmax runs go as long as the document's 1,000 epochs.
        Assert.All(new[] { "mnist-softmax-l1", "mnist-softmax-l2" }, n => Assert.Equal(1000, Preset(n).Options.Epochs));

        // Seeds 001/002 section 3.2: the hold-out is the first 10 % of the training images, not a random sample. (The
        // binary presets keep a seeded sample: their text does not say, and RESULTS.md has the runs of both.)
        Assert.All(new[] { "mnist-softmax-l1", "mnist-softmax-l2" }, n => Assert.False(Preset(n).Validation.Shuffle));
        Assert.All(new[] { "mnist-logistic-2v3", "mnist-logistic-2v8-regularization" }, n => Assert.True(Preset(n).Validation.Shuffle));

        // Seed 001/002 Fig. 7: the penalty sweeps reach λ = 1 for both penalties.
        foreach (var name in new[] { "mnist-logistic-2v3-regularization", "mnist-logistic-2v8-regularization" })
        {
            var points = GridPoint.Expand(Preset(name));
            Assert.Contains(points, p => p.Options.Penalty == Penalty.L1 && p.Options.Lambda == 1);
            Assert.Contains(points, p => p.Options.Penalty == Penalty.L2 && p.Options.Lambda == 1);
        }

        // Seed 001/002 Fig. 2: mini-batches of about 10 % of the (about 3,600) training images.
        Assert.All(new[] { "mnist-report-minibatch-2v3", "mnist-report-minibatch-2v8" }, n => Assert.InRange(Preset(n).Options.BatchSize, 300, 420));
    }
}
