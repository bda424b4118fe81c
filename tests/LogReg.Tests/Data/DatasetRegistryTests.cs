using LogReg.Data;

namespace LogReg.Tests.Data;

public sealed class DatasetRegistryTests
{
    [Fact]
    public void Registry_knows_the_three_datasets_and_the_partial_kmnist()
    {
        Assert.Equal(["mnist", "fashion-mnist", "kmnist", "kmnist-partial"], DatasetRegistry.Names);
        Assert.Same(DatasetRegistry.FashionMnist, DatasetRegistry.Find("Fashion-MNIST"));
        Assert.Null(DatasetRegistry.Find("cifar10"));
    }

    [Fact]
    public void Every_registered_file_can_be_verified_and_every_downloadable_dataset_has_https_or_http_mirrors()
    {
        foreach (var definition in DatasetRegistry.All)
        {
            Assert.Equal(4, definition.Files.Count);
            Assert.Equal(10, definition.ClassNames.Count);
            Assert.All(definition.Files, f => Assert.True(f.ContentSha256.Count > 0 || f.GzipMd5 is not null, $"{definition.Name} {f.FileName}"));
            Assert.All(definition.Mirrors, m => Assert.Contains(m.Scheme, new[] { "http", "https" }));
        }

        Assert.False(DatasetRegistry.KmnistPartial.CanDownload);
        Assert.True(DatasetRegistry.Kmnist.CanDownload);
    }

    [Fact]
    public void Kmnist_class_names_are_hiragana_with_romaji_and_fashion_names_are_clothing()
    {
        Assert.Equal(["お (o)", "き (ki)", "す (su)", "つ (tsu)", "な (na)", "は (ha)", "ま (ma)", "や (ya)", "れ (re)", "を (wo)"], DatasetRegistry.Kmnist.ClassNames);
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], DatasetRegistry.FashionMnist.ClassNames);
    }
}
