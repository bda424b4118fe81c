using LogReg.Data;
using LogReg.Reporting;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Reporting;

public sealed class ImageFiguresTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_diverging_map_is_blue_below_zero_near_white_at_zero_red_above_and_saturates_beyond_the_scale()
    {
        Assert.Equal(((byte)0xf7, (byte)0xf7, (byte)0xf7), ColorMaps.DivergingColor(0, 1));
        Assert.Equal(((byte)0x67, (byte)0x00, (byte)0x1f), ColorMaps.DivergingColor(1, 1));
        Assert.Equal(((byte)0x05, (byte)0x30, (byte)0x61), ColorMaps.DivergingColor(-2, 1));
        Assert.Equal(ColorMaps.DivergingColor(0, 1), ColorMaps.DivergingColor(double.NaN, 1));
        Assert.Equal(ColorMaps.DivergingColor(0, 1), ColorMaps.DivergingColor(3, 0));
        var (r, _, b) = ColorMaps.DivergingColor(0.5, 1);
        Assert.True(r > b);
        Assert.Equal(255, ColorMaps.Ink(0));
        Assert.Equal(0, ColorMaps.Ink(255));
    }

    [Fact]
    public void A_weight_image_is_enlarged_by_whole_pixels_and_decodes_with_the_projects_png_reader()
    {
        var weights = new float[] { -1, 0, 0, 1 };
        var path = _dir.Write("w.png", ImageFigures.Weights(weights, new ImageShape(2, 2), 1, zoom: 3));

        var (shape, gray) = ImageFileReader.Read(path);

        Assert.Equal(new ImageShape(6, 6), shape);
        // Luminance of the map's ends and middle: dark blue, near white, dark red; each source pixel a 3x3 block.
        Assert.All(new[] { 0, 1, 2, 6, 7, 8, 12, 13, 14 }, i => Assert.Equal(gray[0], gray[i]));
        Assert.True(gray[0] < 60, $"negative weight drawn at luminance {gray[0]}");
        Assert.True(gray[3] > 240, $"zero weight drawn at luminance {gray[3]}");
        Assert.True(gray[35] < 60, $"positive weight drawn at luminance {gray[35]}");
    }

    [Fact]
    public void Images_are_drawn_as_dark_ink_on_white_and_strips_put_them_side_by_side()
    {
        var shape = new ImageShape(2, 2);
        byte[] first = [0, 255, 0, 0];
        byte[] second = [255, 255, 255, 255];

        var (stripShape, strip) = ImageFileReader.Read(_dir.Write("strip.png", ImageFigures.Strip([first, second], shape, zoom: 2, gap: 1)));
        var (averageShape, average) = ImageFileReader.Read(_dir.Write("avg.png", ImageFigures.Ink(new double[] { 0, 127.5, 255, 0 }, shape, zoom: 1)));

        Assert.Equal(new ImageShape(4, 9), stripShape);
        Assert.Equal(255, strip[0]);
        Assert.Equal(0, strip[2]);
        Assert.Equal(255, strip[4]); // the gap
        Assert.Equal(0, strip[5]);
        Assert.Equal(new ImageShape(2, 2), averageShape);
        Assert.Equal([255, 128, 0, 255], average);
    }

    [Fact]
    public void The_symmetric_scale_is_the_largest_finite_magnitude()
    {
        Assert.Equal(3, ImageFigures.SymmetricScale([1, -3, float.NaN, 2]));
        Assert.Equal(0, ImageFigures.SymmetricScale([]));
    }

    [Fact]
    public void A_weight_vector_of_the_wrong_length_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageFigures.Weights(new float[5], new ImageShape(2, 2), 1, 1));

        Assert.Contains("expected 4 values for a 2x2 image, got 5", error.Message, StringComparison.Ordinal);
    }
}
