using System.Globalization;
using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

public sealed class DataCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Dictionary<string, string> RealEnv() => Fixtures.Cli.WithRealData(_dir.File("xdg"));

    [SkippableFact]
    public void Data_list_shows_where_each_dataset_was_found_and_its_files()
    {
        var result = Fixtures.Cli.Run(RealEnv(), "data", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"$LOGREG_DATA_DIR: {Path.Combine(RealData.Require(), "mnist")}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(RealData.Require(), "kmnist")} (incomplete)", result.Output, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte  missing", result.Output, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte.gz  9.7 MB", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public void Data_list_says_not_found_and_how_to_fetch_when_nothing_is_there()
    {
        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _dir.File("xdg"), ["PWD"] = _dir.Path };

        var result = Fixtures.Cli.Run(env, "data", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not found (logreg data fetch kmnist)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"the cache ({Path.Combine(_dir.File("xdg"), "logreg")})", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Data_info_prints_shape_counts_per_class_with_names_and_pixel_statistics()
    {
        var result = Fixtures.Cli.Run(RealEnv(), "data", "info", "mnist");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("mnist: MNIST handwritten digits", result.Output, StringComparison.Ordinal);
        Assert.Contains("image shape 28x28, 10 classes", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"train\s+60000\s+33\.32\s+78\.57\s+verified", result.Output);
        Assert.Matches(@"test\s+10000\s+33\.79\s+79\.17\s+verified", result.Output);
        Assert.Matches(@"1\s+1\s+6742\s+1135", result.Output);
        Assert.Matches(@"total\s+60000\s+10000", result.Output);
    }

    [SkippableFact]
    public void Data_info_names_kmnist_classes_and_reports_the_missing_train_split()
    {
        var env = RealEnv();
        env["LOGREG_MIRROR"] = "http://127.0.0.1:9/"; // nothing listens on the discard port: the download fails at once

        var result = Fixtures.Cli.Run(env, "data", "info", "kmnist", "--split", "all");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not available: kmnist: train split not found", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"3\s+つ \(tsu\)\s+1000", result.Output);
    }

    [SkippableFact]
    public void Data_info_prints_numbers_in_the_invariant_culture_whatever_the_current_one()
    {
        var previous = CultureInfo.CurrentCulture;
        var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        comma.NumberFormat.NumberDecimalSeparator = ",";
        comma.NumberFormat.NumberGroupSeparator = ".";
        CultureInfo.CurrentCulture = comma;
        try
        {
            var result = Fixtures.Cli.Run(RealEnv(), "data", "info", "fashion-mnist", "--split", "test");
            Assert.Equal(0, result.ExitCode);
            Assert.Contains(".", result.Output, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\d,\d\d\s", result.Output);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [SkippableFact]
    public void Data_show_draws_the_image_with_shading_and_prints_its_label()
    {
        var result = Fixtures.Cli.Run(RealEnv(), "data", "show", "mnist", "--split", "test", "--index", "0", "--style", "ascii");

        Assert.Equal(0, result.ExitCode);
        var lines = result.OutputLines;
        Assert.Equal("mnist test #0: label 7 (7), 28x28", lines[0]);
        var image = lines.Skip(1).Take(28).ToArray();
        Assert.All(image, l => Assert.Equal(56, l.Length));
        Assert.Contains(image, l => l.Contains("@@", StringComparison.Ordinal));
        Assert.Equal(new string(' ', 56), image[0]);
    }

    [SkippableFact]
    public void Data_show_rejects_an_index_past_the_end_with_one_line_and_exit_code_2()
    {
        var result = Fixtures.Cli.Run(RealEnv(), "data", "show", "mnist", "--index", "10000");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["error: --index must be in 0..9999 for mnist test (was 10000)"], result.ErrorLines);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Data_info_rejects_an_unknown_dataset_with_one_line_and_exit_code_2()
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string> { ["PWD"] = _dir.Path }, "data", "info", "cifar");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cifar: unknown dataset: expected one of mnist", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data info mnist --split validation", "error: Argument 'validation' not recognized. Must be one of: 'train' 'test' 'all' (see 'logreg data info --help')")]
    [InlineData("data frobnicate", "error: Unrecognized command or argument 'frobnicate'. (see 'logreg data --help')")]
    [InlineData("data fetch cifar10", "error: Argument 'cifar10' not recognized. Must be one of: 'mnist' 'fashion-mnist' 'kmnist' (see 'logreg data fetch --help')")]
    [InlineData("data show mnist --index x", "error: Cannot parse argument 'x' for option '--index' as expected type 'System.Int32'. (see 'logreg data show --help')")]
    [InlineData("data fetch mnist --mirror ftp://example.org/mnist/", "error: mirror 'ftp://example.org/mnist/' is not an http(s) URL; expected e.g. https://example.org/mnist/")]
    public void Usage_errors_print_one_line_and_exit_2(string commandLine, string expected)
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string>(), commandLine.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([expected], result.ErrorLines);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var result = Fixtures.Cli.Run(new Dictionary<string, string>(), "data", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("logreg data [command] [options]", result.Output, StringComparison.Ordinal);
        Assert.Contains("fetch <fashion-mnist|kmnist|mnist>", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Data_fetch_downloads_mnist_from_a_mirror_into_the_cache_and_verifies_it()
    {
        await using var server = new LoopbackHttpServer();
        foreach (var file in DatasetRegistry.Mnist.Files)
        {
            server.Serve("/mnist/" + file.CompressedName, await File.ReadAllBytesAsync(Path.Combine(RealData.Folder("mnist"), file.CompressedName)));
        }

        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _dir.File("xdg"), ["PWD"] = _dir.Path };
        var result = Fixtures.Cli.Run(env, "data", "fetch", "mnist", "--mirror", server.Url("mnist").ToString());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"mnist: verified and stored in {Path.Combine(_dir.File("xdg"), "logreg", "mnist")}", result.Output, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte.gz: 100% of 9.7 MB", result.Error, StringComparison.Ordinal);
        Assert.Equal(4, _dir.Files("xdg/logreg/mnist").Length);

        var info = Fixtures.Cli.Run(env, "data", "info", "mnist", "--split", "test");
        Assert.Matches(@"test\s+10000\s+33\.79\s+79\.17\s+verified\s+.*xdg/logreg/mnist", info.Output);
    }

    [Fact]
    public async Task Data_fetch_reports_a_dropped_connection_exits_2_and_leaves_the_cache_empty()
    {
        await using var server = new LoopbackHttpServer();
        var body = new byte[200_000];
        server.Serve("/m/train-images-idx3-ubyte.gz", body, dropAfter: 50_000);

        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _dir.File("xdg"), ["PWD"] = _dir.Path };
        var result = Fixtures.Cli.Run(env, "data", "fetch", "mnist", "--mirror", server.Url("m").ToString(), "--attempts", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: train-images-idx3-ubyte.gz: download failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("connection dropped after", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was saved in the cache", result.Error, StringComparison.Ordinal);
        Assert.Empty(_dir.Files("xdg"));
    }

    [Fact]
    public async Task Data_fetch_refuses_a_mirror_announcing_10_GiB_for_a_10_MB_file_at_once_and_saves_nothing()
    {
        await using var server = new LoopbackHttpServer();
        server.ServeStream("/m/train-images-idx3-ubyte.gz", 10L << 30, 1 << 16, TimeSpan.Zero, 10L << 30);

        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _dir.File("xdg"), ["PWD"] = _dir.Path };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Fixtures.Cli.Run(env, "data", "fetch", "mnist", "--mirror", server.Url("m").ToString());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed}");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: train-images-idx3-ubyte.gz: download failed", result.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Contains("announces 10737418240 bytes, more than the 48558992 this file can take (the registry's size plus slack); refused", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests["/m/train-images-idx3-ubyte.gz"]);
        Assert.Empty(_dir.Files("xdg"));
    }

    [Fact]
    public void The_executable_reports_a_bad_dataset_in_one_line_without_a_stack_trace()
    {
        var result = Fixtures.Cli.RunProcess(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = _dir.File("xdg") }, "data", "info", _dir.File("missing-folder"));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: {_dir.File("missing-folder")}: unknown dataset", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_executable_shows_an_image_end_to_end()
    {
        var result = Fixtures.Cli.RunProcess(RealEnv(), "data", "show", "fashion-mnist", "--split", "train", "--index", "0", "--style", "ascii");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("fashion-mnist train #0: label 9 (Ankle boot), 28x28", result.Output, StringComparison.Ordinal);
    }
}
