using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogReg.Cli.Commands;

/// <summary>What a cluster job needs to know: the experiment, where it goes, how many shards, and the resources of each.</summary>
public sealed record ClusterJob
{
    /// <summary>The experiment's name (for job names).</summary>
    public required string Name { get; init; }

    /// <summary>The spec file, as the job sees it.</summary>
    public required string Spec { get; init; }

    /// <summary>The experiment folder, as the job sees it (shared by every shard).</summary>
    public required string Output { get; init; }

    public required int Shards { get; init; }

    /// <summary>The folder the jobs start in (relative paths are relative to it).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The command line that runs logreg on the cluster (e.g. "logreg" or "dotnet /opt/logreg/LogReg.Cli.dll").</summary>
    public required string Logreg { get; init; }

    /// <summary>Run the spec on this dataset instead of its own (null: the spec's).</summary>
    public string? Dataset { get; init; }

    public int Cpus { get; init; } = 2;

    /// <summary>Memory per shard, as the scheduler writes it (Slurm "4G", Kubernetes "4Gi"); null: the scheduler's default.</summary>
    public string? Memory { get; init; }

    /// <summary>Slurm only: the time limit ("1:00:00") and partition; null: the cluster's defaults.</summary>
    public string? Time { get; init; }

    public string? Partition { get; init; }

    /// <summary>Kubernetes only: the container image, and the PersistentVolumeClaim mounted at <see cref="Mount"/> (the working folder).</summary>
    public string Image { get; init; } = "logreg:latest";

    public string? Claim { get; init; }

    public string Mount { get; init; } = "/work";
}

/// <summary>
/// Job files for the schedulers people already have: a Slurm submit script (a job array of shards, then a merge job
/// that waits for all of them with afterok) and a Kubernetes Indexed Job. Each shard runs
/// <c>logreg experiment run SPEC --shard auto --shards N --resume</c>, so a rerun task picks up where it stopped.
/// </summary>
public static class ClusterJobs
{
    /// <summary>A bash script that submits the shards as a job array and the merge as a job that depends on it.</summary>
    public static string SlurmSubmitScript(ClusterJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var shardArgs = ShardArguments(job);
        var resources = new StringBuilder();
        resources.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={job.Cpus}\n");
        foreach (var (name, value) in new[] { ("time", job.Time), ("mem", job.Memory), ("partition", job.Partition) })
        {
            if (value is not null)
            {
                resources.Append(CultureInfo.InvariantCulture, $"#SBATCH --{name}={SlurmValue(name, value)}\n");
            }
        }

        var last = job.Shards - 1;
        return string.Create(CultureInfo.InvariantCulture, $$$"""
            #!/usr/bin/env bash
            # Submits the experiment {{{OneLine(job.Name)}}} to Slurm: a job array of {{{job.Shards}}} shards (tasks 0-{{{last}}}), then a merge
            # job that starts once every shard has succeeded (--dependency=afterok). Written by logreg experiment slurm.
            #   bash THIS-SCRIPT        submit the shards and the merge
            #   bash THIS-SCRIPT {{{last}}}        resubmit only task {{{last}}} (shard {{{job.Shards}}}/{{{job.Shards}}}; a list like 0,2 works too), then the
            #                           merge; a shard keeps the runs it finished (--resume)
            # The jobs inherit this shell's environment (LOGREG_DATA_DIR: where the datasets are).
            set -euo pipefail
            out={{{Shell(job.Output)}}}
            tasks="${1:-0-{{{last}}}}"
            mkdir -p "$out/slurm-logs"
            array=$(sbatch --parsable --array="$tasks" --job-name={{{Shell("logreg-" + JobName(job.Name, 50))}}} --chdir={{{Shell(job.WorkingDirectory)}}} \
              --output="$out/slurm-logs/shard-%a.out" <<'SHARDS'
            #!/usr/bin/env bash
            #SBATCH --export=ALL
            {{{resources}}}set -euo pipefail
            exec {{{job.Logreg}}} experiment run {{{shardArgs}}} --shard auto --shards {{{job.Shards}}} --resume --no-report --threads "${SLURM_CPUS_PER_TASK:-0}"
            SHARDS
            )
            array="${array%%;*}"
            merge=$(sbatch --parsable --dependency="afterok:$array" --job-name={{{Shell("logreg-" + JobName(job.Name, 44) + "-merge")}}} --chdir={{{Shell(job.WorkingDirectory)}}} \
              --output="$out/slurm-logs/merge.out" <<'MERGE'
            #!/usr/bin/env bash
            #SBATCH --export=ALL
            {{{resources}}}set -euo pipefail
            exec {{{job.Logreg}}} experiment merge {{{Shell(job.Output)}}}
            MERGE
            )
            merge="${merge%%;*}"
            echo "submitted shards: job array $array (tasks $tasks); merge: job $merge, after every shard succeeds"
            echo "results: $out/results.md when job $merge has finished (squeue -j $array,$merge; logs in $out/slurm-logs)"

            """);
    }

