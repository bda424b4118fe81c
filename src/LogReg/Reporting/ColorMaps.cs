namespace LogReg.Reporting;

/// <summary>Colour maps for images in reports.</summary>
internal static class ColorMaps
{
    // ColorBrewer RdBu, reversed so that negative is blue and positive red: the usual reading of weight images.
    private static readonly (byte R, byte G, byte B)[] Diverging =
    [
        (0x05, 0x30, 0x61), (0x21, 0x66, 0xac), (0x43, 0x93, 0xc3), (0x92, 0xc5, 0xde), (0xd1, 0xe5, 0xf0), (0xf7, 0xf7, 0xf7),
        (0xfd, 0xdb, 0xc7), (0xf4, 0xa5, 0x82), (0xd6, 0x60, 0x4d), (0xb2, 0x18, 0x2b), (0x67, 0x00, 0x1f),
    ];

    /// <summary>The diverging colour of <paramref name="value"/> on a scale from −<paramref name="scale"/> (blue) through 0 (near white) to +<paramref name="scale"/> (red); values beyond the scale saturate.</summary>
    public static (byte R, byte G, byte B) DivergingColor(double value, double scale)
    {
        var t = scale > 0 && double.IsFinite(value) ? Math.Clamp((value / scale + 1) / 2, 0, 1) : 0.5;
        var position = t * (Diverging.Length - 1);
        var low = Math.Min((int)position, Diverging.Length - 2);
        var f = position - low;
        var (a, b) = (Diverging[low], Diverging[low + 1]);
        return (Mix(a.R, b.R, f), Mix(a.G, b.G, f), Mix(a.B, b.B, f));
    }

    /// <summary>Dark ink on white paper for a pixel stored as light-on-dark (0 background, 255 ink).</summary>
    public static byte Ink(double pixel) => (byte)Math.Clamp(Math.Round(255 - pixel), 0, 255);

    private static byte Mix(byte a, byte b, double f) => (byte)Math.Round(a + ((b - a) * f));
}
