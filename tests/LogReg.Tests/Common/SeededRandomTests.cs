using LogReg.Common;

namespace LogReg.Tests.Common;

public sealed class SeededRandomTests
{
    [Fact]
    public void Same_seed_gives_the_same_sequence_and_another_seed_a_different_one()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        var first = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();

        Assert.Equal(first, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()));
        Assert.NotEqual(first, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void Sequence_is_pinned_so_results_reproduce_across_versions()
    {
        // If this changes, every published seed-based result changes: do not update it lightly.
        Assert.Equal(PinnedFirstValue, new SeededRandom(0).NextUInt64());
        Assert.Equal([1, 2, 4, 3, 0], PermutationOf(5, seed: 2024));
    }

    private const ulong PinnedFirstValue = 11091344671253066420UL; // xoshiro256** reference, SplitMix64(0) state

    private static int[] PermutationOf(int n, int seed) => new SeededRandom(seed).Permutation(n);

    [Fact]
    public void NextInt_stays_in_range_and_hits_every_value()
    {
        var random = new SeededRandom(1);
        var seen = new int[7];
        for (var i = 0; i < 7000; i++)
        {
            seen[random.NextInt(7)]++;
        }

        Assert.All(seen, n => Assert.InRange(n, 850, 1150));
    }

    [Fact]
    public void NextGaussian_has_mean_zero_and_unit_variance()
    {
        var random = new SeededRandom(9);
        var samples = Enumerable.Range(0, 100_000).Select(_ => random.NextGaussian()).ToArray();
        var mean = samples.Average();
        var variance = samples.Select(s => (s - mean) * (s - mean)).Average();

        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void Permutation_contains_every_index_once()
    {
        Assert.Equal(Enumerable.Range(0, 100), new SeededRandom(3).Permutation(100).Order());
    }
}
