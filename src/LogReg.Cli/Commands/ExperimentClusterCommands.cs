using System.CommandLine;
using System.Globalization;
using LogReg.Common;
using LogReg.Experiments;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg experiment slurm SPEC --shards N</c> and <c>logreg experiment k8s SPEC --shards N</c>: write the job files
/// that run an experiment's shards on a cluster and merge them.
/// </summary>
public static class ExperimentClusterCommands
{
    public static Command Slurm(CliEnvironment env)
    {
        var o = new CommonJobOptions(isSlurm: true);
        var partition = new Option<string?>("--partition") { Description = "Slurm partition [default: the cluster's]", HelpName = "P" };
        var time = new Option<string?>("--time") { Description = "Time limit of each shard, e.g. 1:00:00 [default: the partition's]", HelpName = "T" };
        var command = new Command("slurm", "Write a Slurm submit script: the shards as a job array, then a merge job (afterok)") { partition, time };
        o.AddTo(command);
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var job = o.Job(env, parseResult) with { Partition = parseResult.GetValue(partition), Time = parseResult.GetValue(time) };
            var script = ClusterJobs.SlurmSubmitScript(job);
            var path = o.OutputFile(env, parseResult, job, "slurm.sh");
            AtomicFile.WriteAllText(path, script);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {job.Shards} shards as a Slurm job array, then the merge into {job.Output}"));
            env.Output.WriteLine($"submit it with: bash {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Kubernetes(CliEnvironment env)
    {
        var o = new CommonJobOptions(isSlurm: false);
        var image = new Option<string>("--image") { Description = "Container image with logreg", DefaultValueFactory = _ => "logreg:latest", HelpName = "IMAGE" };
        var claim = new Option<string?>("--pvc") { Description = "PersistentVolumeClaim holding the spec and the experiment folder, mounted at --mount", HelpName = "CLAIM" };
        var mount = new Option<string>("--mount") { Description = "Where the volume is mounted (the pods' working folder)", DefaultValueFactory = _ => "/work", HelpName = "PATH" };
        var command = new Command("k8s", "Write a Kubernetes Indexed Job manifest: one pod per shard") { image, claim, mount };
        o.AddTo(command);
        command.SetAction(parseResult => CommandRunner.Run(env, () =>
        {
            var job = o.Job(env, parseResult, inContainer: true) with
            {
                Image = parseResult.GetRequiredValue(image),
                Claim = parseResult.GetValue(claim),
                Mount = parseResult.GetRequiredValue(mount),
            };
            var manifest = ClusterJobs.KubernetesIndexedJob(job);
            var path = o.OutputFile(env, parseResult, job, "k8s.yaml");
            AtomicFile.WriteAllText(path, manifest);
            env.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: an Indexed Job of {job.Shards} pods, one per shard"));
            env.Output.WriteLine($"start it with: kubectl apply -f {path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The options both commands share.</summary>
    private sealed class CommonJobOptions
    {
        private readonly Argument<string> _spec = new("SPEC") { Description = "The experiment spec (YAML)" };
        private readonly Option<int> _shards = new("--shards") { Description = "Number of shards (array tasks / pods)", Required = true, HelpName = "N" };
        private readonly Option<string?> _output = new("--out", "-o") { Description = "The file to write [default: runs/NAME-slurm.sh or runs/NAME-k8s.yaml]", HelpName = "FILE" };
        private readonly Option<string?> _results = new("--results") { Description = "The experiment folder the shards share [default: runs/NAME]", HelpName = "DIR" };
        private readonly Option<string?> _dataset = new("--dataset", "-d") { Description = "Run on this dataset instead of the spec's", HelpName = "NAME|DIR" };
        private readonly Option<int> _cpus;
        private readonly Option<string?> _memory;
        private readonly Option<string?> _logreg = new("--logreg") { Description = "The command that runs logreg on the cluster [default: this logreg]", HelpName = "CMD" };

        public CommonJobOptions(bool isSlurm)
        {
            _output.AcceptLegalFilePathsOnly();
            _cpus = new Option<int>("--cpus") { Description = "Cores per shard", DefaultValueFactory = _ => 2, HelpName = "C" };
            _memory = new Option<string?>("--mem") { Description = isSlurm ? "Memory per shard, e.g. 4G [default: the partition's]" : "Memory request per pod, e.g. 4Gi", HelpName = "M" };
        }

        public void AddTo(Command command)
        {
            command.Add(_spec);
            command.Add(_shards);
            command.Add(_cpus);
            command.Add(_memory);
            command.Add(_output);
            command.Add(_results);
            command.Add(_dataset);
            command.Add(_logreg);
        }

        /// <param name="inContainer">Paths stay as given (they are the container's); on Slurm they are made absolute, as the shared filesystem sees them.</param>
        public ClusterJob Job(CliEnvironment env, ParseResult parseResult, bool inContainer = false)
        {
            var shards = parseResult.GetValue(_shards);
            if (shards is < 1 or > Shard.MaxCount)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--shards must be 1 to {Shard.MaxCount}, not {shards}"));
            }

            var cpus = parseResult.GetValue(_cpus);
            if (cpus < 1)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--cpus must be at least 1, not {cpus}"));
            }

            var specArgument = parseResult.GetRequiredValue(_spec);
            var spec = ExperimentSpecReader.Read(env.ResolvePath(specArgument)); // a spec with mistakes fails here, not on the cluster
            var dataset = parseResult.GetValue(_dataset);
            var results = parseResult.GetValue(_results) ?? Path.Combine("runs", dataset is null ? spec.Name : $"{spec.Name}-{Path.GetFileName(dataset.TrimEnd('/'))}");
            return new ClusterJob
            {
                Name = spec.Name,
                Spec = inContainer ? specArgument : env.ResolvePath(specArgument),
                Output = inContainer ? results : env.ResolvePath(results),
                Shards = shards,
                WorkingDirectory = env.CurrentDirectory,
                Logreg = parseResult.GetValue(_logreg) ?? (inContainer ? "logreg" : ThisLogreg()),
                Dataset = dataset,
                Cpus = cpus,
                Memory = parseResult.GetValue(_memory),
            };
        }

        public string OutputFile(CliEnvironment env, ParseResult parseResult, ClusterJob job, string suffix) =>
            env.ResolvePath(parseResult.GetValue(_output) ?? Path.Combine("runs", $"{ClusterJobs.JobName(job.Name, 80)}-{suffix}"));

        /// <summary>The command that started this process: the published executable, or dotnet with this assembly.</summary>
        private static string ThisLogreg()
        {
            var process = Environment.ProcessPath ?? "logreg";
            var name = Path.GetFileNameWithoutExtension(process);
            return name is "dotnet" or "testhost"
                ? $"dotnet {ClusterJobs.Shell(typeof(ClusterJobs).Assembly.Location)}"
                : ClusterJobs.Shell(process);
        }
    }
}
