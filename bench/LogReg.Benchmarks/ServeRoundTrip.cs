using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using LogReg.Data;
using LogReg.Reporting;

namespace LogReg.Benchmarks;

/// <summary>
/// The Draw view's round trip as the page makes it, against a real <c>logreg serve</c> process: a 280 × 280 PNG of the
/// pad (real MNIST test digits, enlarged tenfold, dark ink on white as the canvas draws them) POSTed to /api/predict,
/// until the JSON with the bars, the prepared image, the evidence and the nearest training images is parsed. Also the
/// server's resident memory (VmRSS) idle 5 s after start, right after the requests, and idle again 5 s later (the
/// training images are loaded by then, for the nearest examples).
/// <code>dotnet run -c Release -- serve-roundtrip --logreg PATH --runs DIR --run NAME [--requests N]</code>
/// </summary>
public static class ServeRoundTrip
{
    public static int Run(string[] args)
    {
        string logreg, runs, run;
        int requests;
        try
        {
            logreg = Text(args, "--logreg") ?? throw new FormatException("--logreg PATH (the built logreg executable) is needed");
            runs = Text(args, "--runs") ?? throw new FormatException("--runs DIR is needed");
            run = Text(args, "--run") ?? throw new FormatException("--run NAME (a run folder under --runs with model.json) is needed");
            requests = int.Parse(Text(args, "--requests") ?? "500", CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        var loader = new DatasetLoader(new DataLocator(BenchmarkData.Directory, null, Path.Combine(Path.GetTempPath(), "logreg-bench-cache"), []));
        var test = loader.Load("mnist", DatasetSplit.Test);
        var pads = Enumerable.Range(0, 100).Select(i => Pad(test.Image(i))).ToArray();

        var start = new ProcessStartInfo(logreg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "serve", "--runs", runs, "--port", "0" })
        {
            start.ArgumentList.Add(a);
        }

        using var server = Process.Start(start)!;
        try
        {
            var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("logreg serve printed nothing: " + server.StandardError.ReadToEnd());
            var url = new Uri(line.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal)));
            Thread.Sleep(5000);
            var idle = ResidentMegabytes(server.Id);

            using var http = new HttpClient { BaseAddress = url };
            var endpoint = new Uri("api/predict?run=" + Uri.EscapeDataString(run), UriKind.Relative);
            var first = Stopwatch.StartNew();
            Post(http, endpoint, pads[0]);
            var firstMs = first.Elapsed.TotalMilliseconds;
            for (var i = 0; i < 20; i++)
            {
                Post(http, endpoint, pads[i % pads.Length]);
            }

            var times = new double[requests];
            var serverTimes = new double[requests];
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                serverTimes[i] = Post(http, endpoint, pads[i % pads.Length]);
                times[i] = clock.Elapsed.TotalMilliseconds;
            }

            Array.Sort(times);
            Array.Sort(serverTimes);
            var busy = ResidentMegabytes(server.Id);
            Thread.Sleep(5000);
            var after = ResidentMegabytes(server.Id);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests {requests}, PNG {pads.Average(p => p.Length) / 1024:0.0} KB on average"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round trip ms: median {times[requests / 2]:0.00}, p95 {times[(int)(requests * 0.95)]:0.00}, p99 {times[(int)(requests * 0.99)]:0.00}, max {times[^1]:0.00}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"of which the server's analysis ms: median {serverTimes[requests / 2]:0.00}, p95 {serverTimes[(int)(requests * 0.95)]:0.00}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first request (loads the model and the training images): {firstMs:0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resident memory: idle after start {idle:0.0} MB, right after the requests {busy:0.0} MB, idle 5 s later {after:0.0} MB"));
            return 0;
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    private static double Post(HttpClient http, Uri endpoint, byte[] png)
    {
        using var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Add("X-LogReg-Request", "1");
        using var response = http.Send(request);
        using var json = JsonDocument.Parse(response.Content.ReadAsStream());
        if (!response.IsSuccessStatusCode || json.RootElement.GetProperty("probabilities").GetArrayLength() == 0)
        {
            throw new InvalidOperationException($"the server answered {(int)response.StatusCode}: {json.RootElement}");
        }

        var timing = response.Headers.GetValues("Server-Timing").Single();
        return double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    }

    /// <summary>A digit as the pad holds it: 280 × 280, dark ink on white.</summary>
    private static byte[] Pad(ReadOnlySpan<byte> digit)
    {
        var pixels = new byte[280 * 280];
        for (var p = 0; p < pixels.Length; p++)
        {
            pixels[p] = (byte)(255 - digit[((p / 280 / 10) * 28) + (p % 280 / 10)]);
        }

        return PngEncoder.Grayscale(pixels, 280, 280);
    }

    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
