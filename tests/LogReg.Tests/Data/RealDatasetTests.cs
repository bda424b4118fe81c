using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

/// <summary>The real datasets in $LOGREG_DATA_DIR, read through the registry exactly as the product reads them.</summary>
public sealed class RealDatasetTests
{
    private static DatasetLoader Loader() =>
        new(new DataLocator(null, RealData.Require(), Path.Combine(Path.GetTempPath(), "logreg-no-cache"), [], systemDatasetsDirectory: null));

    [SkippableFact]
    public void Mnist_has_60000_training_and_10000_test_images_with_the_known_first_labels()
    {
        var loader = Loader();
        var train = loader.Load("mnist", DatasetSplit.Train);
        var test = loader.Load("mnist", DatasetSplit.Test);

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new ImageShape(28, 28), train.Shape);
        Assert.Equal(5, train.Label(0));
        Assert.Equal(7, test.Label(0));
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.ClassCounts());
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], test.ClassCounts());
        Assert.All(train.Provenance.Files.Concat(test.Provenance.Files), f => Assert.Equal(ChecksumStatus.Verified, f.Checksum));
    }

    [SkippableFact]
    public void FashionMnist_has_6000_training_and_1000_test_images_per_class_with_clothing_names()
    {
        var loader = Loader();
        var train = loader.Load("fashion-mnist", DatasetSplit.Train);
        var test = loader.Load("fashion-mnist", DatasetSplit.Test);

        Assert.Equal(Enumerable.Repeat(6000, 10), train.ClassCounts());
        Assert.Equal(Enumerable.Repeat(1000, 10), test.ClassCounts());
        Assert.Equal("T-shirt/top", train.ClassNames[0]);
        Assert.Equal("Ankle boot", train.ClassNames[9]);
    }

    [SkippableFact]
    public void Kmnist_test_split_has_1000_images_per_class_named_in_hiragana_with_romaji()
    {
        var test = Loader().Load("kmnist", DatasetSplit.Test);

        Assert.Equal(Enumerable.Repeat(1000, 10), test.ClassCounts());
        Assert.Equal("お (o)", test.ClassNames[0]);
        Assert.Equal("を (wo)", test.ClassNames[9]);
    }

    [SkippableFact]
    public void Kmnist_train_split_is_reported_missing_with_where_it_looked()
    {
        var error = Assert.Throws<SplitNotFoundException>(() => Loader().Load("kmnist", DatasetSplit.Train));

        Assert.Equal("kmnist", error.FilePath);
        Assert.Contains("train split not found (looked in", error.Message, StringComparison.Ordinal);
        Assert.Contains("logreg data fetch kmnist", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void KmnistPartial_has_the_first_7011_training_images_and_the_full_test_set()
    {
        var loader = Loader();
        var train = loader.Load("kmnist-partial", DatasetSplit.Train);
        var test = loader.Load("kmnist-partial", DatasetSplit.Test);

        Assert.Equal(7011, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.All(train.ClassCounts(), n => Assert.InRange(n, 672, 757));
        Assert.Equal("お (o)", train.ClassNames[0]);
    }

    [SkippableTheory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    [InlineData("kmnist")]
    [InlineData("kmnist-partial")]
    public void Decompressed_sha256_of_every_file_equals_SHA256SUMS_raw(string name)
    {
        var sums = RealData.Sha256Sums(name);
        Assert.NotEmpty(sums);
        foreach (var (file, expected) in sums)
        {
            var path = Path.Combine(RealData.Folder(name), file + ".gz");
            var content = file.Contains("images", StringComparison.Ordinal)
                ? IdxReader.ReadImages(path).ContentSha256
                : IdxReader.ReadLabels(path).ContentSha256;
            Assert.Equal(expected, content);
        }
    }

    [SkippableTheory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    [InlineData("kmnist")]
    [InlineData("kmnist-partial")]
    public void Registry_checksums_agree_with_SHA256SUMS_raw(string name)
    {
        var definition = DatasetRegistry.Find(name)!;
        foreach (var (file, expected) in RealData.Sha256Sums(name))
        {
            var known = definition.Files.Single(f => f.FileName == file);
            Assert.Contains(expected, known.ContentSha256);
        }
    }
}
