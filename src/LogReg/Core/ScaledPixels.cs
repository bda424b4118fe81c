namespace LogReg.Core;

/// <summary>
/// Samples kept as bytes with the per-feature affine scaling to apply on reading, feature = (pixel − offset) × scale:
/// the same values as the float feature matrix, a quarter of the memory traffic.
/// </summary>
internal sealed class ScaledPixels
{
    /// <summary>Pixels read as (pixel − <paramref name="offset"/>) × <paramref name="scale"/>, per feature.</summary>
    public ScaledPixels(byte[] pixels, float[] offset, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (offset.Length != scale.Length || offset.Length == 0 || pixels.Length % offset.Length != 0)
        {
            throw new ArgumentException("pixels must hold whole rows of the scaling's length", nameof(pixels));
        }

        Pixels = pixels;
        Offset = offset;
        Scale = scale;
        HasOffset = offset.Any(o => o != 0);
        UniformScale = !HasOffset && scale.All(v => v == scale[0]) ? scale[0] : null;
    }

    /// <summary>The one scale of every feature when there is no offset (pixels / 255, raw pixels); null otherwise.</summary>
    public float? UniformScale { get; }

    /// <summary>Whether any offset is non-zero (z-score and min-max have offsets; /255 and raw pixels do not).</summary>
    public bool HasOffset { get; }

    /// <summary>The pixels, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>The offset subtracted from each feature's pixel.</summary>
    public float[] Offset { get; }

    /// <summary>The factor each feature's pixel is multiplied by after the offset.</summary>
    public float[] Scale { get; }

    /// <summary>The number of features per row.</summary>
    public int Features => Offset.Length;

    /// <summary>The number of rows.</summary>
    public int Rows => Pixels.Length / Offset.Length;

    /// <summary>
    /// For each row, one bit per stretch of <paramref name="width"/> features (the first d / width stretches): set when
    /// any pixel in it is not zero. Rows take <c>Words</c> 64-bit words each; <c>Density</c> is the share of stretches
    /// that are not zero. Computed once per width and kept; the array is on the pinned heap, so kernels may hold a
    /// pointer to it.
    /// </summary>
    public StretchMasks ChunkMasks(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        lock (_masks)
        {
            if (_masks.TryGetValue(width, out var cached))
            {
                return cached;
            }

            var d = Features;
            var chunks = d / width;
            var words = (chunks + 63) / 64;
            var masks = GC.AllocateArray<ulong>(Math.Max(1, Rows * words), pinned: true);
            long set = 0;
            for (var i = 0; i < Rows; i++)
            {
                var row = Pixels.AsSpan(i * d, d);
                var target = masks.AsSpan(i * words, words);
                if (width % sizeof(ulong) == 0)
                {
                    // Eight pixels at a time: 60,000 MNIST rows in a few milliseconds rather than tens.
                    var eights = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(row);
                    var per = width / sizeof(ulong);
                    for (var t = 0; t < chunks; t++)
                    {
                        ulong any = 0;
                        foreach (var eight in eights.Slice(t * per, per))
                        {
                            any |= eight;
                        }

                        var bit = any != 0 ? 1UL : 0UL;
                        target[t >> 6] |= bit << (t & 63);
                        set += (long)bit;
                    }

                    continue;
                }

                for (var t = 0; t < chunks; t++)
                {
                    if (row.Slice(t * width, width).ContainsAnyExcept((byte)0))
                    {
                        target[t >> 6] |= 1UL << (t & 63);
                        set++;
                    }
                }
            }

            var result = new StretchMasks(masks, words, chunks == 0 || Rows == 0 ? 1 : (double)set / ((long)chunks * Rows));
            _masks[width] = result;
            return result;
        }
    }

    private readonly Dictionary<int, StretchMasks> _masks = [];


    /// <summary>The float features: (pixel − offset) × scale, as <see cref="Preprocessing.FeatureScaler"/> computes them.</summary>
    public FeatureMatrix ToFeatures()
    {
        var d = Features;
        var matrix = new FeatureMatrix(Rows, d);
        var data = matrix.Data;
        for (var i = 0; i < Rows; i++)
        {
            var row = Pixels.AsSpan(i * d, d);
            var target = data.AsSpan(i * d, d);
            for (var j = 0; j < d; j++)
            {
                target[j] = (row[j] - Offset[j]) * Scale[j];
            }
        }

        return matrix;
    }
}

/// <summary>Per-row bits of the stretches that are not all zero (see <see cref="ScaledPixels.ChunkMasks"/>).</summary>
internal readonly record struct StretchMasks(ulong[] Masks, int Words, double Density);
