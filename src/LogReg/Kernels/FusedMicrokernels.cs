using System.Runtime.CompilerServices;

namespace LogReg.Kernels;

/// <summary>
/// The register-tiled loops of <see cref="FusedLinearKernel"/>, written once over a vector width.
/// Forward: scores of two samples against four classes per pass over the features (eight accumulators), so each weight
/// row is loaded once per two samples. Backward: the gradient tile for four classes × two vectors of features stays in
/// registers while the batch's rows stream past, and is written once. Row pointers come from the caller, so rows may
/// be gathered in any order or converted from bytes.
/// </summary>
internal static unsafe class FusedMicrokernels<TV, TVec>
    where TV : struct, ISimdOps<TVec>
    where TVec : unmanaged
{
    /// <summary>
    /// logits[i·K + k] = Σ_j w[k·D + j] · rows[i][j] + bias[k] for the n rows. Classes are the outer loop, so each
    /// four-class slice of W stays in L1 while the block's rows (in L2) pass by two at a time. An odd last row is paired
    /// with itself and the duplicate result dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float** rows, int n, float* w, float* bias, int d, int k, float* logits)
    {
        var scratch = stackalloc float[5];
        var c = 0;
        while (c < k)
        {
            // Five classes at a time (ten accumulators); the remainder in fours, twos and ones.
            var width = k - c >= 5 && k - c != 8 ? 5 : k - c >= 4 ? 4 : k - c >= 2 ? 2 : 1;
            for (var i = 0; i < n; i += 2)
            {
                var second = i + 1 < n;
                var xb = rows[second ? i + 1 : i];
                var outA = logits + i * k + c;
                var outB = second ? logits + (i + 1) * k + c : scratch;
                switch (width)
                {
                    case 5:
                        Tile2x5(rows[i], xb, w + c * d, d, bias + c, outA, outB);
                        break;
                    case 4:
                        Tile2x4(rows[i], xb, w + c * d, d, bias + c, outA, outB);
                        break;
                    case 2:
                        Tile2x1(rows[i], xb, w + c * d, d, bias[c], outA, outB);
                        Tile2x1(rows[i], xb, w + (c + 1) * d, d, bias[c + 1], outA + 1, outB + 1);
                        break;
                    default:
                        Tile2x1(rows[i], xb, w + c * d, d, bias[c], outA, outB);
                        break;
                }
            }

            c += width;
        }
    }

    /// <summary>Two samples × five classes: ten accumulators, seven loads per ten FMAs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x5(float* xa, float* xb, float* w, int d, float* bias, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero, a4 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero, b4 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d, w4 = w + 4 * d;
        var width = TV.Width;
        var vectorEnd = d - d % width;
        for (var j = 0; j < vectorEnd; j += width)
        {
            var x0 = TV.Load(xa + j);
            var x1 = TV.Load(xb + j);
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

        outA[0] = TV.Sum(a0) + bias[0];
        outA[1] = TV.Sum(a1) + bias[1];
        outA[2] = TV.Sum(a2) + bias[2];
        outA[3] = TV.Sum(a3) + bias[3];
        outA[4] = TV.Sum(a4) + bias[4];
        outB[0] = TV.Sum(b0) + bias[0];
        outB[1] = TV.Sum(b1) + bias[1];
        outB[2] = TV.Sum(b2) + bias[2];
        outB[3] = TV.Sum(b3) + bias[3];
        outB[4] = TV.Sum(b4) + bias[4];
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 5, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x1(float* xa, float* xb, float* w, int d, float bias, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, b0 = TV.Zero, b1 = TV.Zero;
        var width = TV.Width;
        var j = 0;
        for (; j <= d - 2 * width; j += 2 * width)
        {
            var v0 = TV.Load(w + j);
            var v1 = TV.Load(w + j + width);
            a0 = TV.MultiplyAdd(TV.Load(xa + j), v0, a0);
            b0 = TV.MultiplyAdd(TV.Load(xb + j), v0, b0);
            a1 = TV.MultiplyAdd(TV.Load(xa + j + width), v1, a1);
            b1 = TV.MultiplyAdd(TV.Load(xb + j + width), v1, b1);
        }

        for (; j <= d - width; j += width)
        {
            var v0 = TV.Load(w + j);
            a0 = TV.MultiplyAdd(TV.Load(xa + j), v0, a0);
            b0 = TV.MultiplyAdd(TV.Load(xb + j), v0, b0);
        }

        float ta = 0, tb = 0;
        for (; j < d; j++)
        {
            ta += xa[j] * w[j];
            tb += xb[j] * w[j];
        }

        *outA = TV.Sum(TV.Add(a0, a1)) + ta + bias;
        *outB = TV.Sum(TV.Add(b0, b1)) + tb + bias;
    }

    /// <summary>
    /// Two samples × four classes. Kept out of line, and its scalar tail in another method: inlined into the larger
    /// caller, the JIT spills half the accumulators to the stack on every iteration.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x4(float* xa, float* xb, float* w, int d, float* bias, float* outA, float* outB)
    {
        TVec a0 = TV.Zero, a1 = TV.Zero, a2 = TV.Zero, a3 = TV.Zero;
        TVec b0 = TV.Zero, b1 = TV.Zero, b2 = TV.Zero, b3 = TV.Zero;
        float* w1 = w + d, w2 = w + 2 * d, w3 = w + 3 * d;
        var width = TV.Width;
        var vectorEnd = d - d % width;
        for (var j = 0; j < vectorEnd; j += width)
        {
            var x0 = TV.Load(xa + j);
            var x1 = TV.Load(xb + j);
            var v0 = TV.Load(w + j);
            a0 = TV.MultiplyAdd(x0, v0, a0);
            b0 = TV.MultiplyAdd(x1, v0, b0);
            var v1 = TV.Load(w1 + j);
            a1 = TV.MultiplyAdd(x0, v1, a1);
            b1 = TV.MultiplyAdd(x1, v1, b1);
            var v2 = TV.Load(w2 + j);
            a2 = TV.MultiplyAdd(x0, v2, a2);
            b2 = TV.MultiplyAdd(x1, v2, b2);
            var v3 = TV.Load(w3 + j);
            a3 = TV.MultiplyAdd(x0, v3, a3);
            b3 = TV.MultiplyAdd(x1, v3, b3);
        }

        outA[0] = TV.Sum(a0) + bias[0];
        outA[1] = TV.Sum(a1) + bias[1];
        outA[2] = TV.Sum(a2) + bias[2];
        outA[3] = TV.Sum(a3) + bias[3];
        outB[0] = TV.Sum(b0) + bias[0];
        outB[1] = TV.Sum(b1) + bias[1];
        outB[2] = TV.Sum(b2) + bias[2];
        outB[3] = TV.Sum(b3) + bias[3];
        if (vectorEnd < d)
        {
            TailTile(xa, xb, w, d, vectorEnd, 4, outA, outB);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TailTile(float* xa, float* xb, float* w, int d, int start, int classes, float* outA, float* outB)
    {
        for (var c = 0; c < classes; c++)
        {
            var row = w + c * d;
            float sa = 0, sb = 0;
            for (var j = start; j < d; j++)
            {
                sa += xa[j] * row[j];
                sb += xb[j] * row[j];
            }

            outA[c] += sa;
            outB[c] += sb;
        }
    }

    /// <summary>Σ_j x[j]·w[j] with two accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* w, int d)
    {
        TVec a = TV.Zero, b = TV.Zero;
        var width = TV.Width;
        var j = 0;
        for (; j <= d - 2 * width; j += 2 * width)
        {
            a = TV.MultiplyAdd(TV.Load(x + j), TV.Load(w + j), a);
            b = TV.MultiplyAdd(TV.Load(x + j + width), TV.Load(w + j + width), b);
        }

        for (; j <= d - width; j += width)
        {
            a = TV.MultiplyAdd(TV.Load(x + j), TV.Load(w + j), a);
        }

        var tail = 0f;
        for (; j < d; j++)
        {
            tail += x[j] * w[j];
        }

        return TV.Sum(TV.Add(a, b)) + tail;
    }

    /// <summary>
    /// g[k·D + j] (+)= Σ_i delta[i·K + k] · rows[i][j]: overwrites g when <paramref name="overwrite"/>, else adds to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float** rows, int n, float* delta, int k, int d, float* g, bool overwrite)
    {
        var width = TV.Width;
        var j = 0;
        for (; j <= d - 2 * width; j += 2 * width)
        {
            var c = 0;
            for (; c + 4 < k && k - c != 8; c += 5)
            {
                Tile5x2(rows, n, delta + c, k, g + c * d + j, d, j, overwrite);
            }

            for (; c + 3 < k; c += 4)
            {
                Tile4x2(rows, n, delta + c, k, g + c * d + j, d, j, overwrite);
            }

            for (; c + 1 < k; c += 2)
            {
                Tile2x2(rows, n, delta + c, k, g + c * d + j, d, j, overwrite);
            }

            for (; c < k; c++)
            {
                Column(rows, n, delta + c, k, g + c * d + j, j, overwrite, vectors: 2);
            }
        }

        for (; j <= d - width; j += width)
        {
            for (var c = 0; c < k; c++)
            {
                Column(rows, n, delta + c, k, g + c * d + j, j, overwrite, vectors: 1);
            }
        }

        for (; j < d; j++)
        {
            for (var c = 0; c < k; c++)
            {
                var sum = overwrite ? 0f : g[c * d + j];
                for (var i = 0; i < n; i++)
                {
                    sum += delta[i * k + c] * rows[i][j];
                }

                g[c * d + j] = sum;
            }
        }
    }

    /// <summary>Five classes × two feature vectors of the gradient: ten accumulators, seven loads per ten FMAs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile5x2(float** rows, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
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
            var row = rows[i] + j;
            var xa = TV.Load(row);
            var xb = TV.Load(row + width);
            var di = delta + i * k;
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

    /// <summary>Four classes × two feature vectors of the gradient, in registers while the rows stream past. Out of line, like Tile2x4.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x2(float** rows, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
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
            var row = rows[i] + j;
            var xa = TV.Load(row);
            var xb = TV.Load(row + width);
            var di = delta + i * k;
            var d0 = TV.Broadcast(di[0]);
            c0a = TV.MultiplyAdd(d0, xa, c0a);
            c0b = TV.MultiplyAdd(d0, xb, c0b);
            var d1 = TV.Broadcast(di[1]);
            c1a = TV.MultiplyAdd(d1, xa, c1a);
            c1b = TV.MultiplyAdd(d1, xb, c1b);
            var d2 = TV.Broadcast(di[2]);
            c2a = TV.MultiplyAdd(d2, xa, c2a);
            c2b = TV.MultiplyAdd(d2, xb, c2b);
            var d3 = TV.Broadcast(di[3]);
            c3a = TV.MultiplyAdd(d3, xa, c3a);
            c3b = TV.MultiplyAdd(d3, xb, c3b);
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
    private static void Tile2x2(float** rows, int n, float* delta, int k, float* g, int d, int j, bool overwrite)
    {
        var width = TV.Width;
        var g1 = g + d;
        TVec c0a, c0b, c1a, c1b;
        if (overwrite)
        {
            c0a = c0b = c1a = c1b = TV.Zero;
        }
        else
        {
            c0a = TV.Load(g);
            c0b = TV.Load(g + width);
            c1a = TV.Load(g1);
            c1b = TV.Load(g1 + width);
        }

        for (var i = 0; i < n; i++)
        {
            var row = rows[i] + j;
            var xa = TV.Load(row);
            var xb = TV.Load(row + width);
            var di = delta + i * k;
            var d0 = TV.Broadcast(di[0]);
            c0a = TV.MultiplyAdd(d0, xa, c0a);
            c0b = TV.MultiplyAdd(d0, xb, c0b);
            var d1 = TV.Broadcast(di[1]);
            c1a = TV.MultiplyAdd(d1, xa, c1a);
            c1b = TV.MultiplyAdd(d1, xb, c1b);
        }

        TV.Store(g, c0a);
        TV.Store(g + width, c0b);
        TV.Store(g1, c1a);
        TV.Store(g1 + width, c1b);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Column(float** rows, int n, float* delta, int k, float* g, int j, bool overwrite, int vectors)
    {
        var width = TV.Width;
        var a = overwrite ? TV.Zero : TV.Load(g);
        var b = overwrite || vectors < 2 ? TV.Zero : TV.Load(g + width);
        for (var i = 0; i < n; i++)
        {
            var di = TV.Broadcast(delta[i * k]);
            a = TV.MultiplyAdd(di, TV.Load(rows[i] + j), a);
            if (vectors == 2)
            {
                b = TV.MultiplyAdd(di, TV.Load(rows[i] + j + width), b);
            }
        }

        TV.Store(g, a);
        if (vectors == 2)
        {
            TV.Store(g + width, b);
        }
    }

    /// <summary>dst[j] = (src[j] − offset[j]) · scale[j]: exactly what FeatureScaler computes, so both layouts agree bitwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleRow(byte* source, float* offset, float* scale, float* destination, int d)
    {
        var width = TV.Width;
        var j = 0;
        for (; j <= d - width; j += width)
        {
            TV.Store(destination + j, TV.ScaleBytes(source + j, offset + j, scale + j));
        }

        for (; j < d; j++)
        {
            destination[j] = (source[j] - offset[j]) * scale[j];
        }
    }
}
