namespace LogReg.Data;

/// <summary>
/// The datasets LogReg knows by name. Checksums are SHA-256 of each file's decompressed content (they do not depend on
/// how a file was compressed), plus the MD5 of the canonical <c>.gz</c> files as their publishers list them.
/// </summary>
public static class DatasetRegistry
{
    private static readonly ImageShape Mnist28 = new(28, 28);

    /// <summary>MNIST: handwritten digits, 60,000 training and 10,000 test images of 28×28.</summary>
    public static readonly DatasetDefinition Mnist = new(
        "mnist",
        "MNIST handwritten digits",
        Mnist28,
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        [
            new(DatasetFileRole.TrainImages, "train-images-idx3-ubyte", 60000, ["ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"], "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 60000, ["65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"], "d53e105ee54ea40749a09fcbcd1e9432"),
            new(DatasetFileRole.TestImages, "t10k-images-idx3-ubyte", 10000, ["0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"], "9fb629c4189551a2d022fa330f9573f3"),
            new(DatasetFileRole.TestLabels, "t10k-labels-idx1-ubyte", 10000, ["ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"], "ec29112dd5afa0611ce80d1b7f02629c"),
        ],
        [new("https://ossci-datasets.s3.amazonaws.com/mnist/"), new("https://storage.googleapis.com/cvdf-datasets/mnist/")],
        "60,000 training and 10,000 test images of handwritten digits, 28x28 grayscale");

    /// <summary>Fashion-MNIST: Zalando's clothing images, 10 classes, same shape and sizes as MNIST.</summary>
    public static readonly DatasetDefinition FashionMnist = new(
        "fashion-mnist",
        "Fashion-MNIST clothing",
        Mnist28,
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        [
            new(DatasetFileRole.TrainImages, "train-images-idx3-ubyte", 60000, ["c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"], "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 60000, ["bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"], "25c81989df183df01b3e8a0aad5dffbe"),
            new(DatasetFileRole.TestImages, "t10k-images-idx3-ubyte", 10000, ["5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"], "bef4ecab320f06d8554ea6380940ec79"),
            new(DatasetFileRole.TestLabels, "t10k-labels-idx1-ubyte", 10000, ["0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"], "bb300cfdad3c16e7a12a480ee83cd310"),
        ],
        [new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")],
        "Zalando's 60,000 training and 10,000 test images of clothing, 28x28 grayscale");

    private static readonly string[] KmnistClasses =
        ["お (o)", "き (ki)", "す (su)", "つ (tsu)", "な (na)", "は (ha)", "ま (ma)", "や (ya)", "れ (re)", "を (wo)"];

    /// <summary>KMNIST: Kuzushiji (cursive Japanese) characters, 10 classes, same shape and sizes as MNIST.</summary>
    public static readonly DatasetDefinition Kmnist = new(
        "kmnist",
        "Kuzushiji-MNIST (cursive Hiragana)",
        Mnist28,
        KmnistClasses,
        [
            // The SHA-256 of the full training images is not known here; the canonical MD5 verifies a download.
            new(DatasetFileRole.TrainImages, "train-images-idx3-ubyte", 60000, [], "bdb82020997e1d708af4cf47b453dcf7", "kmnist-train-imgs.npz"),
            new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 60000, ["2a16eeae62da984b8bd24fa32e31d47291f01dac3fe84d5594f304f71e7d374b"], "e144d726b3acfaa3e44228e80efcd344", "kmnist-train-labels.npz"),
            new(DatasetFileRole.TestImages, "t10k-images-idx3-ubyte", 10000, ["76fbd229ce87db80dd281af5e6670de4ad0e42fb30a7bd643972994c47c1f42e"], "5c965bf0a639b31b8f53240b1b52f4d7", "kmnist-test-imgs.npz"),
            new(DatasetFileRole.TestLabels, "t10k-labels-idx1-ubyte", 10000, ["a11dc742be8e781a40a92f53d6a4957e7b7d36df2faa097659131ebfd8fd60c6"], "7320c461ea6c1c855c0b718fb2a4b134", "kmnist-test-labels.npz"),
        ],
        [new("http://codh.rois.ac.jp/kmnist/dataset/kmnist/")],
        "60,000 training and 10,000 test images of 10 cursive Hiragana characters, 28x28 grayscale");

    /// <summary>A part of KMNIST kept in the offline fallbacks.</summary>
    public static readonly DatasetDefinition KmnistPartial = new(
        "kmnist-partial",
        "KMNIST, first 7,011 training images",
        Mnist28,
        KmnistClasses,
        [
            new(DatasetFileRole.TrainImages, "train-images-idx3-ubyte", 7011, ["e07d5deda1fd894b9a5dba9fd0fd574ac432195a28a67b25961d5c3c19bb9c13"]),
            new(DatasetFileRole.TrainLabels, "train-labels-idx1-ubyte", 7011, ["576adc0f6c4cfb37c445858fb6203c33039a49942170fee6b3ce3df15a7c0783"]),
            new(DatasetFileRole.TestImages, "t10k-images-idx3-ubyte", 10000, ["76fbd229ce87db80dd281af5e6670de4ad0e42fb30a7bd643972994c47c1f42e"], "5c965bf0a639b31b8f53240b1b52f4d7"),
            new(DatasetFileRole.TestLabels, "t10k-labels-idx1-ubyte", 10000, ["a11dc742be8e781a40a92f53d6a4957e7b7d36df2faa097659131ebfd8fd60c6"], "7320c461ea6c1c855c0b718fb2a4b134"),
        ],
        [],
        "a verified prefix of KMNIST (the first 7,011 training images, 672-757 per class) with the full test set, for reduced-scale runs where the full training images are not available; not downloadable");

    /// <summary>Every registered dataset.</summary>
    public static IReadOnlyList<DatasetDefinition> All { get; } = [Mnist, FashionMnist, Kmnist, KmnistPartial];

    /// <summary>The names of every registered dataset, as the CLI accepts them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(d => d.Name).ToArray();

    /// <summary>The registered dataset named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DatasetDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
