using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LogReg.Kernels;

/// <summary>
/// The handful of vector operations the fused kernels need, over one register type <typeparamref name="TVec"/>
/// (Vector512&lt;float&gt;, Vector256&lt;float&gt;, Vector128&lt;float&gt;, or float for the scalar form). Each microkernel is written once, generic
/// over a stateless implementation of this interface; its locals are the raw vector type, so the JIT keeps them in
/// registers, and specialises the code per width.
/// </summary>
internal unsafe interface ISimdOps<TVec>
    where TVec : unmanaged
{
    /// <summary>Floats per register.</summary>
    static abstract int Width { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(float* source);

    static abstract void Store(float* destination, TVec value);

    static abstract TVec Broadcast(float value);

    /// <summary>a × b + c, fused.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>(bytes widened to floats − offset) × scale, for <c>Width</c> bytes.</summary>
    static abstract TVec ScaleBytes(byte* source, float* offset, float* scale);

    /// <summary><c>Width</c> bytes widened to floats (0..255), nothing else.</summary>
    static abstract TVec LoadBytes(byte* source);

    /// <summary>Sum of the lanes, in a fixed order.</summary>
    static abstract float Sum(TVec value);
}

internal readonly unsafe struct Ops512 : ISimdOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ScaleBytes(byte* source, float* offset, float* scale)
    {
        Vector512<float> widened;
        if (Avx512F.IsSupported)
        {
            widened = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(source)));
        }
        else
        {
            var (lo, hi) = Vector128.Widen(Vector128.Load(source));
            var (a, b) = Vector128.Widen(lo);
            var (c, d) = Vector128.Widen(hi);
            widened = Vector512.ConvertToSingle(Vector512.Create(Vector256.Create(a, b), Vector256.Create(c, d)).AsInt32());
        }

        return (widened - Vector512.Load(offset)) * Vector512.Load(scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadBytes(byte* source)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(source)));
        }

        var (lo, hi) = Vector128.Widen(Vector128.Load(source));
        var (a, b) = Vector128.Widen(lo);
        var (c, d) = Vector128.Widen(hi);
        return Vector512.ConvertToSingle(Vector512.Create(Vector256.Create(a, b), Vector256.Create(c, d)).AsInt32());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Ops256.Sum(value.GetLower() + value.GetUpper());
}

internal readonly unsafe struct Ops256 : ISimdOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleBytes(byte* source, float* offset, float* scale)
    {
        Vector256<float> widened;
        if (Avx2.IsSupported)
        {
            widened = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(source));
        }
        else
        {
            var (shorts, _) = Vector128.Widen(Vector128.CreateScalar(*(ulong*)source).AsByte());
            var (lo, hi) = Vector128.Widen(shorts);
            widened = Vector256.ConvertToSingle(Vector256.Create(lo, hi).AsInt32());
        }

        return (widened - Vector256.Load(offset)) * Vector256.Load(scale);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadBytes(byte* source)
    {
        if (Avx2.IsSupported)
        {
            return Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(source));
        }

        var (shorts, _) = Vector128.Widen(Vector128.CreateScalar(*(ulong*)source).AsByte());
        var (lo, hi) = Vector128.Widen(shorts);
        return Vector256.ConvertToSingle(Vector256.Create(lo, hi).AsInt32());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value)
    {
        var half = value.GetLower() + value.GetUpper();
        var quarter = half + Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1));
        return quarter.ToScalar() + quarter.GetElement(1);
    }
}

/// <summary>
/// Four floats per register: SSE on x86 and NEON on ARM64 (Apple Silicon, Graviton), for machines whose 256-bit vectors
/// are not accelerated. <see cref="Vector128"/> maps to both instruction sets; the fused multiply-add is a real FMA where
/// the hardware has one (NEON always, x86 with FMA3) and a multiply then an add otherwise, as the scalar form's
/// <see cref="MathF.FusedMultiplyAdd"/> is on machines without it.
/// </summary>
internal readonly unsafe struct Ops128 : ISimdOps<Vector128<float>>
{
    public static int Width => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        // Vector128.FusedMultiplyAdd must round once, so without an FMA instruction (x86 before Haswell, the machines
        // that reach this path on x86 for real) the runtime computes it lane by lane in software, 70x slower than a
        // multiply and an add (measured: a 6 s MNIST epoch). NEON and FMA3 have the instruction.
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleBytes(byte* source, float* offset, float* scale) =>
        (LoadBytes(source) - Vector128.Load(offset)) * Vector128.Load(scale);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadBytes(byte* source)
    {
        if (Sse41.IsSupported)
        {
            // pmovzxbd reads exactly the four bytes: no load past the row's end.
            return Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(source));
        }

        return LoadBytesPortable(source);
    }

    /// <summary>
    /// Four bytes as one 32-bit load, widened twice (NEON's uxtl, SSE2's punpck): never reads past the fourth byte.
    /// Internal rather than private so the tests check it on any machine: on x86 with SSE4.1 the kernel never calls it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> LoadBytesPortable(byte* source)
    {
        var (shorts, _) = Vector128.Widen(Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(source)).AsByte());
        var (ints, _) = Vector128.Widen(shorts);
        return Vector128.ConvertToSingle(ints.AsInt32());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value)
    {
        // The same pairing as the 256-bit form's last two steps, so a width's sums do not depend on the instruction set.
        var half = value + Vector128.Shuffle(value, Vector128.Create(2, 3, 0, 1));
        return half.ToScalar() + half.GetElement(1);
    }
}

/// <summary>The one-lane form: the same microkernels as plain scalar code, for machines without SIMD.</summary>
internal readonly unsafe struct OpsScalar : ISimdOps<float>
{
    public static int Width => 1;

    public static float Zero => 0f;

    public static float Load(float* source) => *source;

    public static void Store(float* destination, float value) => *destination = value;

    public static float Broadcast(float value) => value;

    public static float MultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    public static float Add(float a, float b) => a + b;

    public static float ScaleBytes(byte* source, float* offset, float* scale) => (*source - *offset) * *scale;

    public static float LoadBytes(byte* source) => *source;

    public static float Sum(float value) => value;
}

/// <summary>How the microkernels read a sample row: floats, or raw bytes widened as they are loaded.</summary>
internal unsafe interface IRowFormat
{
    static abstract TVec Load<TV, TVec>(byte* row, int index)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged;

    static abstract float LoadScalar(byte* row, int index);
}

/// <summary>Rows of floats.</summary>
internal readonly unsafe struct FloatRows : IRowFormat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Load<TV, TVec>(byte* row, int index)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged => TV.Load((float*)row + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadScalar(byte* row, int index) => ((float*)row)[index];
}

/// <summary>Rows of raw bytes (0..255); the scaling is folded into the weights and unfolded from the gradient.</summary>
internal readonly unsafe struct ByteRows : IRowFormat
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Load<TV, TVec>(byte* row, int index)
        where TV : struct, ISimdOps<TVec>
        where TVec : unmanaged => TV.LoadBytes(row + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LoadScalar(byte* row, int index) => row[index];
}
