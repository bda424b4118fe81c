using LogReg.Cli.Serve;
using LogReg.Common;

namespace LogReg.Tests.Cli.Serve;

public sealed class DrawingAnalysisTests
{
    private static long Reference(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return sum;
    }

    [Fact]
    public void The_vector_squared_distance_equals_the_scalar_one_at_every_length()
    {
        var random = new SeededRandom(7);
        foreach (var length in Enumerable.Range(0, 257).Append(784).Append(100_000))
        {
            var a = Enumerable.Range(0, length).Select(_ => (byte)random.NextInt(256)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (byte)random.NextInt(256)).ToArray();
            Assert.Equal(Reference(a, b), DrawingAnalysis.SquaredDistance(a, b));
        }
    }

    [Fact]
    public void The_largest_differences_do_not_overflow()
    {
        var black = new byte[300_000];
        var white = Enumerable.Repeat((byte)255, black.Length).ToArray();
        Assert.Equal(300_000L * 255 * 255, DrawingAnalysis.SquaredDistance(black, white));
        Assert.Equal(300_000L * 255 * 255, DrawingAnalysis.SquaredDistance(white, black));
    }

    [Fact]
    public void Images_of_different_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => DrawingAnalysis.SquaredDistance(new byte[3], new byte[4]));
    }
}
