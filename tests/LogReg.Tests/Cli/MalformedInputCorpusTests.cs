using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>
/// A corpus of malformed inputs, generated here (no binaries are committed) and each run through logreg as a user would
/// run it. Whatever is wrong, the answer has the same shape: exit code 2, one line on stderr that names the file and
/// says what is wrong with it, no stack trace, and nothing written.
/// </summary>
public sealed class MalformedInputCorpusTests
{
    public static TheoryData<string> CaseNames { get; } = new(Corpus.Cases.Select(c => c.Name));

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public void Malformed_input_exits_2_with_one_line_naming_the_file_and_the_problem(string name)
    {
        var @case = Corpus.Cases.Single(c => c.Name == name);
        using var folder = new TempDirectory();
        var run = @case.Arrange(new CaseFolder(folder));
        var environment = new Dictionary<string, string>
        {
            ["PWD"] = folder.Path,
            ["XDG_CACHE_HOME"] = folder.File("xdg"),
            // A child process inherits the test's environment; the corpus must not find the real datasets through it.
            ["LOGREG_DATA_DIR"] = "",
        };
        var before = Entries(folder);

        var result = run.Unreadable is { } unreadable ? Unreadable.Run(folder, unreadable, environment, run.Args)
            : run.AsProcess ? Fixtures.Cli.RunProcess(environment, run.Args)
            : Fixtures.Cli.Run(environment, run.Args);

        var context = $"logreg {string.Join(' ', run.Args)}\nstdout: {result.Output}\nstderr: {result.Error}";
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}\n{context}");
        var error = result.Error.TrimEnd('\n', '\r');
        Assert.True(error.Length > 0 && !error.Contains('\n', StringComparison.Ordinal), $"not exactly one line on stderr\n{context}");
        Assert.True(error.StartsWith("error: ", StringComparison.Ordinal), $"not an error line\n{context}");
        Assert.True(error.Contains(run.Offending, StringComparison.Ordinal), $"does not name {run.Offending}\n{context}");
        Assert.True(error.Contains(@case.Problem, StringComparison.Ordinal), $"does not say \"{@case.Problem}\"\n{context}");
        foreach (var trace in new[] { "   at ", "Exception" })
        {
            Assert.False(result.Output.Contains(trace, StringComparison.Ordinal) || result.Error.Contains(trace, StringComparison.Ordinal), $"a stack trace\n{context}");
        }

        Assert.Equal(before, Entries(folder));
    }

    [Fact]
    public void The_corpus_holds_at_least_50_cases_with_distinct_names_in_every_category()
    {
        Assert.True(Corpus.Cases.Count >= 50, $"{Corpus.Cases.Count} cases");
        Assert.Equal(Corpus.Cases.Count, Corpus.Cases.Select(c => c.Name).Distinct().Count());
        foreach (var category in new[] { "idx", "idx.gz", "npz", "csv", "table", "model", "yaml", "path" })
        {
            Assert.Contains(Corpus.Cases, c => c.Name.StartsWith(category + ": ", StringComparison.Ordinal));
        }
    }

    /// <summary>Every file and folder in the case folder, except a cache folder that was created empty.</summary>
    private static string[] Entries(TempDirectory folder) =>
        Directory.EnumerateFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(folder.Path, e))
            .Where(e => !(e == "xdg" || e.StartsWith("xdg/", StringComparison.Ordinal)) || File.Exists(folder.File(e)))
            .Order(StringComparer.Ordinal)
            .ToArray();
}

/// <summary>How one case runs: the command line, the path the error must name, and what (if anything) is made unreadable.</summary>
public sealed record CaseRun(string[] Args, string Offending, string? Unreadable = null, bool AsProcess = false);

/// <summary>One malformed input: its name (category first), the words the error must contain, and how to lay it out.</summary>
public sealed record CorpusCase(string Name, string Problem, Func<CaseFolder, CaseRun> Arrange);

/// <summary>A case's own folder, with the valid files a case starts from and the command lines that read them.</summary>
public sealed class CaseFolder(TempDirectory folder)
{
    public const int Classes = 3;

    public string Path => folder.Path;

    public string Out => folder.File("out");

    public string File(string name) => folder.File(name);

    public string Write(string name, byte[] content) => folder.Write(name, content);

    public string WriteText(string name, string content) => folder.WriteText(name, content);

    public string Folder(string name) => Directory.CreateDirectory(folder.File(name)).FullName;

    /// <summary>A valid dataset folder (4x4 IDX images, three classes) named "data".</summary>
    public string Dataset(int train = 12, int test = 6) => SyntheticFolder.Write(folder.File("data"), train, test, Classes);

    /// <summary>A valid softmax model for 4x4 images and three classes, as logreg train writes it.</summary>
    public string Model() => Write("model.json", Corpus.ValidModel.Value);

    public string[] Train(string dataset) => ["train", "--dataset", dataset, "--no-download", "--epochs", "1", "--batch-size", "4", "--out", Out];

    public static string[] DataInfo(string dataset) => ["data", "info", dataset, "--no-download"];

    public string[] Eval(string images, string labels) => ["eval", "--model-file", Model(), "--images", images, "--labels", labels];

    public string[] ExperimentRun(string spec) => ["experiment", "run", spec, "--out", Out, "--no-download"];

