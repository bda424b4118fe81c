using LogReg.Data;
using LogReg.Preprocessing;

namespace LogReg.Tests.Preprocessing;

public sealed class FeatureScalerTests
{
    /// <summary>Three 1x3 images: pixel 0 varies, pixel 1 is constant, pixel 2 varies.</summary>
    internal static Dataset Tiny(params byte[][] images)
    {
        var pixels = images.SelectMany(i => i).ToArray();
        var labels = new int[images.Length];
        return new Dataset(pixels, labels, new ImageShape(1, images[0].Length), ["only"], DatasetProvenance.ForFiles("tiny", "train"));
    }

    [Fact]
    public void ZScore_centres_and_scales_each_pixel_on_the_training_split()
    {
        var train = Tiny([0, 7, 10], [10, 7, 20], [20, 7, 30]);
        var scaler = FeatureScaler.Fit(train, ScalingKind.ZScore);

        var features = scaler.Transform(train);

        var std0 = Math.Sqrt(200.0 / 3);
        Assert.Equal(-10 / std0, features.Row(0)[0], 5);
        Assert.Equal(0, features.Row(1)[0], 6);
        Assert.Equal(10 / std0, features.Row(2)[2], 5);
        Assert.All(new[] { features.Row(0)[1], features.Row(1)[1], features.Row(2)[1] }, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ZScore_applies_training_statistics_unchanged_to_test_data_and_constant_pixels_give_zero()
    {
        var train = Tiny([0, 7, 10], [20, 7, 30]);
        var test = Tiny([40, 200, 10]);
        var scaler = FeatureScaler.Fit(train, ScalingKind.ZScore);

        var features = scaler.Transform(test).Row(0);

        Assert.Equal((40 - 10) / 10.0, features[0], 5); // mean 10, std 10 from train
        Assert.Equal(0f, features[1]); // constant in train: 0, not NaN or infinity
        Assert.Equal((10 - 20) / 10.0, features[2], 5); // mean 20, std 10
    }

    [Fact]
    public void MinMax_maps_the_training_range_to_zero_one_and_constant_pixels_to_zero()
    {
        var train = Tiny([50, 9, 0], [150, 9, 255]);
        var scaler = FeatureScaler.Fit(train, ScalingKind.MinMax);

        var features = scaler.Transform(Tiny([100, 9, 51])).Row(0);

        Assert.Equal(0.5f, features[0], 6);
        Assert.Equal(0f, features[1]);
        Assert.Equal(0.2f, features[2], 6);
    }

    [Theory]
    [InlineData(ScalingKind.None, 255, 255f)]
    [InlineData(ScalingKind.Divide255, 255, 1f)]
    [InlineData(ScalingKind.Divide255, 51, 0.2f)]
    public void Fixed_scalings_need_no_statistics(ScalingKind kind, byte pixel, float expected)
    {
        var scaler = FeatureScaler.Fit(Tiny([pixel]), kind);

        Assert.Equal(expected, scaler.Transform(Tiny([pixel])).Row(0)[0], 6);
    }

    [Fact]
    public void Transform_rejects_data_of_another_size()
    {
        var scaler = FeatureScaler.Fit(Tiny([1, 2]), ScalingKind.Divide255);

        Assert.Throws<ArgumentException>(() => scaler.Transform(Tiny([1, 2, 3])));
    }

    [Theory]
    [InlineData(ScalingKind.ZScore)]
    [InlineData(ScalingKind.MinMax)]
    [InlineData(ScalingKind.Divide255)]
    [InlineData(ScalingKind.None)]
    public void Bytes_and_floats_of_the_same_values_give_the_same_scaler(ScalingKind kind)
    {
        // Column j < 256 holds min(i, j) over the rows i: the values 0..j, so min-max meets every range 0..255 once and
        // column 0 is constant; the last column is random bytes, for a z-score of an irregular spread.
        const int rows = 256, columns = 257;
        var random = new Random(7);
        var bytes = new byte[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                bytes[i * columns + j] = (byte)(j == columns - 1 ? random.Next(256) : Math.Min(i, j));
            }
        }

        var schema = new TableSchema("label", [.. Enumerable.Range(0, columns).Select(j => "f" + j)], ["a"]);
        var table = new FeatureTable([.. bytes.Select(b => (float)b)], schema);

        var fromBytes = FeatureScaler.Fit(bytes, columns, kind);
        var fromFloats = FeatureScaler.Fit(table, kind);

        Assert.Equal(fromBytes.Offset, fromFloats.Offset);
        Assert.Equal(fromBytes.Scale, fromFloats.Scale);
        if (kind == ScalingKind.MinMax)
        {
            // Column j spans 0..j: the range's reciprocal, rounded once to float; the constant column gives 0.
            Assert.All(Enumerable.Range(1, 255), j => Assert.Equal(1f / j, fromBytes.Scale[j]));
            Assert.Equal(0f, fromBytes.Scale[0]);
        }
    }
}
