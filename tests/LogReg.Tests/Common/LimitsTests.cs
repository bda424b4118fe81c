using LogReg.Common;
using LogReg.Experiments;
using LogReg.Tests.Cli;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Common;

/// <summary>The limits table, the file-kind check behind every input path, and the safe-name rule.</summary>
public sealed class LimitsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FileKinds_tells_regular_files_folders_fifos_devices_and_missing_paths_apart()
    {
        Assert.Equal(FileKind.Regular, FileKinds.Of(_dir.WriteText("file.txt", "x")));
        Assert.Equal(FileKind.Regular, FileKinds.Of(_dir.Write("empty", [])));
        Assert.Equal(FileKind.Directory, FileKinds.Of(_dir.Path));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(Corpus.Fifo(_dir.File("pipe"))));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.Missing, FileKinds.Of(_dir.File("nothing")));
        File.CreateSymbolicLink(_dir.File("link"), "/dev/zero");
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(_dir.File("link")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limits.MaxThreads)]
    public void Threads_accepts_zero_to_the_limit_and_resolves_zero_to_the_cores(int requested) =>
        Assert.Equal(requested == 0 ? Environment.ProcessorCount : requested, Limits.Threads(requested));

    [Theory]
    [InlineData(-1)]
    [InlineData(Limits.MaxThreads + 1)]
    [InlineData(100_000)]
    public void Threads_refuses_negative_counts_and_counts_above_the_limit(int requested)
    {
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Limits.Threads(requested, "--threads"));
        Assert.StartsWith("--threads must be between 0 (one per core) and 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Product_saturates_instead_of_overflowing()
    {
        Assert.Equal(1_000_000_000, Limits.Product(Enumerable.Repeat(10L, 9)));
        Assert.Equal(long.MaxValue, Limits.Product(Enumerable.Repeat(1_000_000L, 5)));
        Assert.Equal(0, Limits.Product([5, 0, long.MaxValue]));
    }

    [Theory]
    [InlineData("mnist-logistic-2v8")]
    [InlineData("résumé α+β_1.5")]
    [InlineData("カタカナ")]
    public void SafeName_accepts_one_folder_name_of_letters_digits_and_a_few_marks(string name) => Assert.Null(SafeName.Problem(name));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData(".", "starts with '.'")]
    [InlineData("..", "starts with '.'")]
    [InlineData(".hidden", "starts with '.'")]
    [InlineData("-rf", "starts with '-'")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a\\b", "contains '\\'")]
    [InlineData("a\0b", "contains 'U+0000'")]
    [InlineData("trailing ", "ends with a space")]
    public void SafeName_refuses_paths_hidden_folders_options_and_control_characters(string name, string problem) =>
        Assert.Equal(problem, SafeName.Problem(name));

    [Fact]
    public void SafeName_refuses_names_over_the_length_limit() =>
        Assert.Equal("has 101 characters, more than the limit of 100", SafeName.Problem(new string('a', 101)));

    [Fact]
    public void A_spec_reader_with_a_raised_run_limit_accepts_a_huge_grid_without_expanding_it()
    {
        var axes = string.Concat(new[] { "learning_rate", "epochs", "batch_size", "patience", "init_std", "min_delta" }
            .Select(a => $"  {a}: [{string.Join(", ", Enumerable.Range(1, 10))}]\n"));
        var text = $"name: big\ndataset: mnist\nvalidation: {{ method: holdout }}\ngrid:\n{axes}";

        var refused = Assert.Throws<LogReg.Data.LogRegDataException>(() => ExperimentSpecReader.Parse(text, "big.yaml"));
        Assert.Contains("line 5: the spec expands to 1000000 runs", refused.Message, StringComparison.Ordinal);

        var spec = ExperimentSpecReader.Parse(text, "big.yaml", maxRuns: 1_000_000);
        Assert.Equal(6, spec.Grid.Count);
    }
}
