using System.Numerics;
using System.Runtime.CompilerServices;

namespace LogReg.Kernels;

/// <summary>
/// The register-tiled loops of <see cref="FusedLinearKernel"/>, written once over a vector width (<typeparamref name="TV"/>
/// operating on <typeparamref name="TVec"/>) and a row format (<typeparamref name="TRow"/>: floats, or bytes widened as
/// they are loaded).
/// <para>
/// Forward: classes are the outer loop, so a five-class slice of W stays in L1 while the block's rows pass two at a time
/// (ten accumulators, seven loads per ten FMAs). Backward: the gradient tile of five classes × two vectors of features
/// stays in registers while the rows stream past, and is written once per block.
/// </para>
/// <para>
/// Each tile is its own method, kept out of line: inlined into a larger caller, the JIT spills half the accumulators to
/// the stack on every iteration. Scalar tails live in separate methods for the same reason.
/// </para>
/// </summary>
internal static unsafe class FusedMicrokernels<TV, TVec, TRow>
    where TV : struct, ISimdOps<TVec>
    where TVec : unmanaged
    where TRow : struct, IRowFormat
{
    /// <summary>
    /// logits[i·K + k] = scale · Σ_j w[k·D + j] · row_i[j] + bias[k] for the n rows. An odd last row is paired with itself
    /// and the duplicate result dropped. The scale lets byte rows with one scaling for every feature (pixels / 255) use
    /// the weights as they are; float rows pass 1, which leaves every result bitwise as without it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(byte** rows, int n, float* w, float* bias, float scale, int d, int k, float* logits) =>
        Forward(rows, n, w, bias, scale, d, k, logits, null, 0, null, 0, 0);

    /// <summary>
    /// As above, skipping the stretches of W features (W the vector width) where both rows of a pair are zero when
    /// <paramref name="masks"/> are given (masks[i]: <paramref name="words"/> words, bit t set when features
    /// t·W .. t·W + W − 1 of row i are not all zero); and asking the cache for <paramref name="prefetchCount"/> rows of
    /// <paramref name="prefetchBytes"/> bytes that a later call will read, a few between tiles: spread over the pass, the
    /// requests overlap with the arithmetic, where issued all at once they would queue behind each other and stall it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(byte** rows, int n, float* w, float* bias, float scale, int d, int k, float* logits, ulong** masks, int words, byte** prefetch, int prefetchCount, int prefetchBytes)
    {
        var scratch = stackalloc float[5];
        var tiles = ((n + 1) / 2) * ((k + 4) / 5);
        var perTile = prefetchCount == 0 ? 0 : (prefetchCount + tiles - 1) / tiles;
        var prefetched = 0;
        var c = 0;
        while (c < k)
        {
            // Five classes at a time; the remainder in fours, twos and ones.
            var width = k - c >= 5 && k - c != 8 ? 5 : k - c >= 4 ? 4 : k - c >= 2 ? 2 : 1;
            for (var i = 0; i < n; i += 2)
            {
                for (var p = 0; p < perTile && prefetched < prefetchCount; p++)
                {
                    PrefetchRow(prefetch[prefetched++], prefetchBytes);
                }

                var second = i + 1 < n;
                var xb = rows[second ? i + 1 : i];
                var outA = logits + i * k + c;
                var outB = second ? logits + (i + 1) * k + c : scratch;
                if (masks is not null)
                {
                    var ma = masks[i];
                    var mb = masks[second ? i + 1 : i];
                    switch (width)
                    {
                        case 5:
                            Tile2x5Sparse(rows[i], xb, ma, mb, words, w + c * d, d, bias + c, scale, outA, outB);
                            break;
                        case 4:
                            Tile2x4Sparse(rows[i], xb, ma, mb, words, w + c * d, d, bias + c, scale, outA, outB);
                            break;
                        case 2:
                            Tile2x1Sparse(rows[i], xb, ma, mb, words, w + c * d, d, bias[c], scale, outA, outB);
                            Tile2x1Sparse(rows[i], xb, ma, mb, words, w + (c + 1) * d, d, bias[c + 1], scale, outA + 1, outB + 1);
                            break;
                        default:
                            Tile2x1Sparse(rows[i], xb, ma, mb, words, w + c * d, d, bias[c], scale, outA, outB);
                            break;
                    }

                    continue;
                }

                switch (width)
                {
                    case 5:
                        Tile2x5(rows[i], xb, w + c * d, d, bias + c, scale, outA, outB);
                        break;
                    case 4:
                        Tile2x4(rows[i], xb, w + c * d, d, bias + c, scale, outA, outB);
                        break;
                    case 2:
                        Tile2x1(rows[i], xb, w + c * d, d, bias[c], scale, outA, outB);
                        Tile2x1(rows[i], xb, w + (c + 1) * d, d, bias[c + 1], scale, outA + 1, outB + 1);
                        break;
                    default:
                        Tile2x1(rows[i], xb, w + c * d, d, bias[c], scale, outA, outB);
                        break;
                }
            }

            c += width;
        }
    }

    private static void PrefetchRow(byte* row, int bytes)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            return;
        }

        for (var offset = 0; offset < bytes; offset += 64)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + offset);
        }

        System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + bytes - 1);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x5(byte* xa, byte* xb, float* w, int d, float* bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero, b4 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d, w4 = w + 4 * d;
        var width = TV.Width;
        var vectorEnd = d - d % width;
        for (var j = 0; j < vectorEnd; j += width)
        {
            var x0 = TRow.Load<TV, TVec>(xa, j);
            var x1 = TRow.Load<TV, TVec>(xb, j);
            var v = TV.Load(w + j);
            a0 = TV.MultiplyAdd(x0, v, a0);
            b0 = TV.MultiplyAdd(x1, v, b0);
            v = TV.Load(w1 + j);
            a1 = TV.MultiplyAdd(x0, v, a1);
            b1 = TV.MultiplyAdd(x1, v, b1);
            v = TV.Load(w2 + j);
            a2 = TV.MultiplyAdd(x0, v, a2);
            b2 = TV.MultiplyAdd(x1, v, b2);
            v = TV.Load(w3 + j);
            a3 = TV.MultiplyAdd(x0, v, a3);
            b3 = TV.MultiplyAdd(x1, v, b3);
            v = TV.Load(w4 + j);
            a4 = TV.MultiplyAdd(x0, v, a4);
            b4 = TV.MultiplyAdd(x1, v, b4);
        }

        outA[0] = TV.Sum(a0) * scale + bias[0];
        outA[1] = TV.Sum(a1) * scale + bias[1];
        outA[2] = TV.Sum(a2) * scale + bias[2];
        outA[3] = TV.Sum(a3) * scale + bias[3];
        outA[4] = TV.Sum(a4) * scale + bias[4];
        outB[0] = TV.Sum(b0) * scale + bias[0];
        outB[1] = TV.Sum(b1) * scale + bias[1];
        outB[2] = TV.Sum(b2) * scale + bias[2];
        outB[3] = TV.Sum(b3) * scale + bias[3];
        outB[4] = TV.Sum(b4) * scale + bias[4];
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 5, scale, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x4(byte* xa, byte* xb, float* w, int d, float* bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d;
        var width = TV.Width;
        var vectorEnd = d - d % width;
        for (var j = 0; j < vectorEnd; j += width)
        {
            var x0 = TRow.Load<TV, TVec>(xa, j);
            var x1 = TRow.Load<TV, TVec>(xb, j);
            var v = TV.Load(w + j);
            a0 = TV.MultiplyAdd(x0, v, a0);
            b0 = TV.MultiplyAdd(x1, v, b0);
            v = TV.Load(w1 + j);
            a1 = TV.MultiplyAdd(x0, v, a1);
            b1 = TV.MultiplyAdd(x1, v, b1);
            v = TV.Load(w2 + j);
            a2 = TV.MultiplyAdd(x0, v, a2);
            b2 = TV.MultiplyAdd(x1, v, b2);
            v = TV.Load(w3 + j);
            a3 = TV.MultiplyAdd(x0, v, a3);
            b3 = TV.MultiplyAdd(x1, v, b3);
        }

        outA[0] = TV.Sum(a0) * scale + bias[0];
        outA[1] = TV.Sum(a1) * scale + bias[1];
        outA[2] = TV.Sum(a2) * scale + bias[2];
        outA[3] = TV.Sum(a3) * scale + bias[3];
        outB[0] = TV.Sum(b0) * scale + bias[0];
        outB[1] = TV.Sum(b1) * scale + bias[1];
        outB[2] = TV.Sum(b2) * scale + bias[2];
        outB[3] = TV.Sum(b3) * scale + bias[3];
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 4, scale, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x1(byte* xa, byte* xb, float* w, int d, float bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, b0 = TV.Zero, b1 = TV.Zero;
        var width = TV.Width;
        var j = 0;
        for (; j <= d - 2 * width; j += 2 * width)
        {
            var v0 = TV.Load(w + j);
            var v1 = TV.Load(w + j + width);
            a0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xa, j), v0, a0);
            b0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xb, j), v0, b0);
            a1 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xa, j + width), v1, a1);
            b1 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xb, j + width), v1, b1);
        }

        for (; j <= d - width; j += width)
        {
            var v0 = TV.Load(w + j);
            a0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xa, j), v0, a0);
            b0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xb, j), v0, b0);
        }

        *outA = TV.Sum(TV.Add(a0, a1)) * scale + bias;
        *outB = TV.Sum(TV.Add(b0, b1)) * scale + bias;
        if (j < d)
        {
            TailTile(xa, xb, w, d, j, 1, scale, outA, outB);
        }
    }

    /// <summary>Tile2x5 over the stretches where either row is not zero (as the other sparse tiles).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x5Sparse(byte* xa, byte* xb, ulong* ma, ulong* mb, int words, float* w, int d, float* bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero, b4 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d, w4 = w + 4 * d;
        var width = TV.Width;
        for (var word = 0; word < words; word++)
        {
            var bits = ma[word] | mb[word];
            while (bits != 0)
            {
                var j = ((word << 6) + BitOperations.TrailingZeroCount(bits)) * width;
                bits &= bits - 1;
                var x0 = TRow.Load<TV, TVec>(xa, j);
                var x1 = TRow.Load<TV, TVec>(xb, j);
                var v = TV.Load(w + j);
                a0 = TV.MultiplyAdd(x0, v, a0);
                b0 = TV.MultiplyAdd(x1, v, b0);
                v = TV.Load(w1 + j);
                a1 = TV.MultiplyAdd(x0, v, a1);
                b1 = TV.MultiplyAdd(x1, v, b1);
                v = TV.Load(w2 + j);
                a2 = TV.MultiplyAdd(x0, v, a2);
                b2 = TV.MultiplyAdd(x1, v, b2);
                v = TV.Load(w3 + j);
                a3 = TV.MultiplyAdd(x0, v, a3);
                b3 = TV.MultiplyAdd(x1, v, b3);
                v = TV.Load(w4 + j);
                a4 = TV.MultiplyAdd(x0, v, a4);
                b4 = TV.MultiplyAdd(x1, v, b4);
            }
        }

        outA[0] = TV.Sum(a0) * scale + bias[0];
        outA[1] = TV.Sum(a1) * scale + bias[1];
        outA[2] = TV.Sum(a2) * scale + bias[2];
        outA[3] = TV.Sum(a3) * scale + bias[3];
        outA[4] = TV.Sum(a4) * scale + bias[4];
        outB[0] = TV.Sum(b0) * scale + bias[0];
        outB[1] = TV.Sum(b1) * scale + bias[1];
        outB[2] = TV.Sum(b2) * scale + bias[2];
        outB[3] = TV.Sum(b3) * scale + bias[3];
        outB[4] = TV.Sum(b4) * scale + bias[4];
        var vectorEnd = d - d % width;
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 5, scale, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x4Sparse(byte* xa, byte* xb, ulong* ma, ulong* mb, int words, float* w, int d, float* bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d;
        var width = TV.Width;
        for (var word = 0; word < words; word++)
        {
            var bits = ma[word] | mb[word];
            while (bits != 0)
            {
                var j = ((word << 6) + BitOperations.TrailingZeroCount(bits)) * width;
                bits &= bits - 1;
                var x0 = TRow.Load<TV, TVec>(xa, j);
                var x1 = TRow.Load<TV, TVec>(xb, j);
                var v = TV.Load(w + j);
                a0 = TV.MultiplyAdd(x0, v, a0);
                b0 = TV.MultiplyAdd(x1, v, b0);
                v = TV.Load(w1 + j);
                a1 = TV.MultiplyAdd(x0, v, a1);
                b1 = TV.MultiplyAdd(x1, v, b1);
                v = TV.Load(w2 + j);
                a2 = TV.MultiplyAdd(x0, v, a2);
                b2 = TV.MultiplyAdd(x1, v, b2);
                v = TV.Load(w3 + j);
                a3 = TV.MultiplyAdd(x0, v, a3);
                b3 = TV.MultiplyAdd(x1, v, b3);
            }
        }

        outA[0] = TV.Sum(a0) * scale + bias[0];
        outA[1] = TV.Sum(a1) * scale + bias[1];
        outA[2] = TV.Sum(a2) * scale + bias[2];
        outA[3] = TV.Sum(a3) * scale + bias[3];
        outB[0] = TV.Sum(b0) * scale + bias[0];
        outB[1] = TV.Sum(b1) * scale + bias[1];
        outB[2] = TV.Sum(b2) * scale + bias[2];
        outB[3] = TV.Sum(b3) * scale + bias[3];
        var vectorEnd = d - d % width;
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 4, scale, outA, outB);
        }
    }

    /// <summary>One class; two stretches per step into alternating accumulators, so consecutive FMAs do not wait on each other.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x1Sparse(byte* xa, byte* xb, ulong* ma, ulong* mb, int words, float* w, int d, float bias, float scale, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, b0 = TV.Zero, b1 = TV.Zero;
        var width = TV.Width;
        for (var word = 0; word < words; word++)
        {
            var bits = ma[word] | mb[word];
            while (bits != 0)
            {
                var j = ((word << 6) + BitOperations.TrailingZeroCount(bits)) * width;
                bits &= bits - 1;
                var v0 = TV.Load(w + j);
                a0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xa, j), v0, a0);
                b0 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xb, j), v0, b0);
                if (bits == 0)
                {
                    break;
                }

                j = ((word << 6) + BitOperations.TrailingZeroCount(bits)) * width;
                bits &= bits - 1;
                var v1 = TV.Load(w + j);
                a1 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xa, j), v1, a1);
                b1 = TV.MultiplyAdd(TRow.Load<TV, TVec>(xb, j), v1, b1);
            }
        }

        *outA = TV.Sum(TV.Add(a0, a1)) * scale + bias;
        *outB = TV.Sum(TV.Add(b0, b1)) * scale + bias;
        var vectorEnd = d - d % width;
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 1, scale, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailTile(byte* xa, byte* xb, float* w, int d, int start, int classes, float scale, float* outA, float* outB)
    {
        for (var c = 0; c < classes; c++)
        {
            var row = w + c * d;
            float sa = 0, sb = 0;
            for (var j = start; j < d; j++)
            {
                sa += TRow.LoadScalar(xa, j) * row[j];
                sb += TRow.LoadScalar(xb, j) * row[j];
            }

            outA[c] += sa * scale;
            outB[c] += sb * scale;
        }
    }

    /// <summary>
    /// g[k·D + j] (+)= Σ_i delta[i·K + k] · row_i[j]: overwrites g when <paramref name="overwrite"/>, else adds to it.
    /// <para>
    /// With <paramref name="lists"/>, strip s (features 2s·W .. 2s·W + 2W − 1, W the vector width) sums only over the
    /// rows lists[s·<paramref name="listStride"/> ..] (counts[s] of them): the rows that are not all zero there. A zero
    /// stretch adds nothing to any gradient, so skipping it changes no result, and on digit images most stretches are
    /// zero. Without lists every row is summed for every strip. Like the forward pass, it asks the cache for
    /// <paramref name="prefetchCount"/> coming rows, a few between strips.
    /// </para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(byte** rows, int n, float* delta, int k, int d, float* g, bool overwrite, int* lists = null, int* counts = null, int listStride = 0, byte** prefetch = null, int prefetchCount = 0, int prefetchBytes = 0)
    {
        if (lists is null)
        {
            BackwardStrips<AllRows>(rows, n, delta, k, d, g, overwrite, null, null, 0, prefetch, prefetchCount, prefetchBytes);
        }
        else
        {
            BackwardStrips<ListedRows>(rows, n, delta, k, d, g, overwrite, lists, counts, listStride, prefetch, prefetchCount, prefetchBytes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardStrips<TIndex>(byte** rows, int n, float* delta, int k, int d, float* g, bool overwrite, int* lists, int* counts, int listStride, byte** prefetch, int prefetchCount, int prefetchBytes)
        where TIndex : struct, IRowIndex
    {
        var width = TV.Width;
        var strips = Math.Max(1, (d / width + 1) / 2);
        var perStrip = prefetchCount == 0 ? 0 : (prefetchCount + strips - 1) / strips;
        var prefetched = 0;
        var j = 0;
        for (var strip = 0; j <= d - width; strip++)
        {
            for (var p = 0; p < perStrip && prefetched < prefetchCount; p++)
            {
                PrefetchRow(prefetch[prefetched++], prefetchBytes);
            }

            var index = lists + strip * listStride;
            var count = lists is null ? n : counts[strip];
            if (j > d - 2 * width)
            {
                // One vector left (784 = 49 × 16 at 512 bits): five classes at a time still, not one pass over the
                // rows per class.
                var c1 = 0;
                for (; c1 + 4 < k; c1 += 5)
                {
                    Tile5x1<TIndex>(rows, index, count, delta + c1, k, g + c1 * d + j, d, j, overwrite);
                }

                for (; c1 < k; c1++)
                {
                    Column<TIndex>(rows, index, count, delta + c1, k, g + c1 * d + j, j, overwrite, vectors: 1);
                }

                j += width;
                break;
            }

            var c5 = 0;
            for (; c5 + 4 < k && k - c5 != 8; c5 += 5)
            {
                Tile5x2<TIndex>(rows, index, count, delta + c5, k, g + c5 * d + j, d, j, overwrite);
            }

            for (; c5 + 3 < k; c5 += 4)
            {
                Tile4x2<TIndex>(rows, index, count, delta + c5, k, g + c5 * d + j, d, j, overwrite);
            }

            for (; c5 < k; c5++)
            {
                Column<TIndex>(rows, index, count, delta + c5, k, g + c5 * d + j, j, overwrite, vectors: 2);
            }

            j += 2 * width;
        }

        if (j < d)
        {
            BackwardTail(rows, n, delta, k, d, g, j, overwrite);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardTail(byte** rows, int n, float* delta, int k, int d, float* g, int start, bool overwrite)
    {
        for (var j = start; j < d; j++)
        {
            for (var c = 0; c < k; c++)
            {
                var sum = overwrite ? 0f : g[c * d + j];
                for (var i = 0; i < n; i++)
                {
                    sum += delta[i * k + c] * TRow.LoadScalar(rows[i], j);
                }

                g[c * d + j] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile5x2<TIndex>(byte** rows, int* index, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
        where TIndex : struct, IRowIndex
    {
        var width = TV.Width;
        float* g1 = g + d, g2 = g + 2 * d, g3 = g + 3 * d, g4 = g + 4 * d;
        TVec c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b, c4a, c4b;
        if (overwrite)
        {
            c0a = c0b = c1a = c1b = c2a = c2b = c3a = c3b = c4a = c4b = TV.Zero;
        }
        else
        {
            c0a = TV.Load(g);
            c0b = TV.Load(g + width);
            c1a = TV.Load(g1);
            c1b = TV.Load(g1 + width);
            c2a = TV.Load(g2);
            c2b = TV.Load(g2 + width);
            c3a = TV.Load(g3);
            c3b = TV.Load(g3 + width);
            c4a = TV.Load(g4);
            c4b = TV.Load(g4 + width);
        }

        for (var i = 0; i < n; i++)
        {
            var r = TIndex.At(index, i);
            var xa = TRow.Load<TV, TVec>(rows[r], j);
            var xb = TRow.Load<TV, TVec>(rows[r], j + width);
            var di = delta + r * k;
            var q = TV.Broadcast(di[0]);
            c0a = TV.MultiplyAdd(q, xa, c0a);
            c0b = TV.MultiplyAdd(q, xb, c0b);
            q = TV.Broadcast(di[1]);
            c1a = TV.MultiplyAdd(q, xa, c1a);
            c1b = TV.MultiplyAdd(q, xb, c1b);
            q = TV.Broadcast(di[2]);
            c2a = TV.MultiplyAdd(q, xa, c2a);
            c2b = TV.MultiplyAdd(q, xb, c2b);
            q = TV.Broadcast(di[3]);
            c3a = TV.MultiplyAdd(q, xa, c3a);
            c3b = TV.MultiplyAdd(q, xb, c3b);
            q = TV.Broadcast(di[4]);
            c4a = TV.MultiplyAdd(q, xa, c4a);
            c4b = TV.MultiplyAdd(q, xb, c4b);
        }

        TV.Store(g, c0a);
        TV.Store(g + width, c0b);
        TV.Store(g1, c1a);
        TV.Store(g1 + width, c1b);
        TV.Store(g2, c2a);
        TV.Store(g2 + width, c2b);
        TV.Store(g3, c3a);
        TV.Store(g3 + width, c3b);
        TV.Store(g4, c4a);
        TV.Store(g4 + width, c4b);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile5x1<TIndex>(byte** rows, int* index, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
        where TIndex : struct, IRowIndex
    {
        float* g1 = g + d, g2 = g + 2 * d, g3 = g + 3 * d, g4 = g + 4 * d;
        TVec c0, c1, c2, c3, c4;
        if (overwrite)
        {
            c0 = c1 = c2 = c3 = c4 = TV.Zero;
        }
        else
        {
            c0 = TV.Load(g);
            c1 = TV.Load(g1);
            c2 = TV.Load(g2);
            c3 = TV.Load(g3);
            c4 = TV.Load(g4);
        }

        for (var i = 0; i < n; i++)
        {
            var r = TIndex.At(index, i);
            var x = TRow.Load<TV, TVec>(rows[r], j);
            var di = delta + r * k;
            c0 = TV.MultiplyAdd(TV.Broadcast(di[0]), x, c0);
            c1 = TV.MultiplyAdd(TV.Broadcast(di[1]), x, c1);
            c2 = TV.MultiplyAdd(TV.Broadcast(di[2]), x, c2);
            c3 = TV.MultiplyAdd(TV.Broadcast(di[3]), x, c3);
            c4 = TV.MultiplyAdd(TV.Broadcast(di[4]), x, c4);
        }

        TV.Store(g, c0);
        TV.Store(g1, c1);
        TV.Store(g2, c2);
        TV.Store(g3, c3);
        TV.Store(g4, c4);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2<TIndex>(byte** rows, int* index, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
        where TIndex : struct, IRowIndex
    {
        var width = TV.Width;
        float* g1 = g + d, g2 = g + 2 * d, g3 = g + 3 * d;
        TVec c0a, c0b, c1a, c1b, c2a, c2b, c3a, c3b;
        if (overwrite)
        {
            c0a = c0b = c1a = c1b = c2a = c2b = c3a = c3b = TV.Zero;
        }
        else
        {
            c0a = TV.Load(g);
            c0b = TV.Load(g + width);
            c1a = TV.Load(g1);
            c1b = TV.Load(g1 + width);
            c2a = TV.Load(g2);
            c2b = TV.Load(g2 + width);
            c3a = TV.Load(g3);
            c3b = TV.Load(g3 + width);
        }

        for (var i = 0; i < n; i++)
        {
            var r = TIndex.At(index, i);
            var xa = TRow.Load<TV, TVec>(rows[r], j);
            var xb = TRow.Load<TV, TVec>(rows[r], j + width);
            var di = delta + r * k;
            var q = TV.Broadcast(di[0]);
            c0a = TV.MultiplyAdd(q, xa, c0a);
            c0b = TV.MultiplyAdd(q, xb, c0b);
            q = TV.Broadcast(di[1]);
            c1a = TV.MultiplyAdd(q, xa, c1a);
            c1b = TV.MultiplyAdd(q, xb, c1b);
            q = TV.Broadcast(di[2]);
            c2a = TV.MultiplyAdd(q, xa, c2a);
            c2b = TV.MultiplyAdd(q, xb, c2b);
            q = TV.Broadcast(di[3]);
            c3a = TV.MultiplyAdd(q, xa, c3a);
            c3b = TV.MultiplyAdd(q, xb, c3b);
        }

        TV.Store(g, c0a);
        TV.Store(g + width, c0b);
        TV.Store(g1, c1a);
        TV.Store(g1 + width, c1b);
        TV.Store(g2, c2a);
        TV.Store(g2 + width, c2b);
        TV.Store(g3, c3a);
        TV.Store(g3 + width, c3b);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Column<TIndex>(byte** rows, int* index, int n, float* delta, int k, float* g, int j, bool overwrite, int vectors)
        where TIndex : struct, IRowIndex
    {
        var width = TV.Width;
        var a = overwrite ? TV.Zero : TV.Load(g);
        var b = overwrite || vectors < 2 ? TV.Zero : TV.Load(g + width);
        for (var i = 0; i < n; i++)
        {
            var r = TIndex.At(index, i);
            var di = TV.Broadcast(delta[r * k]);
            a = TV.MultiplyAdd(di, TRow.Load<TV, TVec>(rows[r], j), a);
            if (vectors == 2)
            {
                b = TV.MultiplyAdd(di, TRow.Load<TV, TVec>(rows[r], j + width), b);
            }
        }

        TV.Store(g, a);
        if (vectors == 2)
        {
            TV.Store(g + width, b);
        }
    }
}

/// <summary>Which rows a backward tile sums over: row i of the block, or the i-th entry of a strip's list.</summary>
internal unsafe interface IRowIndex
{
    static abstract int At(int* index, int i);
}

/// <summary>Every row of the block, in order (no list: dense data pays no indirection).</summary>
internal readonly unsafe struct AllRows : IRowIndex
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int At(int* index, int i) => i;
}

/// <summary>The rows a strip's list names (those not all zero there).</summary>
internal readonly unsafe struct ListedRows : IRowIndex
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int At(int* index, int i) => index[i];
}
