using System.Globalization;
using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using LogReg.Core;
using LogReg.Data;
using LogReg.Models;
using LogReg.Tests.Fixtures;
using LogReg.Tests.Models;
using Microsoft.FSharp.Core;

namespace LogReg.Tests.Fuzzing;

/// <summary>
/// Randomly mutated valid files: every reader must either read the file or throw <see cref="LogRegDataException"/> —
/// never another exception, and never hang. Case counts and the seed come from <see cref="FuzzSettings"/>.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    // Every valid file here is a few KB at most, so a read takes well under a millisecond; the limit is generous only so
    // that a slow CI machine cannot make it flaky. A read that needs it is stuck, not slow.
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(5);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record Target(byte[] Valid, Action<string> Read);

    private static readonly Lazy<byte[]> SoftmaxModel = new(() => ModelFile.Serialize(ModelFileTests.TrainSmall().Model));

    private static readonly Lazy<byte[]> LogisticModel = new(() => ModelFile.Serialize(ModelFileTests.TrainSmall(ModelKind.Logistic).Model));

    private static Target TargetNamed(string name)
    {
        var pixels = IdxBytes.ImagePixels(5, 4, 4);
        var labels = IdxBytes.CyclicLabels(10, 3);
        return name switch
        {
            "idx images" => new(IdxBytes.Images(5, 4, 4), p => IdxReader.ReadImages(p)),
            "idx labels" => new(IdxBytes.Labels(labels), p => IdxReader.ReadLabels(p)),
            "idx images gzip" => new(IdxBytes.Gzip(IdxBytes.Images(5, 4, 4)), p => IdxReader.ReadImages(p)),
            "idx labels gzip" => new(IdxBytes.Gzip(IdxBytes.Labels(labels)), p => IdxReader.ReadLabels(p)),
            "npz images" => new(NpzBytes.Zip(("arr_0.npy", NpzBytes.Uint8([5, 4, 4], pixels))), p => NpzReader.ReadImages(p)),
            // Stored (uncompressed), so that mutations reach the .npy header and data rather than only the deflate stream.
            "npz images stored" => new(NpzBytes.Zip(CompressionLevel.NoCompression, ("arr_0.npy", NpzBytes.Uint8([5, 16], pixels))), p => NpzReader.ReadImages(p)),
            "npz labels stored" => new(NpzBytes.Zip(CompressionLevel.NoCompression, ("arr_0.npy", NpzBytes.Uint8([10], labels.Select(l => (byte)l).ToArray()))), p => NpzReader.ReadLabels(p)),
            "csv" => new(Encoding.UTF8.GetBytes(Csv()), p => CsvDatasetReader.Read(p)),
            "csv gzip" => new(IdxBytes.Gzip(Encoding.UTF8.GetBytes(Csv())), p => CsvDatasetReader.Read(p)),
            "table" => new(Encoding.UTF8.GetBytes(Table), p => TabularCsvReader.Read(p)),
            "table gzip" => new(IdxBytes.Gzip(Encoding.UTF8.GetBytes(Table)), p => TabularCsvReader.Read(p)),
            "table for a model" => new(Encoding.UTF8.GetBytes(Table), p => TabularCsvReader.ReadFor(p, TableSchema)),
            "model softmax" => new(SoftmaxModel.Value, p => ModelFile.Load(p)),
            "model logistic" => new(LogisticModel.Value, p => ModelFile.Load(p)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown fuzz target"),
        };
    }

    /// <summary>A table: quoted and plain cells, text labels, exponents.</summary>
    private const string Table = "height,\"weight, kg\",label\n1.5,60,small\n1.8,8.5e1,\"large\"\n-0.25,70.5,small\n2,1E2,medium\n";

    private static readonly TableSchema TableSchema = new("label", ["weight, kg", "height"], ["large", "medium", "small"]);

    /// <summary>Kaggle layout with a header: 5 images of 4x4 and labels 0..2.</summary>
    private static string Csv()
    {
        var text = new StringBuilder("label");
        for (var p = 0; p < 16; p++)
        {
            text.Append(CultureInfo.InvariantCulture, $",pixel{p}");
        }

        for (var i = 0; i < 5; i++)
        {
            text.Append('\n').Append(i % 3);
            for (var p = 0; p < 16; p++)
            {
                text.Append(CultureInfo.InvariantCulture, $",{IdxBytes.Pixel(i, p / 4, p % 4)}");
            }
        }

        return text.Append('\n').ToString();
    }

    [Theory]
    [InlineData("idx images")]
    [InlineData("idx labels")]
    [InlineData("idx images gzip")]
    [InlineData("idx labels gzip")]
    [InlineData("npz images")]
    [InlineData("npz images stored")]
    [InlineData("npz labels stored")]
    [InlineData("csv")]
    [InlineData("csv gzip")]
    [InlineData("table")]
    [InlineData("table gzip")]
    [InlineData("table for a model")]
    [InlineData("model softmax")]
    [InlineData("model logistic")]
    public void Reader_either_reads_a_mutated_file_or_reports_a_data_error(string reader)
    {
        var target = TargetNamed(reader);
        target.Read(_dir.Write("valid", target.Valid)); // the fuzzing only means something if the unmutated file reads
        var path = _dir.File("mutated");
        var cases = FuzzSettings.Cases;
        var seed = FuzzSettings.Seed;
        var property = Prop.ForAll(Mutation.Arbitrary(target.Valid.Length), mutations => ReadOrDataError(target, path, mutations));
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(cases)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));

        try
        {
            Check.One(config, property);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Assert.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{reader}: a mutated file broke the reader; replay with LOGREG_FUZZ_SEED={seed} LOGREG_FUZZ_CASES={cases}\n{e.Message}"));
        }
    }

    private static void ReadOrDataError(Target target, string path, Mutation[] mutations)
    {
        File.WriteAllBytes(path, Mutation.ApplyAll(target.Valid, mutations));
        var read = Task.Run(() => target.Read(path));
        try
        {
            if (!read.Wait(ReadLimit))
            {
                throw new TimeoutException($"[{Mutation.Describe(mutations)}]: the read did not finish within {ReadLimit.TotalSeconds} s");
            }
        }
        catch (AggregateException e) when (e.InnerException is LogRegDataException data)
        {
            if (data.FilePath != path || data.Message != $"{path}: {data.Problem}" || data.Problem.Contains('\n', StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"[{Mutation.Describe(mutations)}]: the data error is not one line 'path: problem': {data.Message}");
            }
        }
        catch (AggregateException e) when (e.InnerException is { } other)
        {
            throw new InvalidOperationException(
                $"[{Mutation.Describe(mutations)}]: {other.GetType().Name} instead of a LogRegDataException: {other.Message}", other);
        }
    }
}
