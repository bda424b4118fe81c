using System.CommandLine;
using LogReg.Preprocessing;
using LogReg.Reporting;
using LogReg.Training;

namespace LogReg.Cli.Serve;

/// <summary>
/// <c>logreg train --serve</c>: the web app running inside the training process, serving the folder the run is written
/// into with a Live view of this run. The page's Stop button cancels training exactly as Ctrl+C does (the best model is
/// kept, the exit code is 130); the server stops once the run's files and report are written.
/// </summary>
internal sealed class LiveServer : IDisposable
{
    private readonly ServeApp _app;
    private readonly CancellationTokenSource _stop;

    private LiveServer(ServeApp app, CancellationTokenSource stop, LiveTraining progress)
    {
        _app = app;
        _stop = stop;
        Progress = progress;
    }

    public LiveTraining Progress { get; }

    /// <summary>Cancelled by Ctrl+C or by the page's Stop button.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The --serve [PORT] option of logreg train.</summary>
    public static Option<int?> Option() => new("--serve")
    {
        Description = $"Serve a live view of training (curves, weights, a Stop button) on 127.0.0.1, port {Commands.ServeCommand.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture)} or PORT (0: any free port)",
        HelpName = "PORT",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The port to serve on, or null when --serve was not given.</summary>
    public static int? Port(ParseResult parse, Option<int?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetResult(option) is not { } result)
        {
            return null;
        }

        var port = result.Tokens.Count == 0 ? Commands.ServeCommand.DefaultPort : parse.GetValue(option) ?? Commands.ServeCommand.DefaultPort;
        return port is >= 0 and <= 65535 ? port : throw new UsageException($"--serve PORT must be between 0 and 65535 (was {port})");
    }

    public static LiveServer Start(CliEnvironment env, string runDirectory, PreparedData data, TrainingOptions options, ReportDataSource images, int port, CancellationToken interrupt)
    {
        var runsFolder = Path.GetDirectoryName(runDirectory) ?? runDirectory;
        Directory.CreateDirectory(runsFolder);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        try
        {
            var progress = new LiveTraining(Path.GetFileName(runDirectory), data.ClassNames, data.Shape, options.EpochLimit, stop);
            var app = ServeApp.StartAsync(new ServeSettings(runsFolder, "127.0.0.1", port, images, progress), interrupt).GetAwaiter().GetResult();
            env.Output.WriteLine($"live: {app.Url}#live (the page's Stop button stops training as Ctrl+C does)");
            env.Output.Flush();
            return new LiveServer(app, stop, progress);
        }
        catch
        {
            stop.Dispose();
            throw;
        }
    }

    public void Finish(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Progress.Finish(result.StopReason, result.EpochsRun, result.BestEpoch);
    }

    public void Dispose()
    {
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
