using BenchmarkDotNet.Attributes;
using LogReg.Data;

namespace LogReg.Benchmarks;

/// <summary>Reading MNIST's 60,000 training images from the gzip IDX file into memory (target ≤ 0.5 s).</summary>
[MemoryDiagnoser]
public class DataLoadingBenchmarks
{
    private readonly string _trainImages = BenchmarkData.File("mnist", "train-images-idx3-ubyte.gz");
    private readonly DatasetLoader _loader = new(new DataLocator(null, BenchmarkData.Directory, Path.GetTempPath(), []));

    [Benchmark]
    public int IdxReader_mnist_train_images_gzip() => IdxReader.ReadImages(_trainImages).Count;

    [Benchmark]
    public int DatasetLoader_mnist_train_split_with_checksums() => _loader.Load("mnist", DatasetSplit.Train).Count;
}
