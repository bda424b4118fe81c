using LogReg.Data;
using LogReg.Preprocessing;

namespace LogReg.Tests.Preprocessing;

public sealed class ClassSelectionTests
{
    private static Dataset Digits() => new(
        Enumerable.Range(0, 10).Select(i => (byte)i).ToArray(),
        [2, 3, 8, 2, 1, 8, 8, 3, 2, 0],
        new ImageShape(1, 1),
        DatasetRegistry.Mnist.ClassNames,
        DatasetProvenance.ForFiles("mnist", "train"));

    [Fact]
    public void Pair_keeps_two_classes_relabelled_zero_one_with_their_original_names()
    {
        var pair = ClassSelection.Pair(Digits(), 2, 8);

        Assert.Equal([0, 1, 0, 1, 1, 0], pair.Labels.ToArray());
        Assert.Equal([0, 2, 3, 5, 6, 8], pair.Pixels.ToArray());
        Assert.Equal(["2", "8"], pair.ClassNames);
        Assert.Equal("mnist train, classes 2 vs 8", pair.Provenance.Description);
    }

    [Fact]
    public void OneVsRest_marks_the_positive_class_one_and_all_others_zero()
    {
        var ovr = ClassSelection.OneVsRest(Digits(), 1);

        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0, 0, 0], ovr.Labels.ToArray());
        Assert.Equal(["not 1", "1"], ovr.ClassNames);
        Assert.Equal(10, ovr.Count);
    }

    [Fact]
    public void Pair_rejects_the_same_class_twice_and_classes_out_of_range()
    {
        Assert.Throws<LogReg.Common.InvalidSettingException>(() => ClassSelection.Pair(Digits(), 3, 3));
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => ClassSelection.Pair(Digits(), 3, 10));
        Assert.Contains("class must be in 0..9 (was 10)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("tsu", 3)]
    [InlineData("つ", 3)]
    [InlineData("つ (tsu)", 3)]
    [InlineData("WO", 9)]
    public void ResolveClass_accepts_an_index_a_name_or_its_romaji(string token, int expected)
    {
        Assert.Equal(expected, ClassSelection.ResolveClass(DatasetRegistry.Kmnist.ClassNames, token));
    }

    [Fact]
    public void ResolveClass_accepts_fashion_names_and_rejects_unknown_ones()
    {
        Assert.Equal(6, ClassSelection.ResolveClass(DatasetRegistry.FashionMnist.ClassNames, "shirt"));
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => ClassSelection.ResolveClass(DatasetRegistry.FashionMnist.ClassNames, "hat"));
        Assert.Contains("'hat' is not a class of this dataset: use 0..9 or a class name (T-shirt/top", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void First_and_last_take_contiguous_subsets_in_file_order()
    {
        Assert.Equal([0, 1, 2], Subsets.First(Digits(), 3).Pixels.ToArray());
        var last = Subsets.Last(Digits(), 2);
        Assert.Equal([8, 9], last.Pixels.ToArray());
        Assert.Equal("mnist train, last 2", last.Provenance.Description);
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => Subsets.First(Digits(), 11));
        Assert.Contains("must be in 1..10", error.Message, StringComparison.Ordinal);
    }
}
