using System.Diagnostics;
using LogReg.Cli.Commands;
using LogReg.Tests.Fixtures;
using YamlDotNet.RepresentationModel;

namespace LogReg.Tests.Cli;

/// <summary>The job files of logreg experiment slurm and logreg experiment k8s (no cluster needed).</summary>
public sealed class ClusterJobTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliResult Run(params string[] args) => Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, args);

    private string Spec() => _dir.WriteText("spec.yaml", ShardedExperimentTests.QuickSpec);

    [Fact]
    public void The_slurm_script_submits_a_job_array_of_the_shards_and_a_merge_after_all_of_them()
    {
        var spec = Spec();

        var result = Run("experiment", "slurm", spec, "--shards", "5", "--partition", "short", "--time", "0:30:00", "--cpus", "4", "--mem", "8G", "--out", "submit.sh", "--logreg", "/opt/logreg/logreg");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"wrote {_dir.File("submit.sh")}: 5 shards as a Slurm job array, then the merge into {_dir.File("runs/quick-2v8")}", result.Output, StringComparison.Ordinal);
        var script = File.ReadAllText(_dir.File("submit.sh"));
        Assert.Contains("tasks=\"${1:-0-4}\"", script, StringComparison.Ordinal);
        Assert.Contains("sbatch --parsable --array=\"$tasks\"", script, StringComparison.Ordinal);
        Assert.Contains("sbatch --parsable --dependency=\"afterok:$array\"", script, StringComparison.Ordinal);
        foreach (var line in new[] { "#SBATCH --cpus-per-task=4", "#SBATCH --time=0:30:00", "#SBATCH --mem=8G", "#SBATCH --partition=short" })
        {
            Assert.Equal(2, script.Split('\n').Count(l => l == line)); // in the shards' script and the merge's
        }

        Assert.Contains($"exec /opt/logreg/logreg experiment run '{spec}' --out '{_dir.File("runs/quick-2v8")}' --shard auto --shards 5 --resume --no-report", script, StringComparison.Ordinal);
        Assert.Contains($"exec /opt/logreg/logreg experiment merge '{_dir.File("runs/quick-2v8")}'", script, StringComparison.Ordinal);
        Assert.Equal(0, Bash("-n", _dir.File("submit.sh")).ExitCode);
    }

    [Fact]
    public void The_slurm_script_submits_through_sbatch_as_written()
    {
        // A stand-in sbatch on PATH records what it was given: the options, and the job script it read from stdin.
        var bin = Directory.CreateDirectory(_dir.File("bin")).FullName;
        var log = _dir.File("sbatch.log");
        File.WriteAllText(Path.Combine(bin, "sbatch"), $"""
            #!/usr/bin/env bash
            n=$(ls {_dir.Path}/job-*.sh 2>/dev/null | wc -l)
            echo "$*" >> '{log}'
            cat > '{_dir.Path}'/job-$n.sh
            echo "$((41 + n));cluster"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(bin, "sbatch"), (UnixFileMode)0b111_101_101);
        }
        Assert.Equal(0, Run("experiment", "slurm", Spec(), "--shards", "3", "--out", "submit.sh", "--logreg", "logreg").ExitCode);

        var submitted = Bash(_dir.File("submit.sh"), path: bin);

        Assert.True(submitted.ExitCode == 0, submitted.Error);
        Assert.Contains("submitted shards: job array 41 (tasks 0-2); merge: job 42, after every shard succeeds", submitted.Output, StringComparison.Ordinal);
        var calls = File.ReadAllLines(log);
        Assert.StartsWith("--parsable --array=0-2 --job-name=logreg-quick-2v8 ", calls[0], StringComparison.Ordinal);
        Assert.StartsWith("--parsable --dependency=afterok:41 --job-name=logreg-quick-2v8-merge ", calls[1], StringComparison.Ordinal);
        Assert.Contains("--shard auto --shards 3 --resume", File.ReadAllText(_dir.File("job-0.sh")), StringComparison.Ordinal);
        Assert.Contains("experiment merge", File.ReadAllText(_dir.File("job-1.sh")), StringComparison.Ordinal);

        // One task again (a shard that failed): the array is just that task, the merge after it.
        File.Delete(log);
        Assert.Equal(0, Bash(_dir.File("submit.sh"), "2", path: bin).ExitCode);
        Assert.StartsWith("--parsable --array=2 ", File.ReadAllLines(log)[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shards", "0", "error: --shards must be 1 to 100000, not 0")]
    [InlineData("--cpus", "0", "error: --cpus must be at least 1, not 0")]
    [InlineData("--time", "1 hour", "error: --time '1 hour': use letters, digits and : - _ . , only (e.g. --time 1:00:00, --mem 4G)")]
    public void A_bad_slurm_option_is_a_one_line_error(string option, string value, string message)
    {
        var args = new List<string> { "experiment", "slurm", Spec(), "--out", "submit.sh", option, value };
        if (option != "--shards")
        {
            args.AddRange(["--shards", "2"]);
        }

        var result = Run([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(_dir.File("submit.sh")));
    }

    [Fact]
    public void The_kubernetes_manifest_is_an_indexed_job_with_the_fields_the_job_schema_requires()
    {
        var result = Run("experiment", "k8s", Spec(), "--shards", "4", "--image", "registry.example/logreg:1.0", "--pvc", "sweeps", "--cpus", "2", "--mem", "4Gi", "--out", "job.yaml");

        Assert.True(result.ExitCode == 0, result.Error);
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(_dir.File("job.yaml"))))
        {
            stream.Load(reader);
        }

        var job = (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
        Assert.Equal("batch/v1", Scalar(job, "apiVersion"));
        Assert.Equal("Job", Scalar(job, "kind"));
        var name = Scalar(job, "metadata", "name");
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name); // DNS-1123, as the API server requires
        Assert.Equal("logreg-quick-2v8", name);
        Assert.Equal("Indexed", Scalar(job, "spec", "completionMode"));
        Assert.Equal("4", Scalar(job, "spec", "completions"));
        Assert.Equal("4", Scalar(job, "spec", "parallelism"));
        var pod = (YamlMappingNode)Node(job, "spec", "template", "spec");
        Assert.Contains(Scalar(pod, "restartPolicy"), new[] { "Never", "OnFailure" });
        var container = (YamlMappingNode)Assert.Single((YamlSequenceNode)Node(pod, "containers"));
        Assert.Equal("logreg", Scalar(container, "name"));
        Assert.Equal("registry.example/logreg:1.0", Scalar(container, "image"));
        var command = ((YamlSequenceNode)Node(container, "command")).Select(n => ((YamlScalarNode)n).Value!).ToArray();
        Assert.Equal(["logreg", "experiment", "run", Spec(), "--out", "runs/quick-2v8", "--shard", "auto", "--shards", "4", "--resume", "--no-report", "--threads", "2"], command);
        var variable = (YamlMappingNode)Assert.Single((YamlSequenceNode)Node(container, "env"));
        Assert.Equal(("LOGREG_SHARDS", "4"), (Scalar(variable, "name"), Scalar(variable, "value")));
        Assert.Equal("4Gi", Scalar(container, "resources", "requests", "memory"));
        var mount = (YamlMappingNode)Assert.Single((YamlSequenceNode)Node(container, "volumeMounts"));
        var volume = (YamlMappingNode)Assert.Single((YamlSequenceNode)Node(pod, "volumes"));
        Assert.Equal(Scalar(mount, "name"), Scalar(volume, "name"));
        Assert.Equal("sweeps", Scalar(volume, "persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public void A_job_name_is_made_fit_for_kubernetes_and_slurm()
    {
        Assert.Equal("mnist-best-linear", ClusterJobs.JobName("MNIST best_linear!", 50));
        Assert.Equal("experiment", ClusterJobs.JobName("???", 50));
        Assert.Equal("abc", ClusterJobs.JobName("abc-def", 4));
    }

    private static YamlNode Node(YamlMappingNode root, params string[] path)
    {
        YamlNode node = root;
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.ContainsKey(new YamlScalarNode(key)), $"no '{key}' in {string.Join('.', path)}");
            node = mapping.Children[new YamlScalarNode(key)];
        }

        return node;
    }

    private static string Scalar(YamlMappingNode root, params string[] path) => Assert.IsType<YamlScalarNode>(Node(root, path)).Value!;

    private static CliResult Bash(string script, string? argument = null, string? path = null) => Bash(argument is null ? [script] : [script, argument], path);

    private static CliResult Bash(string[] args, string? path)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (path is not null)
        {
            start.Environment["PATH"] = path + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new CliResult(process.ExitCode, output.Result, error);
    }

    private static CliResult Bash(string flag, string script) => Bash([flag, script], null);
}
