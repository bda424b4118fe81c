using LogReg.Preprocessing;

namespace LogReg.Tests.Preprocessing;

public sealed class SplitsTests
{
    private static int[] Labels(params int[] perClass) =>
        perClass.SelectMany((n, c) => Enumerable.Repeat(c, n)).ToArray();

    [Fact]
    public void HoldOut_takes_the_rounded_fraction_disjoint_and_covering()
    {
        var fold = Splits.HoldOut(new int[1000], 0.1, seed: 7);

        Assert.Equal(100, fold.Validation.Length);
        Assert.Equal(900, fold.Train.Length);
        Assert.Empty(fold.Train.Intersect(fold.Validation));
        Assert.Equal(Enumerable.Range(0, 1000), fold.Train.Concat(fold.Validation).Order());
    }

    [Fact]
    public void HoldOut_is_reproducible_from_the_seed_and_differs_between_seeds()
    {
        Assert.Equal(Splits.HoldOut(new int[500], 0.2, 1).Validation, Splits.HoldOut(new int[500], 0.2, 1).Validation);
        Assert.NotEqual(Splits.HoldOut(new int[500], 0.2, 1).Validation, Splits.HoldOut(new int[500], 0.2, 2).Validation);
    }

    [Fact]
    public void HoldOut_stratified_keeps_each_class_proportion()
    {
        var labels = Labels(600, 300, 100);
        var fold = Splits.HoldOut(labels, 0.1, seed: 3, stratify: true);

        Assert.Equal(60, fold.Validation.Count(i => labels[i] == 0));
        Assert.Equal(30, fold.Validation.Count(i => labels[i] == 1));
        Assert.Equal(10, fold.Validation.Count(i => labels[i] == 2));
    }

    [Fact]
    public void HoldOut_without_shuffle_takes_the_first_images_in_file_order_whatever_the_seed()
    {
        var first = Splits.HoldOut(new int[1000], 0.1, seed: 1, shuffle: false);
        var other = Splits.HoldOut(new int[1000], 0.1, seed: 2, shuffle: false);

        Assert.Equal(Enumerable.Range(0, 100), first.Validation);
        Assert.Equal(Enumerable.Range(100, 900), first.Train);
        Assert.Equal(first.Validation, other.Validation);
        Assert.NotEqual(first.Validation, Splits.HoldOut(new int[1000], 0.1, seed: 1).Validation);
    }

    [Fact]
    public void HoldOut_stratified_without_shuffle_takes_each_class_first_members()
    {
        // Classes interleaved: 0 1 0 1 ... (20 of each); 10 % of each class is its first two members.
        var labels = Enumerable.Range(0, 40).Select(i => i % 2).ToArray();
        var fold = Splits.HoldOut(labels, 0.1, seed: 5, stratify: true, shuffle: false);

        Assert.Equal([0, 1, 2, 3], fold.Validation);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void HoldOut_rejects_fractions_outside_zero_one(double fraction)
    {
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Splits.HoldOut(new int[10], fraction, 1));
        Assert.Contains("ValidationFraction must be in (0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(103, 10)]
    [InlineData(5, 5)]
    public void KFold_folds_are_disjoint_cover_everything_and_differ_in_size_by_at_most_one(int count, int k)
    {
        var folds = Splits.KFold(count, k, seed: 11);

        Assert.Equal(k, folds.Count);
        Assert.Equal(Enumerable.Range(0, count), folds.SelectMany(f => f.Validation).Order());
        Assert.All(folds, f => Assert.Equal(Enumerable.Range(0, count), f.Train.Concat(f.Validation).Order()));
        Assert.True(folds.Max(f => f.Validation.Length) - folds.Min(f => f.Validation.Length) <= 1);
    }

    [Fact]
    public void KFold_without_shuffle_keeps_file_order()
    {
        var folds = Splits.KFold(6, 3, seed: 0, shuffle: false);

        Assert.Equal([0, 1], folds[0].Validation);
        Assert.Equal([4, 5], folds[2].Validation);
    }

    [Fact]
    public void StratifiedKFold_gives_every_fold_the_class_proportions()
    {
        var labels = Labels(50, 30, 20);
        var folds = Splits.StratifiedKFold(labels, 10, seed: 5);

        Assert.Equal(Enumerable.Range(0, 100), folds.SelectMany(f => f.Validation).Order());
        Assert.All(folds, f =>
        {
            Assert.Equal(5, f.Validation.Count(i => labels[i] == 0));
            Assert.Equal(3, f.Validation.Count(i => labels[i] == 1));
            Assert.Equal(2, f.Validation.Count(i => labels[i] == 2));
        });
    }

    [Fact]
    public void KFold_rejects_fewer_than_two_folds_or_more_folds_than_samples()
    {
        Assert.Contains("must be ≥ 2", Assert.Throws<LogReg.Common.InvalidSettingException>(() => Splits.KFold(10, 1, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("≤ the number of samples, 3", Assert.Throws<LogReg.Common.InvalidSettingException>(() => Splits.StratifiedKFold(new int[3], 4, 0)).Message, StringComparison.Ordinal);
    }
}
