using System.CommandLine;
using LogReg.Cli.Serve;
using LogReg.Data;
using LogReg.Reporting;

namespace LogReg.Cli.Commands;

/// <summary>
/// <c>logreg serve</c>: a local web app over a runs folder: draw a digit and see what a run's model makes of it, browse
/// and compare runs and experiments. Listens on 127.0.0.1 unless <c>--host</c> says otherwise; Ctrl+C stops it.
/// </summary>
public static class ServeCommand
{
    /// <summary>The port logreg serve listens on when none is given.</summary>
    public const int DefaultPort = 5050;

    public static Command Create(CliEnvironment env)
    {
        var runs = new Option<string>("--runs")
        {
            Description = "The folder of runs and experiments to show (written by logreg train and logreg experiment run)",
            HelpName = "DIR",
            DefaultValueFactory = _ => "runs",
        };
        runs.AcceptLegalFilePathsOnly();
        var port = PortOption("--port", DefaultPort);
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: 127.0.0.1 keeps the app to this machine; 0.0.0.0 opens it to the network",
            HelpName = "ADDRESS",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("serve", "Open a local web app: draw a digit and watch a model read it, browse and compare runs") { runs, port, host };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(env, async () =>
        {
            var folder = env.ResolvePath(parseResult.GetRequiredValue(runs));
            DataFile.EnsureReadableDirectory(folder, "--runs");

            // Nearest training examples come from data already on this machine: serving never downloads.
            var loader = new DatasetLoader(DataServices.Locator(env, parseResult.GetValue(CommonOptions.DataDir)), download: null, env.Warn);
            var settings = new ServeSettings(folder, parseResult.GetRequiredValue(host), parseResult.GetValue(port), new ReportDataSource(loader));
            await using var app = await ServeApp.StartAsync(settings, cancellationToken).ConfigureAwait(false);
            env.Output.WriteLine($"serving {folder} at {app.Url} (Ctrl+C stops)");
            env.Output.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way to stop a server.
            }

            await app.StopAsync().ConfigureAwait(false);
            env.Output.WriteLine("stopped");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A TCP port option (0 lets the system choose a free one; the printed URL says which).</summary>
    internal static Option<int> PortOption(string name, int defaultPort)
    {
        var option = new Option<int>(name)
        {
            Description = "The TCP port to listen on (0: any free port; the printed URL says which)",
            HelpName = "PORT",
            DefaultValueFactory = _ => defaultPort,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError($"{name} must be between 0 and 65535 (was {result.GetValueOrDefault<int>()})");
            }
        });
        return option;
    }
}
