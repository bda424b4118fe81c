using System.Text.Json;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

public sealed class BenchCommandTests
{
    [SkippableFact]
    public void Bench_json_prints_one_object_per_configuration_with_the_timing_fields()
    {
        var env = Fixtures.Cli.WithRealData(Path.Combine(Path.GetTempPath(), "logreg-bench-xdg"));

        var result = Fixtures.Cli.Run(env, "bench", "--json", "--models", "softmax,logistic", "--batch-sizes", "256,0", "--epochs", "1", "--repeats", "1");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        var configurations = lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["softmax", "softmax", "logistic", "logistic"], configurations.Select(c => c.GetProperty("model").GetString()));
        Assert.Equal([256, 0, 256, 0], configurations.Select(c => c.GetProperty("batch_size").GetInt32()));
        foreach (var c in configurations)
        {
            Assert.True(c.GetProperty("threads").GetInt32() >= 1);
            var min = c.GetProperty("min_epoch_s").GetDouble();
            Assert.True(min > 0 && min <= c.GetProperty("median_epoch_s").GetDouble() && c.GetProperty("median_epoch_s").GetDouble() <= c.GetProperty("max_epoch_s").GetDouble());
            Assert.InRange(c.GetProperty("test_accuracy").GetDouble(), 0.5, 1.0);
        }
    }

    [SkippableFact]
    public void Bench_trains_the_same_softmax_model_whether_zero_stretches_are_skipped_or_read()
    {
        var env = Fixtures.Cli.WithRealData(Path.Combine(Path.GetTempPath(), "logreg-bench-xdg"));
        double Accuracy(string zeros)
        {
            var result = Fixtures.Cli.Run(env, "bench", "--json", "--models", "softmax", "--batch-sizes", "256", "--epochs", "1", "--repeats", "1", "--zero-stretches", zeros);
            Assert.Equal(0, result.ExitCode);
            return JsonDocument.Parse(result.Output).RootElement.GetProperty("test_accuracy").GetDouble();
        }

        Assert.Equal(Accuracy("read"), Accuracy("skip"));
    }

    [Fact]
    public void Bench_rejects_a_bad_batch_size_list()
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string>(), "bench", "--batch-sizes", "128,x");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: --batch-sizes: 'x' is not a whole number ≥ 0"], result.ErrorLines);
    }

    [Fact]
    public void Bench_rejects_an_unknown_zero_stretch_choice_naming_the_choices()
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string>(), "bench", "--zero-stretches", "maybe");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'maybe'", line, StringComparison.Ordinal);
        Assert.Contains("'auto' 'skip' 'read'", line, StringComparison.Ordinal);
    }
}