    /// <summary>A valid spec that trains on <paramref name="dataset"/>, with <paramref name="extra"/> lines appended.</summary>
    public string Spec(string dataset, string extra = "") => WriteText("spec.yaml", $"""
        name: corpus
        dataset: {dataset}
        options:
          epochs: 1
          batch_size: 4
        validation:
          method: holdout
          fraction: 0.25
        {extra}
        """);
}

/// <summary>The cases, by category: IDX raw and gzip, NPZ, CSV, model JSON, experiment YAML, reports, and path kinds.</summary>
public static partial class Corpus
{
    /// <summary>A model trained once by the CLI on synthetic data, the starting point of the model cases.</summary>
    public static readonly Lazy<byte[]> ValidModel = new(() =>
    {
        using var folder = new TempDirectory();
        var data = SyntheticFolder.Write(folder.File("data"), 30, 9, CaseFolder.Classes);
        var env = new Dictionary<string, string> { ["PWD"] = folder.Path, ["XDG_CACHE_HOME"] = folder.File("xdg") };
        var result = Fixtures.Cli.Run(env, "train", "--dataset", data, "--no-download", "--epochs", "1", "--batch-size", "8", "--out", folder.File("run"), "--no-report");
        Assert.True(result.ExitCode == 0, result.Error);
        return System.IO.File.ReadAllBytes(folder.File("run/model.json"));
    });

    public static IReadOnlyList<CorpusCase> Cases { get; } = [.. Idx(), .. IdxGzip(), .. Npz(), .. Csv(), .. Models(), .. Yaml(), .. Reports(), .. Paths(), .. Hardening(), .. Attacks(), .. Tables()];

    private const int Count = 3;

    private static byte[] Images(int count = Count) => IdxBytes.Images(count, 4, 4);

    private static byte[] Labels(int count = Count) => IdxBytes.Labels(IdxBytes.CyclicLabels(count, CaseFolder.Classes));

