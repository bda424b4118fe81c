using System.Net;
using System.Net.Sockets;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli.Serve;

/// <summary>logreg serve as a user starts it: the URL it prints, Ctrl+C, and its refusals of bad options.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> Env() => new() { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };

    [Fact]
    public async Task Serve_prints_a_loopback_URL_that_answers_and_stops_cleanly_on_ctrl_c()
    {
        Directory.CreateDirectory(_dir.File("runs"));
        using var process = CliProcess.Start(Env(), "serve", "--runs", "runs", "--port", "0");
        Assert.True(process.WaitForOutput(l => l.StartsWith("serving ", StringComparison.Ordinal), Generous), process.Output + process.Error);
        var url = process.Output.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal));
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

        using (var http = new HttpClient())
        {
            var runs = await http.GetStringAsync(new Uri(new Uri(url), "api/runs"));
            Assert.Contains("\"runs\":[]", runs, StringComparison.Ordinal);
        }

        process.Signal(CliProcess.SigInt);
        Assert.Equal(0, process.WaitForExit(Generous));
        Assert.Contains("stopped", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_runs_folder_is_an_error_naming_it()
    {
        var result = Fixtures.Cli.Run(Env(), "serve", "--runs", "nowhere", "--port", "0");
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("nowhere", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--host", "my.example.com", "--host must be an IP address")]
    [InlineData("--port", "70000", "--port must be between 0 and 65535")]
    public void A_bad_address_is_an_error_saying_what_is_allowed(string option, string value, string message)
    {
        Directory.CreateDirectory(_dir.File("runs"));
        var result = Fixtures.Cli.Run(Env(), "serve", "--runs", "runs", option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Train_serve_with_a_port_out_of_range_is_refused_before_any_data_is_read()
    {
        var result = Fixtures.Cli.Run(Env(), "train", "--dataset", _dir.File("no-data-here"), "--serve", "70000");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --serve PORT must be between 0 and 65535 (was 70000)", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void A_port_in_use_is_an_error_suggesting_another()
    {
        Directory.CreateDirectory(_dir.File("runs"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = Fixtures.Cli.Run(Env(), "serve", "--runs", "runs", "--port", port);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cannot listen on 127.0.0.1 port " + port, line, StringComparison.Ordinal);
        Assert.Contains("--port", line, StringComparison.Ordinal);
    }
}
