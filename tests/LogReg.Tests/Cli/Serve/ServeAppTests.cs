using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LogReg.Cli.Serve;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli.Serve;

/// <summary>
/// The web app of logreg serve on a real Kestrel (port 0) over a runs folder with a model trained on synthetic 4x4
/// images: what it answers, and what it refuses. A secret file beside the runs folder must never come back, whatever
/// the path: "..", absolute, symbolic links, percent-encoded dots and separators, backslashes.
/// </summary>
public sealed class ServeAppTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "TOP-SECRET-CONTENT";
    private readonly TempDirectory _dir = new();
    private ServeApp? _app;
    private HttpClient? _http;

    private Uri Url => _app!.Url;

    private HttpClient Http => _http!;

    private string Runs => _dir.File("runs");

    public async Task InitializeAsync()
    {
        var data = SyntheticFolder.Write(_dir.File("data"), train: 60, test: 20, classes: 3);
        var env = new Dictionary<string, string> { ["PWD"] = _dir.Path, ["XDG_CACHE_HOME"] = _dir.File("xdg") };
        var train = Fixtures.Cli.Run(env, "train", "--dataset", data, "--no-download", "--epochs", "3", "--batch-size", "8", "--out", Path.Combine(Runs, "synthetic"));
        Assert.True(train.ExitCode == 0, train.Error);
        _dir.WriteText("secret.json", $"{{\"secret\": \"{Secret}\"}}");
        _dir.WriteText("secret.html", Secret);
        var loader = new LogReg.Data.DatasetLoader(new LogReg.Data.DataLocator(null, null, _dir.File("xdg"), [], systemDatasetsDirectory: null));
        _app = await ServeApp.StartAsync(new ServeSettings(Runs, "127.0.0.1", 0, new ReportDataSource(loader, data)));
        _http = new HttpClient { BaseAddress = _app.Url };
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Sends <paramref name="target"/> exactly as written (no client-side normalisation of dots or escapes).</summary>
    private async Task<(int Status, string Body)> RawGetAsync(string target, string? host = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Url.Port);
        await using var stream = client.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: {host ?? $"127.0.0.1:{Url.Port}"}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = response.Contains("\r\n\r\n", StringComparison.Ordinal) ? response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..] : "";
        return (status, body);
    }

    private static string ErrorOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("error").GetString()!;
    }

    private async Task<HttpResponseMessage> PostImageAsync(byte[] body, string run = "synthetic", bool header = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/predict?run={Uri.EscapeDataString(run)}") { Content = new ByteArrayContent(body) };
        if (header)
        {
            request.Headers.Add(ServeApp.RequestHeader, "1");
        }

        return await Http.SendAsync(request);
    }

    [Fact]
    public async Task The_page_and_the_chart_libraries_are_served_from_the_app_itself()
    {
        var page = await Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<canvas id=\"pad\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page.Replace("https://vega.github.io/schema", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var vega = await Http.GetByteArrayAsync(new Uri("/lib/vega-lite.min.js", UriKind.Relative));
        Assert.True(vega.Length > 100_000, $"vega-lite is only {vega.Length} bytes");
        Assert.Contains("function", await Http.GetStringAsync(new Uri("/app.js", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_runs_list_names_the_trained_run_with_its_accuracy_and_report()
    {
        using var json = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/api/runs", UriKind.Relative)));
        var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("synthetic", run.GetProperty("id").GetString());
        Assert.Equal("run", run.GetProperty("kind").GetString());
        Assert.True(run.GetProperty("has_report").GetBoolean());
        Assert.Equal(3, run.GetProperty("epochs").GetInt32());
        Assert.InRange(run.GetProperty("test_accuracy").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public async Task A_runs_report_and_history_are_served_from_inside_the_runs_folder()
    {
        var report = await Http.GetAsync(new Uri("/runs/synthetic/report.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/html", report.Content.Headers.ContentType!.MediaType);
        using var history = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/api/history?run=synthetic", UriKind.Relative)));
        Assert.Equal(3, history.RootElement.GetArrayLength());
        Assert.Equal(1, history.RootElement[0].GetProperty("epoch").GetInt32());
    }

    [Fact]
    public async Task A_drawing_is_prepared_predicted_and_explained_with_the_nearest_training_images()
    {
        // Class 1 of the synthetic data is a bright pixel at (0, 1) of 4x4: drawn large, it is prepared into the 3x3
        // box of a 4x4 image and must come out as a class with its probabilities summing to one.
        var image = new byte[40 * 40];
        for (var y = 10; y < 30; y++)
        {
            for (var x = 12; x < 28; x++)
            {
                image[(y * 40) + x] = 255;
            }
        }

        using var response = await PostImageAsync(PngEncoder.Grayscale(image, 40, 40));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.False(root.GetProperty("empty").GetBoolean());
        var probabilities = root.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.Equal(3, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 4);
        var predicted = root.GetProperty("predicted").GetInt32();
        Assert.Equal(probabilities.Max(), probabilities[predicted]);
        Assert.Equal(16, root.GetProperty("input_pixels").GetArrayLength());
        Assert.StartsWith("data:image/png;base64,", root.GetProperty("input").GetString(), StringComparison.Ordinal);
        var evidence = root.GetProperty("evidence").EnumerateArray().ToArray();
        Assert.Equal(3, evidence.Length);
        Assert.Equal(predicted, evidence[0].GetProperty("class").GetInt32());
        var nearest = root.GetProperty("nearest").EnumerateArray().ToArray();
        Assert.Equal(DrawingAnalysis.NearestCount, nearest.Length);
        var distances = nearest.Select(n => n.GetProperty("distance").GetDouble()).ToArray();
        Assert.Equal(distances.Order().ToArray(), distances);
    }

    [Fact]
    public async Task A_blank_drawing_is_empty_not_a_guess()
    {
        var blank = new byte[30 * 30];
        blank.AsSpan().Fill(255);
        using var response = await PostImageAsync(PngEncoder.Grayscale(blank, 30, 30));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("empty").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("predicted").ValueKind);
    }

    [Theory]
    [InlineData("/runs/../secret.json")]
    [InlineData("/runs/synthetic/../../secret.json")]
    [InlineData("/runs/%2e%2e/secret.json")]
    [InlineData("/runs/%2E%2E/%2E%2E/secret.json")]
    [InlineData("/runs/synthetic/..%2f..%2fsecret.json")]
    [InlineData("/runs/synthetic%2F..%2F..%2Fsecret.json")]
    [InlineData("/runs/%252e%252e/secret.json")]
    [InlineData("/runs/synthetic/..\\..\\secret.json")]
    [InlineData("/runs/synthetic/%5c..%5c..%5csecret.json")]
    [InlineData("/runs//etc/passwd")]
    [InlineData("/runs/%2fetc%2fpasswd")]
    [InlineData("/runs/.hidden.json")]
    [InlineData("/../secret.json")]
    [InlineData("/runs/..%5csecret.html")]
    public async Task A_path_that_leaves_the_runs_folder_is_refused_with_a_JSON_error(string target)
    {
        var (status, body) = await RawGetAsync(target);

        Assert.InRange(status, 400, 499);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(ErrorOf(body)));
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal); // no stack trace
    }

    /// <summary>A NUL in a path is a malformed request to Kestrel itself: it answers 400 before the app sees it (with no body of ours).</summary>
    [Fact]
    public async Task A_path_with_an_encoded_NUL_is_refused_by_the_server_before_the_app()
    {
        var (status, body) = await RawGetAsync("/runs/synthetic/model.json%00.png");
        Assert.Equal(400, status);
        Assert.DoesNotContain("weights", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../secret.json")]
    [InlineData("..")]
    [InlineData("/etc")]
    [InlineData("synthetic/../..")]
    [InlineData("C:\\Windows")]
    [InlineData("synthetic\\..\\..")]
    public async Task A_run_parameter_that_leaves_the_runs_folder_is_refused(string run)
    {
        using var history = await Http.GetAsync(new Uri("/api/history?run=" + Uri.EscapeDataString(run), UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, history.StatusCode);
        Assert.False(string.IsNullOrEmpty(ErrorOf(await history.Content.ReadAsStringAsync())));

        using var predict = await PostImageAsync(PngEncoder.Grayscale(new byte[16], 4, 4), run);
        Assert.Equal(HttpStatusCode.BadRequest, predict.StatusCode);
    }

    [Fact]
    public async Task A_symbolic_link_inside_the_runs_folder_is_not_followed()
    {
        Directory.CreateSymbolicLink(Path.Combine(Runs, "outside"), _dir.Path);
        File.CreateSymbolicLink(Path.Combine(Runs, "synthetic", "leak.json"), _dir.File("secret.json"));

        var (status, body) = await RawGetAsync("/runs/outside/secret.json");
        Assert.Equal(400, status);
        Assert.Contains("symbolic link", ErrorOf(body), StringComparison.Ordinal);
        (status, body) = await RawGetAsync("/runs/synthetic/leak.json");
        Assert.Equal(400, status);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/api/runs", UriKind.Relative)));
        Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray()); // the linked folder holds runs/synthetic again: not listed
    }

    [Fact]
    public async Task Only_a_runs_outputs_are_served_not_any_file_type()
    {
        _dir.WriteText("runs/synthetic/notes.sh", "echo hi");
        var (status, body) = await RawGetAsync("/runs/synthetic/notes.sh");
        Assert.Equal(400, status);
        Assert.Contains(".html", ErrorOf(body), StringComparison.Ordinal);
        (status, body) = await RawGetAsync("/runs/synthetic/missing.json");
        Assert.Equal(404, status);
        Assert.Contains("missing.json", ErrorOf(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_one_megabyte_is_refused_with_413()
    {
        using var response = await PostImageAsync(new byte[ServeApp.MaxUploadBytes + 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1024 KB", ErrorOf(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_image_is_refused_by_the_hardened_reader_with_its_reason()
    {
        var png = PngEncoder.Grayscale(new byte[64], 8, 8);
        png[^20] ^= 0xFF; // inside the IDAT chunk: its CRC no longer matches
        using var response = await PostImageAsync(png);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CRC", ErrorOf(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var text = await PostImageAsync(Encoding.UTF8.GetBytes("hello"));
        Assert.Contains("not a PNG or PGM", ErrorOf(await text.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_file_declaring_a_huge_image_is_refused_before_decoding()
    {
        // A PGM header that promises 100000 x 100000 pixels: the reader must refuse it from the header alone.
        using var response = await PostImageAsync(Encoding.ASCII.GetBytes("P5 100000 100000 255\n\0\0\0\0"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("100000x100000", ErrorOf(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_apps_header_is_refused_so_other_sites_cannot_send_one()
    {
        using var response = await PostImageAsync(PngEncoder.Grayscale(new byte[16], 4, 4), header: false);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(ServeApp.RequestHeader, ErrorOf(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_for_another_host_name_is_refused_against_DNS_rebinding()
    {
        var (status, body) = await RawGetAsync("/api/runs", host: "attacker.example");
        Assert.Equal(400, status);
        Assert.Contains("localhost", ErrorOf(body), StringComparison.Ordinal);
        (status, _) = await RawGetAsync("/api/runs", host: $"localhost:{Url.Port}");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Unknown_addresses_wrong_methods_and_missing_runs_get_JSON_errors()
    {
        var (status, body) = await RawGetAsync("/nothing/here");
        Assert.Equal(404, status);
        Assert.False(string.IsNullOrEmpty(ErrorOf(body)));

        (status, body) = await RawGetAsync("/api/predict?run=synthetic");
        Assert.Equal(405, status);
        Assert.False(string.IsNullOrEmpty(ErrorOf(body)));

        using var missing = await PostImageAsync(PngEncoder.Grayscale(new byte[16], 4, 4), "no-such-run");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("model.json", ErrorOf(await missing.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var live = await Http.GetAsync(new Uri("/api/live/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, live.StatusCode);
        Assert.Contains("train --serve", ErrorOf(await live.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_model_file_is_a_400_naming_it_not_a_stack_trace()
    {
        _dir.WriteText("runs/broken/model.json", "{ not json");
        using var response = await PostImageAsync(PngEncoder.Grayscale(new byte[16], 4, 4), "broken");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("model.json", ErrorOf(body), StringComparison.Ordinal);
        Assert.DoesNotContain(" at LogReg", body, StringComparison.Ordinal);
    }
}
