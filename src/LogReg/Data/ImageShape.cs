using System.Globalization;

namespace LogReg.Data;

/// <summary>The height and width of every image in a dataset (single channel).</summary>
public readonly record struct ImageShape
{
    /// <summary>An image shape of <paramref name="height"/> rows of <paramref name="width"/> pixels (both at least 1).</summary>
    public ImageShape(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Height = height;
        Width = width;
    }

    /// <summary>Rows of pixels.</summary>
    public int Height { get; }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Pixels per image: the number of features a model sees.</summary>
    public int PixelCount => Height * Width;

    /// <summary>The shape as HEIGHTxWIDTH, e.g. 28x28.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Height}x{Width}");

    /// <summary>A square shape when <paramref name="pixelCount"/> is a perfect square, else a 1 × N row.</summary>
    public static ImageShape FromPixelCount(int pixelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pixelCount);
        var side = (int)Math.Round(Math.Sqrt(pixelCount));
        return side * side == pixelCount ? new ImageShape(side, side) : new ImageShape(1, pixelCount);
    }

    /// <summary>
    /// Refuses images of more than <see cref="Common.Limits.MaxFeatures"/> pixels, from their header, before the data or
    /// a model (pixels x classes weights) is allocated; the product is taken in 64 bits.
    /// </summary>
    public static void EnsureWithinLimit(string path, uint height, uint width)
    {
        var pixels = (long)height * width;
        if (pixels > Common.Limits.MaxFeatures)
        {
            throw new LogRegDataException(
                path, string.Create(CultureInfo.InvariantCulture, $"images of {height}x{width} have {pixels} pixels, more than the limit of {Common.Limits.MaxFeatures} (LogReg's features per image)"));
        }
    }

    /// <summary>Parses "28x28" (or "28,28").</summary>
    public static bool TryParse(string? text, out ImageShape shape)
    {
        shape = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split('x', ',', 'X');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || h <= 0 || w <= 0 || (long)h * w > int.MaxValue)
        {
            return false;
        }

        shape = new ImageShape(h, w);
        return true;
    }
}
