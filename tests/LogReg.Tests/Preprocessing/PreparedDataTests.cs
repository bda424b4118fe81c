using LogReg.Data;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Preprocessing;

public sealed class PreparedDataTests
{
    [Fact]
    public void Subsets_come_before_class_selection_and_the_hold_out_before_scaling()
    {
        var train = Synthetic.Images(100, 4, seed: 1);
        var test = Synthetic.Images(40, 4, seed: 2);
        var preparation = new DataPreparation { TrainFirst = 80, TestLast = 20, Classes = ClassSubset.Pair(1, 2), Scaling = ScalingKind.ZScore };

        var data = PreparedData.Prepare(train, test, preparation, validationFraction: 0.25, seed: 3);

        Assert.Equal(30, data.Train.Count); // 40 of classes 1 and 2 in the first 80, minus 10 held out
        Assert.Equal(10, data.Validation!.Count);
        Assert.Equal(10, data.Test!.Count); // classes 1 and 2 among the last 20
        Assert.Equal(["1", "2"], data.ClassNames);
        // z-score statistics come from the 30 training images only: their features have mean 0.
        var column0 = Enumerable.Range(0, data.Train.Count).Select(i => (double)data.TrainFeatures.Row(i)[0]).ToArray();
        Assert.Equal(0, column0.Average(), 5);
        Assert.Equal("synthetic train, first 80, classes 1 vs 2, hold-out 0.25 train part", data.Train.Provenance.Description);
    }

    [Fact]
    public void Preparing_data_with_one_class_left_is_a_clear_error()
    {
        var train = Synthetic.Images(40, 4, seed: 1);
        var error = Assert.Throws<LogReg.Common.InvalidSettingException>(() => PreparedData.Prepare(Subsets.First(train, 1), null, new DataPreparation()));

        Assert.Contains("holds only class 0 (1 images); a classifier needs images of at least two classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_images_of_another_shape_are_rejected()
    {
        var train = Synthetic.Images(10, 2, seed: 1);
        var other = new Dataset(new byte[25], [0], new ImageShape(5, 5), ["0", "1"], DatasetProvenance.ForFiles("x", "test"));

        var error = Assert.Throws<LogRegDataException>(() => PreparedData.Prepare(train, other, new DataPreparation()));
        Assert.Contains("the test images are 5x5 but the training images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_pixels_under_zscore_give_zero_features_not_NaN()
    {
        var train = Synthetic.Images(20, 2, seed: 1);
        var flat = new Dataset(new byte[20 * 16], Enumerable.Range(0, 20).Select(i => i % 2).ToArray(), new ImageShape(4, 4), ["0", "1"], DatasetProvenance.ForFiles("flat", "train"));

        var data = PreparedData.Prepare(flat, train, new DataPreparation { Scaling = ScalingKind.ZScore });

        Assert.All(data.TrainFeatures.Data, v => Assert.Equal(0f, v));
        Assert.All(data.TestFeatures!.Data, v => Assert.True(float.IsFinite(v)));
    }
}