    /// <summary>A Kubernetes Indexed Job: one pod per shard, JOB_COMPLETION_INDEX picking the shard.</summary>
    public static string KubernetesIndexedJob(ClusterJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = "logreg-" + JobName(job.Name, 50);
        var command = new List<string>(SplitCommand(job.Logreg)) { "experiment", "run", job.Spec, "--out", job.Output };
        if (job.Dataset is not null)
        {
            command.AddRange(["--dataset", job.Dataset]);
        }

        command.AddRange(["--shard", "auto", "--shards", job.Shards.ToString(CultureInfo.InvariantCulture), "--resume", "--no-report", "--threads", job.Cpus.ToString(CultureInfo.InvariantCulture)]);
        var lines = new List<string>
        {
            $"# The experiment {OneLine(job.Name)} as a Kubernetes Indexed Job: {job.Shards} pods, pod i running shard i+1/{job.Shards}",
            "# (JOB_COMPLETION_INDEX). Written by logreg experiment k8s.",
            "#   kubectl apply -f THIS-FILE",
            $"#   kubectl wait --for=condition=complete job/{name} --timeout=24h",
            $"# then merge the shards (in a pod with the same volume): {job.Logreg} experiment merge {job.Output}",
            "apiVersion: batch/v1",
            "kind: Job",
            "metadata:",
            $"  name: {Yaml(name)}",
            "  labels:",
            "    app.kubernetes.io/name: logreg",
            "spec:",
            "  completionMode: Indexed",
            $"  completions: {job.Shards}",
            $"  parallelism: {job.Shards}",
            $"  backoffLimit: {Math.Max(6, job.Shards)}",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app.kubernetes.io/name: logreg",
            "    spec:",
            "      restartPolicy: Never",
            "      containers:",
            "        - name: logreg",
            $"          image: {Yaml(job.Image)}",
            $"          workingDir: {Yaml(job.Mount)}",
            $"          command: [{string.Join(", ", command.Select(Yaml))}]",
            "          env:",
            "            - name: LOGREG_SHARDS",
            $"              value: {Yaml(job.Shards.ToString(CultureInfo.InvariantCulture))}",
            "          resources:",
            "            requests:",
            $"              cpu: {Yaml(job.Cpus.ToString(CultureInfo.InvariantCulture))}",
        };
        if (job.Memory is not null)
        {
            lines.Add($"              memory: {Yaml(job.Memory)}");
        }

        if (job.Claim is not null)
        {
            lines.AddRange([
                "          volumeMounts:",
                "            - name: work",
                $"              mountPath: {Yaml(job.Mount)}",
                "      volumes:",
                "        - name: work",
                "          persistentVolumeClaim:",
                $"            claimName: {Yaml(job.Claim)}",
            ]);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string ShardArguments(ClusterJob job)
    {
        var args = $"{Shell(job.Spec)} --out {Shell(job.Output)}";
        return job.Dataset is null ? args : $"{args} --dataset {Shell(job.Dataset)}";
    }

    /// <summary>A name Slurm and Kubernetes both accept (DNS-1123: lower-case letters, digits and '-').</summary>
    internal static string JobName(string name, int maxLength)
    {
        var text = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var result = text.ToString().Trim('-');
        result = result.Length > maxLength ? result[..maxLength].TrimEnd('-') : result;
        return result.Length == 0 ? "experiment" : result;
    }

    /// <summary>Single-quoted for bash.</summary>
    internal static string Shell(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A YAML scalar: JSON's double-quoted string is one.</summary>
    private static string Yaml(string text) => JsonSerializer.Serialize(text);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string[] SplitCommand(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An #SBATCH value: Slurm reads these lines itself, without a shell, so no blanks or quotes.</summary>
    private static string SlurmValue(string name, string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or ',')
            ? value
            : throw new UsageException($"--{(name == "mem" ? "mem" : name)} '{value}': use letters, digits and : - _ . , only (e.g. --time 1:00:00, --mem 4G)");
}