    private static byte[] Header(byte typeCode, byte dimensions, params uint[] sizes)
    {
        var bytes = new byte[4 + 4 * sizes.Length];
        bytes[2] = typeCode;
        bytes[3] = dimensions;
        for (var i = 0; i < sizes.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), sizes[i]);
        }

        return bytes;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static CorpusCase Case(string name, string problem, Func<CaseFolder, CaseRun> arrange) => new(name, problem, arrange);

    /// <summary>An eval run whose images file is <paramref name="images"/> (with valid labels), or whose labels are bad.</summary>
    private static CorpusCase EvalImages(string name, string problem, byte[] images, string fileName = "images.idx") =>
        Case(name, problem, f =>
        {
            var path = f.Write(fileName, images);
            return new(f.Eval(path, f.Write("labels.idx", Labels())), path);
        });

    private static CorpusCase EvalLabels(string name, string problem, byte[] labels, string fileName = "labels.idx", byte[]? images = null) =>
        Case(name, problem, f =>
        {
            var path = f.Write(fileName, labels);
            return new(f.Eval(f.Write("images.idx", images ?? Images()), path), path);
        });

    /// <summary>A train run on a valid dataset folder with one file replaced by <paramref name="content"/>.</summary>
    private static CorpusCase TrainWith(string name, string problem, string file, byte[] content, bool asProcess = false) =>
        Case(name, problem, f =>
        {
            var data = f.Dataset();
            if (file.EndsWith(".gz", StringComparison.Ordinal))
            {
                // The raw file, when there, is the one read; the .gz must be the only copy.
                System.IO.File.Delete(f.File(System.IO.Path.Combine("data", file[..^3])));
            }

            var path = f.Write(System.IO.Path.Combine("data", file), content);
            return new(f.Train(data), path, AsProcess: asProcess);
        });

    private static IEnumerable<CorpusCase> Idx()
    {
        var valid = Images();
        foreach (var (cut, problem) in new[]
        {
            (1, "truncated: 1 byte(s), too short for an IDX header"),
            (3, "truncated: 3 byte(s), too short for an IDX header"),
            (4, "truncated IDX header: 4 of 16 bytes"),
            (9, "truncated IDX header: 9 of 16 bytes"),
            (15, "truncated IDX header: 15 of 16 bytes"),
            (16, "truncated: header declares 3 images of 4x4 (48 bytes) but the data ends after 0 bytes"),
            (40, "the data ends after 24 bytes (1 complete image)"),
            (63, "the data ends after 47 bytes (2 complete images)"),
        })
        {
            yield return EvalImages(string.Create(CultureInfo.InvariantCulture, $"idx: images cut after {cut} of 64 bytes"), problem, valid[..cut]);
        }

        yield return EvalLabels("idx: labels cut in the body", "truncated: header declares 3 labels but the data ends after 2 bytes", Labels()[..^1]);
        yield return EvalImages("idx: one trailing byte after the images", "1 trailing byte(s) after the 3 images", Concat(valid, [0]));
        yield return EvalImages("idx: wrong magic number", "not an IDX images file: magic number 0x12340803", Concat([0x12, 0x34], valid[2..]));
        yield return EvalImages("idx: float32 type code", "IDX type code 0x0D (float32) is not supported", Concat(Header(0x0D, 3, 3, 4, 4), new byte[3 * 16 * 4]));
        yield return EvalImages("idx: unknown type code", "IDX type code 0x42 (unknown) is not supported", Concat(Header(0x42, 3, 3, 4, 4), new byte[48]));
        yield return EvalImages("idx: a labels file given as images", "but this one declares 1 (this looks like a labels file)", Labels());
        yield return EvalLabels("idx: an images file given as labels", "but this one declares 3 (this looks like an images file)", Images());
        yield return EvalImages("idx: 255 dimensions", "but this one declares 255", Concat(Header(0x08, 255, 3, 4, 4), new byte[48]));
        yield return EvalImages("idx: sizes whose product overflows", "header declares 4294967295 images of 4294967295x4294967295", Concat(Header(0x08, 3, uint.MaxValue, uint.MaxValue, uint.MaxValue), new byte[48]));
        yield return EvalImages("idx: more images declared than the file holds", "truncated: header declares 1000 images of 4x4 (16000 bytes) but the data ends after 48 bytes", Concat(Header(0x08, 3, 1000, 4, 4), new byte[48]));
        yield return EvalLabels("idx: label count beyond the file", "truncated: header declares 4000000000 labels", Concat(Header(0x08, 1, 4_000_000_000), new byte[3]));
        yield return EvalImages("idx: zero images", "header declares 0 as the image count", Header(0x08, 3, 0, 4, 4));
        yield return EvalImages("idx: zero rows", "header declares 0 as the rows", Header(0x08, 3, 3, 0, 4));
        yield return EvalLabels("idx: zero labels", "header declares 0 as the label count", Header(0x08, 1, 0));
        yield return EvalLabels("idx: fewer labels than images", "holds 2 labels but", IdxBytes.Labels(0, 1));
        yield return EvalLabels("idx: a label beyond the model's three classes", "label 7 at index 1 is outside 0..2 (3 classes)", IdxBytes.Labels(0, 7, 1));
        yield return TrainWith("idx: train images cut in the body, through train", "truncated: header declares 12 images", "train-images-idx3-ubyte", IdxBytes.Images(12, 4, 4)[..100]);
        yield return TrainWith("idx: test labels with a wrong magic number, through train", "not an IDX labels file: magic number 0x01020801", "t10k-labels-idx1-ubyte", Concat([1, 2], Labels(6)[2..]), asProcess: true);
        yield return Case("idx: test labels that disagree with the test images, through data info", "holds 5 labels but", f =>
        {
            var data = f.Dataset();
            var labels = f.Write("data/t10k-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2, 0, 1));
            return new(CaseFolder.DataInfo(data), labels);
        });
        yield return Case("idx: classes.txt naming fewer classes than the labels use", "names 2 classes but", f =>
        {
            var data = f.Dataset();
            return new(CaseFolder.DataInfo(data), f.WriteText("data/classes.txt", "zero\none\n"));
        });
    }

    private static IEnumerable<CorpusCase> IdxGzip()
    {
        var valid = IdxBytes.Gzip(Images());
        foreach (var cut in new[] { 2, 10, valid.Length / 2, valid.Length - 8, valid.Length - 1 })
        {
            yield return EvalImages(
                string.Create(CultureInfo.InvariantCulture, $"idx.gz: gzip cut after {cut} of {valid.Length} bytes"), "gzip", valid[..cut], "images.idx.gz");
        }

        yield return EvalImages("idx.gz: gzip of an images file cut in the body", "truncated: header declares 3 images of 4x4 (48 bytes) but the data ends after 20 bytes", IdxBytes.Gzip(Images()[..36]), "images.idx.gz");
        yield return EvalImages("idx.gz: corrupt deflate data", "corrupt gzip data", CorruptDeflate(valid), "images.idx.gz");
        yield return EvalImages("idx.gz: wrong checksum in the trailer", "corrupt gzip data", FlipByte(valid, valid.Length - 6), "images.idx.gz");
        yield return EvalImages("idx.gz: gzip of a wrong magic number", "not an IDX images file", IdxBytes.Gzip(Concat([0xFF, 0xFF], Images()[2..])), "images.idx.gz");
        yield return EvalImages("idx.gz: header declares more than a gzip file can hold", "more than a", IdxBytes.Gzip(Concat(Header(0x08, 3, 100_000, 28, 28), new byte[48])), "images.idx.gz");
        yield return EvalLabels("idx.gz: gzip labels with zero items", "header declares 0 as the label count", IdxBytes.Gzip(Header(0x08, 1, 0)), "labels.idx.gz");
        yield return EvalLabels("idx.gz: gzip labels with more labels than images", "holds 4 labels but", IdxBytes.Gzip(IdxBytes.Labels(0, 1, 2, 0)), "labels.idx.gz");
        yield return TrainWith("idx.gz: train images .gz that is not gzip inside, through train", "gzip", "train-images-idx3-ubyte.gz", Concat([0x1F, 0x8B], new byte[40]));
    }

    /// <summary>The gzip with bytes in the middle of its deflate stream scrambled.</summary>
    private static byte[] CorruptDeflate(byte[] gzip)
    {
        var bytes = gzip.ToArray();
        for (var i = 10; i < Math.Min(bytes.Length - 8, 18); i++)
        {
            bytes[i] = 0xFF;
        }

        return bytes;
    }

    private static byte[] FlipByte(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0xFF;
        return copy;
    }

    private static byte[] NpzOf(byte[] npy, string entry = "arr_0.npy") => NpzBytes.Zip((entry, npy));

    private static byte[] NpyImages(int count = Count) => NpzBytes.Uint8([count, 4, 4], IdxBytes.ImagePixels(count, 4, 4));

    private static byte[] NpyLabels(int count = Count) => NpzBytes.Uint8([count], IdxBytes.CyclicLabels(count, CaseFolder.Classes).Select(l => (byte)l).ToArray());

    private static CorpusCase NpzImages(string name, string problem, byte[] npz) => EvalImages(name, problem, npz, "images.npz");

    private static CorpusCase NpzLabels(string name, string problem, byte[] npz) => EvalLabels(name, problem, npz, "labels.npz", NpzOf(NpyImages()));

    private static IEnumerable<CorpusCase> Npz()
    {
        var valid = NpzOf(NpyImages());
        yield return NpzImages("npz: not a zip at all", "not a valid NPZ (zip) archive", Encoding.ASCII.GetBytes("this is not a zip archive"));
        yield return NpzImages("npz: zip cut in half", "not a valid NPZ (zip) archive", valid[..(valid.Length / 2)]);
        yield return NpzImages("npz: zip without its central directory", "not a valid NPZ (zip) archive", valid[..(valid.Length - 22)]);
        yield return NpzImages("npz: corrupt stored entry data", "arr_0.npy", CorruptEntry(NpzBytes.Zip(CompressionLevel.NoCompression, ("arr_0.npy", NpyImages()))));
        yield return NpzImages("npz: corrupt deflated entry data", "corrupt zip data", CorruptEntry(valid));
        yield return NpzImages("npz: arr_0.npy missing", "no entry 'arr_0.npy' in the archive (it holds: images.npy)", NpzOf(NpyImages(), "images.npy"));
        yield return NpzImages("npz: empty archive", "(it holds: nothing)", NpzBytes.Zip());
        yield return NpzImages("npz: float32 images", "has dtype '<f4'; LogReg reads uint8 arrays", NpzOf(NpzBytes.Npy("<f4", false, [Count, 4, 4], new byte[Count * 16 * 4])));
        yield return NpzLabels("npz: int64 labels", "has dtype '<i8'", NpzOf(NpzBytes.Npy("<i8", false, [Count], new byte[Count * 8])));
        yield return NpzImages("npz: Fortran order", "is stored in Fortran order", NpzOf(NpzBytes.Npy("|u1", true, [Count, 4, 4], new byte[Count * 16])));
        yield return NpzImages("npz: entry without the NUMPY magic", "is not a .npy array", NpzOf(Encoding.ASCII.GetBytes("plain text, not an array")));
        yield return NpzImages("npz: .npy format version 9", ".npy format version 9 is not supported", NpzOf(WithVersion(NpyImages(), 9)));
        yield return NpzImages("npz: .npy header length beyond the entry", "it declares 65535 bytes but the entry holds", NpzOf(Concat(NpyImages()[..8], [0xFF, 0xFF], NpyImages()[10..20])));
        yield return NpzImages("npz: .npy cut inside its header", "truncated .npy header", NpzOf(NpyImages()[..40]));
        yield return NpzImages("npz: fewer bytes than the shape needs", "has shape (10, 4, 4) (160 bytes) but the entry holds 48 data bytes", NpzOf(NpzBytes.Npy("|u1", false, [10, 4, 4], new byte[48])));
        yield return NpzImages("npz: zero images", "has shape (0, 4, 4) and holds no items", NpzOf(NpzBytes.Npy("|u1", false, [0, 4, 4], [])));
        yield return NpzImages("npz: one-dimensional images", "images need (count, height, width) or (count, pixels)", NpzOf(NpzBytes.Uint8([48], new byte[48])));
        yield return NpzLabels("npz: two-dimensional labels", "labels need (count,)", NpzOf(NpzBytes.Uint8([Count, 1], new byte[Count])));
        yield return NpzImages("npz: header that is not a dictionary", "malformed .npy header", NpzOf(RawNpy("[1, 2, 3]", new byte[48])));
        yield return NpzImages("npz: header without a shape", "lacks 'descr', 'fortran_order' or 'shape'", NpzOf(RawNpy("{'descr': '|u1', 'fortran_order': False, }", new byte[48])));
        yield return NpzImages("npz: negative size in the shape", "shape entry '-3' is not a valid size", NpzOf(RawNpy("{'descr': '|u1', 'fortran_order': False, 'shape': (-3, 4, 4), }", new byte[48])));
        yield return NpzLabels("npz: more labels than images", "holds 5 labels but", NpzOf(NpyLabels(5)));
        yield return Case("npz: test labels beyond the train labels' classes, through train", "holds 4 labels but", f =>
        {
            var data = f.Folder("data");
            f.Write("data/x-train-imgs.npz", NpzOf(NpyImages(6)));
            f.Write("data/x-train-labels.npz", NpzOf(NpyLabels(6)));
            f.Write("data/x-test-imgs.npz", NpzOf(NpyImages(3)));
            var labels = f.Write("data/x-test-labels.npz", NpzOf(NpyLabels(4)));
            return new(f.Train(data), labels);
        });
        yield return Case("npz: corrupt kmnist archive found through --data-dir", "not a valid NPZ (zip) archive", f =>
        {
            var root = f.Folder("datasets");
            var images = f.Write("datasets/kmnist/kmnist-train-imgs.npz", valid[..30]);
            f.Write("datasets/kmnist/kmnist-train-labels.npz", NpzOf(NpyLabels()));
            return new(["data", "info", "kmnist", "--split", "train", "--data-dir", root, "--no-download"], images);
        });
    }

    /// <summary>The zip with the middle of its (first) entry's data overwritten.</summary>
    private static byte[] CorruptEntry(byte[] zip)
    {
        var bytes = zip.ToArray();
        var nameLength = BitConverter.ToUInt16(bytes, 26);
        var extraLength = BitConverter.ToUInt16(bytes, 28);
        var start = 30 + nameLength + extraLength;
        for (var i = start + 4; i < start + 24; i++)
        {
            bytes[i] ^= 0x5A;
        }

        return bytes;
    }

    private static byte[] WithVersion(byte[] npy, byte major)
    {
        var copy = npy.ToArray();
        copy[6] = major;
        return copy;
    }

    /// <summary>A version 1 .npy whose header text is exactly <paramref name="header"/>.</summary>
    private static byte[] RawNpy(string header, byte[] data)
    {
        var text = Encoding.ASCII.GetBytes(header + "\n");
        return Concat([0x93], "NUMPY"u8.ToArray(), [1, 0], BitConverter.GetBytes((ushort)text.Length), text, data);
    }

    private static string CsvRows(int count = Count, int pixels = 16) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{i % CaseFolder.Classes},{string.Join(',', Enumerable.Range(0, pixels).Select(p => (i * 7 + p) % 256))}\n"));

    private static CorpusCase CsvCase(string name, string problem, string text) =>
        Case(name, problem, f =>
        {
            var path = f.WriteText("digits.csv", text);
            return new(f.Eval(path, path), path);
        });

    private static IEnumerable<CorpusCase> Csv()
    {
        var header = "label," + string.Join(',', Enumerable.Range(0, 16).Select(p => $"pixel{p}")) + "\n";
        var rows = CsvRows().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        yield return CsvCase("csv: text in a pixel cell", "line 3, column 5: 'abc' is not a whole number", header + rows[0] + "\n" + ReplaceCell(rows[1], 4, "abc") + "\n");
        yield return CsvCase("csv: text in a label cell", "line 2, column 1: 'seven' is not a whole number", rows[0] + "\n" + ReplaceCell(rows[1], 0, "seven") + "\n");
        yield return CsvCase("csv: a row missing a column", "line 3: expected 17 columns (label + 16 pixels), found 16", header + rows[0] + "\n" + rows[1][..rows[1].LastIndexOf(',')] + "\n");
        yield return CsvCase("csv: a row with an extra column", "line 2: expected 17 columns (label + 16 pixels), found 18", rows[0] + "\n" + rows[1] + ",0\n");
        yield return CsvCase("csv: pixel 256", "line 2, column 3: pixel value 256 is outside 0..255", header + ReplaceCell(rows[0], 2, "256") + "\n");
        yield return CsvCase("csv: negative pixel", "line 1, column 17: pixel value -1 is outside 0..255", ReplaceCell(rows[0], 16, "-1") + "\n");
        yield return CsvCase("csv: fractional pixel", "line 1, column 2: '12.5' is not a whole number", ReplaceCell(rows[0], 1, "12.5") + "\n");
        yield return CsvCase("csv: negative label", "line 1, column 1: label -2 is negative", ReplaceCell(rows[0], 0, "-2") + "\n");
        yield return CsvCase("csv: a header and no rows", "holds no data rows", header);
        yield return CsvCase("csv: an empty line inside the data", "line 2: empty line inside the data", rows[0] + "\n\n" + rows[1] + "\n");
        yield return CsvCase("csv: one column only", "line 1: found 1 column", "0\n1\n");
        yield return CsvCase("csv: a label beyond the model's three classes", "label 5 at index 1 is outside 0..2 (3 classes)", rows[0] + "\n" + ReplaceCell(rows[1], 0, "5") + "\n");
        yield return Case("csv: corrupt gzip train.csv.gz, through data info", "corrupt gzip data", f =>
        {
            var data = f.Folder("data");
            return new(CaseFolder.DataInfo(data), f.Write("data/train.csv.gz", CorruptDeflate(IdxBytes.Gzip(Encoding.ASCII.GetBytes(CsvRows(40))))));
        });
        yield return Case("csv: a label beyond classes.txt, through train", "names 3 classes but", f =>
        {
            var data = f.Folder("data");
            f.WriteText("data/classes.txt", "a\nb\nc\n");
            f.WriteText("data/train.csv", CsvRows(6) + "7," + string.Join(',', new int[16]) + "\n");
            f.WriteText("data/test.csv", CsvRows(3));
            return new(f.Train(data), f.File("data/classes.txt"));
        });
        yield return Case("csv: test images of another size than the train images, through train", "test.csv", f =>
        {
            var data = f.Folder("data");
            f.WriteText("data/train.csv", CsvRows(6));
            var test = f.WriteText("data/test.csv", CsvRows(3, pixels: 25));
            return new(f.Train(data), test);
        });
    }

    private static string ReplaceCell(string row, int index, string value)
    {
        var cells = row.Split(',');
        cells[index] = value;
        return string.Join(',', cells);
    }

    private static byte[] ModelWith(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(ValidModel.Value)!.AsObject();
        change(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static CorpusCase ModelCase(string name, string problem, Func<byte[]> content, bool predict = false, bool asProcess = false) =>
        Case(name, problem, f =>
        {
            var model = f.Write("bad-model.json", content());
            string[] args = predict
                ? ["predict", "--model-file", model, f.Write("digit.png", PngEncoder.Grayscale(new byte[16], 4, 4))]
                : ["eval", "--model-file", model, "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())];
            return new(args, model, AsProcess: asProcess);
        });

    private static IEnumerable<CorpusCase> Models()
    {
        yield return ModelCase("model: not JSON", "not valid JSON (line 1)", () => "model: softmax"u8.ToArray());
        yield return ModelCase("model: JSON cut in half", "not valid JSON", () => ValidModel.Value[..(ValidModel.Value.Length / 2)], predict: true);
        yield return ModelCase("model: a JSON array", "the top level must be a JSON object", () => "[1, 2, 3]"u8.ToArray());
        yield return ModelCase("model: another format", "not a LogReg model file (format is 'keras'", () => ModelWith(m => m["format"] = "keras"));
        yield return ModelCase("model: unknown format version", "model format version 99 is not supported", () => ModelWith(m => m["format_version"] = 99), asProcess: true);
        yield return ModelCase("model: format version missing", "missing 'format_version'", () => ModelWith(m => m.Remove("format_version")));
        yield return ModelCase("model: format version as text", "'format_version' must be a number (found a string)", () => ModelWith(m => m["format_version"] = "1"));
        yield return ModelCase("model: unknown kind", "unknown model kind 'forest'", () => ModelWith(m => m["kind"] = "forest"));
        yield return ModelCase("model: one class name", "class_names has 1 entries", () => ModelWith(m => m["class_names"] = new JsonArray("0")));
        yield return ModelCase("model: image shape with a zero", "image_shape must be [height, width] with positive whole numbers", () => ModelWith(m => m["image_shape"] = new JsonArray(0, 4)));
        yield return ModelCase("model: image shape with one number", "image_shape must be [height, width]", () => ModelWith(m => m["image_shape"] = new JsonArray(16)), predict: true);
        yield return ModelCase("model: too few weight rows", "weights has 2 rows; a softmax model with 3 classes needs 3", () => ModelWith(m => m["weights"]!.AsArray().RemoveAt(2)));
        yield return ModelCase("model: a weight row too short", "weights[1] has 15 values; the model's shape needs 16", () => ModelWith(m => m["weights"]![1]!.AsArray().RemoveAt(0)));
        yield return ModelCase("model: bias too long", "bias has 4 values; the model's shape needs 3", () => ModelWith(m => m["bias"]!.AsArray().Add(0)));
        yield return ModelCase("model: scaler offset of another shape", "scaler.offset has 17 values", () => ModelWith(m => m["scaler"]!["offset"]!.AsArray().Add(0)));
        yield return ModelCase("model: NaN weight", "weights[0][3] is NaN; every number in a model must be finite", () => ModelWith(m => m["weights"]![0]![3] = "NaN"));
        yield return ModelCase("model: infinite bias", "bias[1] is Infinity", () => ModelWith(m => m["bias"]![1] = "Infinity"), predict: true);
        yield return ModelCase("model: weight beyond a 32-bit float", "weights[2][0] = 1E+300 does not fit a 32-bit float", () => ModelWith(m => m["weights"]![2]![0] = 1e300));
        yield return ModelCase("model: weight as text", "weights[0][0] must be a number (found a string)", () => ModelWith(m => m["weights"]![0]![0] = "heavy"));
        yield return ModelCase("model: unknown scaling", "preparation.scaling 'log' is not one of", () => ModelWith(m => m["preparation"]!["scaling"] = "log"));
        yield return ModelCase("model: training options missing", "missing 'training'", () => ModelWith(m => m.Remove("training")));
        yield return Case("model: images of another size than the model's", "images.idx", f =>
        {
            var images = f.Write("images.idx", IdxBytes.Images(Count, 5, 5));
            return new(f.Eval(images, f.Write("labels.idx", Labels())), images);
        });
        yield return Case("model: predict input of another size than the model's", "image is 5x5 but the model takes 4x4 images", f =>
        {
            var input = f.Write("digit.png", PngEncoder.Grayscale(new byte[25], 5, 5));
            return new(["predict", "--model-file", f.Model(), input], input);
        });
    }

    private static CorpusCase YamlCase(string name, string problem, Func<string, string> spec) =>
        Case(name, problem, f =>
        {
            var data = f.Dataset();
            var path = f.WriteText("spec.yaml", spec(data));
            return new(f.ExperimentRun(path), path);
        });

    private static IEnumerable<CorpusCase> Yaml()
    {
        yield return YamlCase("yaml: an unclosed bracket", "line 2: not valid YAML", data => $"name: corpus\ngrid: {{ learning_rate: [0.1, 0.01\ndataset: {data}\n");
        yield return YamlCase("yaml: a list, not a mapping", "an experiment spec must be a YAML mapping", data => $"- name: corpus\n- dataset: {data}\n");
        yield return YamlCase("yaml: only a comment", "an experiment spec must be a YAML mapping", _ => "# an experiment, some day\n");
        yield return YamlCase("yaml: a tab in the indentation", "not valid YAML", data => $"name: corpus\ndataset: {data}\noptions:\n\tepochs: 1\n");
        yield return YamlCase("yaml: unknown key", "unknown key 'learnin_rate' in options (did you mean 'learning_rate'?)", data => $"name: corpus\ndataset: {data}\noptions:\n  learnin_rate: 0.1\n");
        yield return YamlCase("yaml: text for a number", "line 4", data => $"name: corpus\ndataset: {data}\noptions:\n  learning_rate: fast\n");
        yield return YamlCase("yaml: an empty grid axis", "grid axis 'learning_rate' has no values", data => $"name: corpus\ndataset: {data}\ngrid:\n  learning_rate: []\n");
        yield return YamlCase("yaml: repeated seeds", "seeds must be a list of distinct whole numbers", data => $"name: corpus\ndataset: {data}\nseeds: [1, 1]\nvalidation: {{ method: holdout }}\n");
        yield return YamlCase("yaml: validation fraction above 1", "validation.fraction must be in (0, 1) (was 1.5)", data => $"name: corpus\ndataset: {data}\nvalidation:\n  fraction: 1.5\n");
        yield return YamlCase("yaml: a name that is not a folder name", "name 'a/b' must be usable as a folder name", data => $"name: a/b\ndataset: {data}\n");
        yield return YamlCase("yaml: one class for a pair", "classes takes two classes", data => $"name: corpus\ndataset: {data}\nclasses: [2]\n");
        yield return Case("yaml: a class the dataset does not have", "99", f =>
        {
            var spec = f.Spec(f.Dataset(), "classes: [0, 99]");
            return new(f.ExperimentRun(spec), spec);
        });
        yield return Case("yaml: a dataset folder that does not exist", "unknown dataset", f =>
        {
            var missing = f.File("no-such-data");
            return new(f.ExperimentRun(f.Spec(missing)), missing);
        });
        yield return Case("yaml: a dataset with truncated images", "truncated: header declares 12 images", f =>
        {
            var data = f.Dataset();
            var images = f.Write("data/train-images-idx3-ubyte", IdxBytes.Images(12, 4, 4)[..50]);
            return new(f.ExperimentRun(f.Spec(data)), images, AsProcess: true);
        });
    }

    private static IEnumerable<CorpusCase> Reports()
    {
        yield return Case("report: a run folder with a corrupt model.json", "not valid JSON", f =>
        {
            var run = f.Folder("run");
            return new(["report", run, "--no-download"], f.WriteText("run/model.json", "{\"format\": \"logreg-model\", "));
        });
        yield return Case("report: a run folder with a corrupt history.json", "history.json", f =>
        {
            var run = f.Folder("run");
            f.Write("run/model.json", ValidModel.Value);
            return new(["report", run, "--no-download"], f.WriteText("run/history.json", "[{\"epoch\": 1, "));
        });
        yield return Case("report: an experiment folder with a corrupt experiment.json", "experiment.json", f =>
        {
            var run = f.Folder("experiment");
            return new(["report", run, "--no-download"], f.WriteText("experiment/experiment.json", "not json"));
        });
    }

    /// <summary>The four kinds of bad path: an empty file, a folder, a missing file, an unreadable file.</summary>
    private static IEnumerable<CorpusCase> PathKinds(string argument, Func<CaseFolder, string, string[]> args, string fileName, bool isFolder = false)
    {
        if (!isFolder)
        {
            yield return Case($"path: {argument} is an empty file", "file is empty", f =>
            {
                var path = f.Write(fileName, []);
                return new(args(f, path), path);
            });
            yield return Case($"path: {argument} is a folder", "is a directory, not a file", f =>
            {
                var path = f.Folder(fileName);
                return new(args(f, path), path);
            });
        }

        yield return Case($"path: {argument} does not exist", isFolder ? "no such" : "file not found", f =>
        {
            var path = f.File(fileName);
            return new(args(f, path), path);
        });
        yield return Case($"path: {argument} is unreadable", "permission denied", f =>
        {
            var path = isFolder ? f.Folder(fileName) : f.WriteText(fileName, "content");
            if (isFolder)
            {
                f.WriteText(System.IO.Path.Combine(fileName, "inside.txt"), "content");
            }

            return new(args(f, path), path, Unreadable: path);
        });
    }

    private static IEnumerable<CorpusCase> Paths()
    {
        // Each file of a dataset folder, and the folder itself.
        foreach (var c in PathKinds("train --dataset DIR/train-images-idx3-ubyte", (f, p) => f.Train(System.IO.Path.GetDirectoryName(p)!), "data/train-images-idx3-ubyte"))
        {
            yield return c with
            {
                Arrange = f =>
                {
                    f.Dataset();
                    System.IO.File.Delete(f.File("data/train-images-idx3-ubyte"));
                    return c.Arrange(f);
                },
            };
        }

        yield return Case("path: train --dataset DIR without the train labels", "file not found (nor train-labels-idx1-ubyte.gz), though train-images-idx3-ubyte is there", f =>
        {
            var data = f.Dataset();
            var labels = f.File("data/train-labels-idx1-ubyte");
            System.IO.File.Delete(labels);
            return new(f.Train(data), labels);
        });
        yield return Case("path: train --dataset DIR with neither train file", "no train split here", f =>
        {
            var data = f.Dataset();
            System.IO.File.Delete(f.File("data/train-labels-idx1-ubyte"));
            System.IO.File.Delete(f.File("data/train-images-idx3-ubyte"));
            return new(f.Train(data), data);
        });
        yield return Case("path: train --dataset DIR that does not exist", "unknown dataset", f =>
        {
            var missing = f.File("no-such-data");
            return new(f.Train(missing), missing);
        });
        yield return Case("path: train --dataset DIR that is a file", "unknown dataset", f =>
        {
            var file = f.Write("data.idx", Images());
            return new(f.Train(file), file);
        });

        foreach (var c in PathKinds("eval --model FILE", (f, p) => ["eval", "--model-file", p, "--images", f.Write("images.idx", Images()), "--labels", f.Write("labels.idx", Labels())], "model.json"))
        {
            yield return c;
        }

        foreach (var c in PathKinds("eval --images FILE", (f, p) => f.Eval(p, f.Write("labels.idx", Labels())), "images.idx"))
        {
            yield return c;
        }

        foreach (var c in PathKinds("eval --labels FILE", (f, p) => f.Eval(f.Write("images.idx", Images()), p), "labels.idx"))
        {
            yield return c;
        }

        foreach (var c in PathKinds("predict --model FILE", (f, p) => ["predict", "--model-file", p, f.Write("digit.png", PngEncoder.Grayscale(new byte[16], 4, 4))], "model.json"))
        {
            yield return c;
        }

        foreach (var c in PathKinds("predict INPUT", (f, p) => ["predict", "--model-file", f.Model(), p], "digit.png"))
        {
            yield return c;
        }

        yield return Case("path: predict INPUT that is not an image", "not a PNG or PGM image", f =>
        {
            var input = f.WriteText("digit.png", "a photo of a seven");
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return Case("path: predict INPUT that is a PNG with a bad CRC", "fails its CRC check", f =>
        {
            var png = PngEncoder.Grayscale(new byte[16], 4, 4);
            var input = f.Write("digit.png", FlipByte(png, 29));
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return Case("path: predict INPUT that is a cut PNG", "truncated PNG chunk", f =>
        {
            var png = PngEncoder.Grayscale(new byte[16], 4, 4);
            var input = f.Write("digit.png", png[..40]);
            return new(["predict", "--model-file", f.Model(), input], input);
        });
        yield return Case("path: predict INPUT that is a cut IDX file", "truncated: header declares 3 images", f =>
        {
            var input = f.Write("digits.idx", Images()[..30]);
            return new(["predict", "--model-file", f.Model(), input], input, AsProcess: true);
        });

        yield return Case("path: data info DIR that does not exist", "unknown dataset", f =>
        {
            var missing = f.File("no-such-data");
            return new(CaseFolder.DataInfo(missing), missing);
        });
        yield return Case("path: data info DIR that is an empty folder", "no train split here", f =>
        {
            var data = f.Folder("data");
            return new(CaseFolder.DataInfo(data), data);
        });
        yield return Case("path: data info DIR that is unreadable", "permission denied", f =>
        {
            var data = f.Dataset();
            return new(CaseFolder.DataInfo(data), data, Unreadable: data);
        });

        foreach (var c in PathKinds("experiment run FILE", (f, p) => f.ExperimentRun(p), "spec.yaml"))
        {
            yield return c;
        }

        yield return Case("path: report DIR that does not exist", "no such folder", f =>
        {
            var missing = f.File("run");
            return new(["report", missing], missing);
        });
        yield return Case("path: report DIR that is a file", "not a folder", f =>
        {
            var file = f.Write("run", ValidModel.Value);
            return new(["report", file], file);
        });
        yield return Case("path: report DIR that is an empty folder", "neither a run folder (model.json) nor an experiment folder", f =>
        {
            var run = f.Folder("run");
            return new(["report", run], run);
        });
        yield return Case("path: report DIR that is unreadable", "permission denied", f =>
        {
            var run = f.Folder("run");
            f.Write("run/model.json", ValidModel.Value);
            return new(["report", run], run, Unreadable: run);
        });

        yield return Case("path: --data-dir DIR that does not exist", "no such folder", f =>
        {
            var missing = f.File("datasets");
            return new(["data", "info", "kmnist", "--data-dir", missing, "--no-download"], missing);
        });
        yield return Case("path: --data-dir DIR that is a file", "not a folder", f =>
        {
            var file = f.Write("datasets", Images());
            return new(["data", "info", "kmnist", "--data-dir", file, "--no-download"], file);
        });
        yield return Case("path: --data-dir DIR that is unreadable", "permission denied", f =>
        {
            var root = f.Folder("datasets");
            f.Write("datasets/kmnist/kmnist-train-imgs.npz", NpzOf(NpyImages()));
            return new(["data", "info", "kmnist", "--data-dir", root, "--no-download"], root, Unreadable: root);
        });
        yield return Case("path: --data-dir DIR without the dataset", "train split not found", f =>
        {
            var root = f.Folder("datasets");
            return new(["data", "info", "kmnist", "--split", "train", "--data-dir", root, "--no-download"], root);
        });
    }
}
