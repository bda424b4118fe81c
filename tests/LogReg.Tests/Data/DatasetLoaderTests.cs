using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private DatasetLoader Loader(Func<DatasetDefinition, string>? download = null, List<string>? warnings = null) =>
        new(new DataLocator(_dir.File("data"), null, _dir.File("cache"), [], systemDatasetsDirectory: null), download, warnings is null ? null : warnings.Add);

    [Fact]
    public void Loader_reads_a_users_folder_of_idx_files_with_numbered_classes_across_splits()
    {
        _dir.Write("mine/train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(4, 8, 8)));
        _dir.Write("mine/train-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(0, 1, 2, 1)));
        _dir.Write("mine/t10k-images-idx3-ubyte", IdxBytes.Images(2, 8, 8));
        _dir.Write("mine/t10k-labels-idx1-ubyte", IdxBytes.Labels(4, 0));

        var train = Loader().Load(_dir.File("mine"), DatasetSplit.Train);

        Assert.Equal(4, train.Count);
        Assert.Equal(5, train.ClassCount); // the test labels go up to 4
        Assert.Equal("mine", train.Provenance.Name);
    }

    [Fact]
    public void Loader_takes_class_names_from_classes_txt()
    {
        _dir.Write("mine/train-images-idx3-ubyte", IdxBytes.Images(3, 4, 4));
        _dir.Write("mine/train-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2));
        _dir.WriteText("mine/classes.txt", "cat\ndog\nbird\n\n");

        var train = Loader().Load(_dir.File("mine"), DatasetSplit.Train);

        Assert.Equal(["cat", "dog", "bird"], train.ClassNames);
    }

    [Fact]
    public void Loader_rejects_classes_txt_with_too_few_names()
    {
        _dir.Write("mine/train-images-idx3-ubyte", IdxBytes.Images(3, 4, 4));
        _dir.Write("mine/train-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2));
        var names = _dir.WriteText("mine/classes.txt", "cat\ndog\n");

        var error = Assert.Throws<LogRegDataException>(() => Loader().Load(_dir.File("mine"), DatasetSplit.Train));

        Assert.Equal(names, error.FilePath);
        Assert.Contains("names 2 classes but", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_reads_npz_and_csv_folders()
    {
        _dir.Write("npz/my-test-imgs.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([2, 4, 4], new byte[32]))));
        _dir.Write("npz/my-test-labels.npz", NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([2], [1, 0]))));
        _dir.WriteText("csv/test.csv", "label,a,b,c,d\n1,0,0,0,0\n0,1,1,1,1\n2,3,3,3,3\n");

        Assert.Equal(2, Loader().Load(_dir.File("npz"), DatasetSplit.Test).Count);
        var csv = Loader().Load(_dir.File("csv"), DatasetSplit.Test);
        Assert.Equal(3, csv.Count);
        Assert.Equal(new ImageShape(2, 2), csv.Shape);
    }

    [Fact]
    public void Loader_names_the_expected_files_when_a_folder_has_no_such_split()
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var error = Assert.Throws<SplitNotFoundException>(() => Loader().Load(_dir.File("empty"), DatasetSplit.Train));

        Assert.Contains("no train split here: expected train-images-idx3-ubyte[.gz]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_rejects_an_unknown_name_listing_the_known_ones()
    {
        var error = Assert.Throws<LogRegDataException>(() => Loader().Load("cifar", DatasetSplit.Train));

        Assert.Equal("cifar", error.FilePath);
        Assert.Contains("expected one of mnist, fashion-mnist, kmnist, kmnist-partial", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_uses_a_registered_dataset_that_differs_from_canonical_with_a_warning()
    {
        _dir.Write("data/mnist/t10k-images-idx3-ubyte", IdxBytes.Images(3, 28, 28));
        _dir.Write("data/mnist/t10k-labels-idx1-ubyte", IdxBytes.Labels(1, 2, 3));
        var warnings = new List<string>();

        var test = Loader(warnings: warnings).Load("mnist", DatasetSplit.Test);

        Assert.Equal(3, test.Count);
        Assert.Equal(ChecksumStatus.Mismatch, test.Provenance.Files[0].Checksum);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("content differs from the canonical mnist t10k-images-idx3-ubyte", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_downloads_a_registered_dataset_it_cannot_find_and_reports_a_failed_download()
    {
        var asked = new List<string>();
        var error = Assert.Throws<SplitNotFoundException>(() => Loader(d =>
        {
            asked.Add(d.Name);
            throw new LogRegDataException("t10k-images-idx3-ubyte.gz", "download failed (no network)");
        }).Load("fashion-mnist", DatasetSplit.Test));

        Assert.Equal(["fashion-mnist"], asked);
        Assert.Contains("test split not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("the download failed: t10k-images-idx3-ubyte.gz: download failed (no network)", error.Message, StringComparison.Ordinal);
    }
}
