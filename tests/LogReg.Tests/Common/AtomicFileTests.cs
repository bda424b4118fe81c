using LogReg.Common;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Common;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_write_that_fails_halfway_leaves_the_previous_file_and_no_temporary_file()
    {
        var path = _dir.WriteText("model.json", "previous");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new con"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["model.json"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_before_any_previous_version_leaves_no_file()
    {
        var path = _dir.File("history.json");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("serializer failed")));

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_successful_write_replaces_the_file_and_clears_temporary_files_a_killed_process_left()
    {
        var path = _dir.WriteText("results.md", "old");
        var stale = _dir.WriteText(".results.md.0123456789abcdef.tmp", "half of a results file from a killed run");
        var otherFilesTemp = _dir.WriteText(".model.json.0123456789abcdef.tmp", "not this file's");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherFilesTemp));
    }
}
