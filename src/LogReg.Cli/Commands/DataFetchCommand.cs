using System.CommandLine;
using LogReg.Data;

namespace LogReg.Cli.Commands;

/// <summary><c>logreg data fetch NAME</c>: download a registered dataset into the cache, verifying every file.</summary>
public static class DataFetchCommand
{
    public static Command Create(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The dataset to download" };
        name.AcceptOnlyFromAmong([.. DatasetRegistry.All.Where(d => d.CanDownload).Select(d => d.Name)]);
        var mirror = new Option<string[]>("--mirror")
        {
            Description = $"Base URL to download from instead of the registry's (repeatable; also ${DataServices.MirrorVariable})",
            HelpName = "URL",
            AllowMultipleArgumentsPerToken = false,
        };
        var force = new Option<bool>("--force") { Description = "Download again even if verified files are already cached" };
        var retries = new Option<int>("--attempts")
        {
            Description = "Attempts per file and mirror for dropped connections and timeouts",
            DefaultValueFactory = _ => 3,
        };
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--attempts must be ≥ 1");
            }
        });
        var command = new Command("fetch", "Download a dataset into the cache ($XDG_CACHE_HOME/logreg or ~/.cache/logreg), verifying its checksums")
        {
            name, mirror, force, retries,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, () =>
        {
            var definition = DatasetRegistry.Find(parseResult.GetRequiredValue(name))!;
            var locator = DataServices.Locator(env, parseResult.GetValue(CommonOptions.DataDir));
            var options = new DownloadOptions { Force = parseResult.GetValue(force), MaxAttempts = parseResult.GetValue(retries) };
            var mirrors = DataServices.Mirrors(env, parseResult.GetValue(mirror) ?? []);
            var directory = DataServices.Download(env, definition, locator.CacheDirectory, mirrors, options, cancellationToken);
            env.Output.WriteLine($"{definition.Name}: verified and stored in {directory}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }
}
