using LogReg.Data;

namespace LogReg.Reporting;

/// <summary>
/// PNG figures for reports: weight images in a diverging colour map, images and class averages as dark ink on white,
/// strips of samples, and a colour bar. Images are enlarged by whole pixels so that they stay sharp wherever they are
/// pasted.
/// </summary>
public static class ImageFigures
{
    /// <summary>A weight vector drawn as an image, coloured on the symmetric scale ±<paramref name="scale"/>.</summary>
    public static byte[] Weights(ReadOnlySpan<float> weights, ImageShape shape, double scale, int zoom)
    {
        CheckLength(weights.Length, shape);
        var rgb = new byte[shape.PixelCount * zoom * zoom * 3];
        var width = shape.Width * zoom;
        for (var y = 0; y < shape.Height; y++)
        {
            for (var x = 0; x < shape.Width; x++)
            {
                var (r, g, b) = ColorMaps.DivergingColor(weights[(y * shape.Width) + x], scale);
                for (var dy = 0; dy < zoom; dy++)
                {
                    var row = ((y * zoom) + dy) * width;
                    for (var dx = 0; dx < zoom; dx++)
                    {
                        var at = (row + (x * zoom) + dx) * 3;
                        rgb[at] = r;
                        rgb[at + 1] = g;
                        rgb[at + 2] = b;
                    }
                }
            }
        }

        return PngEncoder.Rgb(rgb, width, shape.Height * zoom);
    }

    /// <summary>The largest magnitude among the values: the symmetric colour scale that shows all of them.</summary>
    public static double SymmetricScale(ReadOnlySpan<float> values)
    {
        var scale = 0.0;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                scale = Math.Max(scale, Math.Abs(v));
            }
        }

        return scale;
    }

    /// <summary>An image (0 background, 255 ink) drawn as dark ink on white.</summary>
    public static byte[] Ink(ReadOnlySpan<byte> pixels, ImageShape shape, int zoom)
    {
        CheckLength(pixels.Length, shape);
        var values = new double[pixels.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = pixels[i];
        }

        return Ink(values, shape, zoom);
    }

    /// <summary>Mean pixel values (0..255) drawn as dark ink on white, e.g. a class average.</summary>
    public static byte[] Ink(ReadOnlySpan<double> pixels, ImageShape shape, int zoom)
    {
        CheckLength(pixels.Length, shape);
        var width = shape.Width * zoom;
        var gray = new byte[shape.PixelCount * zoom * zoom];
        for (var y = 0; y < shape.Height * zoom; y++)
        {
            for (var x = 0; x < width; x++)
            {
                gray[(y * width) + x] = ColorMaps.Ink(pixels[((y / zoom) * shape.Width) + (x / zoom)]);
            }
        }

        return PngEncoder.Grayscale(gray, width, shape.Height * zoom);
    }

    /// <summary>Images side by side, <paramref name="gap"/> white pixels apart, as dark ink on white.</summary>
    public static byte[] Strip(IReadOnlyList<byte[]> images, ImageShape shape, int zoom, int gap)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfZero(images.Count);
        var cell = shape.Width * zoom;
        var width = (images.Count * cell) + ((images.Count - 1) * gap);
        var height = shape.Height * zoom;
        var gray = new byte[width * height];
        gray.AsSpan().Fill(255);
        for (var i = 0; i < images.Count; i++)
        {
            CheckLength(images[i].Length, shape);
            var left = i * (cell + gap);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < cell; x++)
                {
                    gray[(y * width) + left + x] = ColorMaps.Ink(images[i][((y / zoom) * shape.Width) + (x / zoom)]);
                }
            }
        }

        return PngEncoder.Grayscale(gray, width, height);
    }

    /// <summary>A horizontal colour bar of the diverging map, from negative (left) to positive (right).</summary>
    public static byte[] ColorBar(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var rgb = new byte[width * height * 3];
        for (var x = 0; x < width; x++)
        {
            var (r, g, b) = ColorMaps.DivergingColor((2.0 * x / (width - 1)) - 1, 1);
            for (var y = 0; y < height; y++)
            {
                var at = ((y * width) + x) * 3;
                rgb[at] = r;
                rgb[at + 1] = g;
                rgb[at + 2] = b;
            }
        }

        return PngEncoder.Rgb(rgb, width, height);
    }

    private static void CheckLength(int length, ImageShape shape)
    {
        if (length != shape.PixelCount)
        {
            throw new ArgumentException($"expected {shape.PixelCount} values for a {shape} image, got {length}");
        }
    }
}
