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

    [SkippableFact]
    public void Without_256_bit_vectors_the_kernel_runs_the_128_bit_path_and_trains_the_same_model()
    {
        // DOTNET_EnableAVX2=0 tells the runtime that 256-bit vectors are not accelerated, as on an ARM64 laptop: the
        // automatic choice must then be the 128-bit path, not the scalar reference. With SSE4.1 off as well, bytes are
        // widened by the portable code that NEON machines run, and AVX's block losses give way to the row-by-row ones.
        var env = Fixtures.Cli.WithRealData(Path.Combine(Path.GetTempPath(), "logreg-bench-xdg"));
        string[] args = ["bench", "--json", "--models", "softmax", "--batch-sizes", "0", "--epochs", "1", "--repeats", "1"];
        JsonElement Run(Dictionary<string, string> environment, params string[] extra)
        {
            var result = Fixtures.Cli.RunProcess(environment, [.. args, .. extra]);
            Assert.True(result.ExitCode == 0, result.Error);
            return JsonDocument.Parse(result.Output).RootElement;
        }

        var noAvx2 = Run(new Dictionary<string, string>(env) { ["DOTNET_EnableAVX2"] = "0" });
        var portable = Run(new Dictionary<string, string>(env) { ["DOTNET_EnableAVX2"] = "0", ["DOTNET_EnableSSE41"] = "0" });
        var wide = Run(env, "--width", "vector256");

        Assert.StartsWith("fused-vector128-", noAvx2.GetProperty("kernel").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("fused-vector128-", portable.GetProperty("kernel").GetString(), StringComparison.Ordinal);
        var expected = wide.GetProperty("test_accuracy").GetDouble();
        Assert.InRange(noAvx2.GetProperty("test_accuracy").GetDouble(), expected - 0.002, expected + 0.002);
        Assert.InRange(portable.GetProperty("test_accuracy").GetDouble(), expected - 0.002, expected + 0.002);
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
