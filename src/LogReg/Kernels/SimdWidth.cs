namespace LogReg.Kernels;

/// <summary>Which vector width a kernel uses.</summary>
public enum SimdWidth
{
    /// <summary>The widest the hardware accelerates: 512-bit, else 256-bit, else 128-bit, else scalar.</summary>
    Auto,

    /// <summary>16 floats per register (AVX-512). Runs anywhere, but is emulated (slowly) without hardware support.</summary>
    Vector512,

    /// <summary>8 floats per register (AVX2).</summary>
    Vector256,

    /// <summary>One float at a time.</summary>
    Scalar,

    /// <summary>
    /// 4 floats per register: SSE on x86, NEON on ARM64 (Apple Silicon, Graviton), where 256-bit vectors are not
    /// accelerated. Added after <see cref="Scalar"/> so that the earlier members keep their values.
    /// </summary>
    Vector128,
}

/// <summary>Where a kernel reads sample rows from.</summary>
public enum RowLayout
{
    /// <summary>Bytes scaled on the fly when the problem carries them (4x less memory traffic), else floats.</summary>
    Auto,

    /// <summary>The float feature matrix.</summary>
    Floats,

    /// <summary>The original pixel bytes, scaled per feature as they are read (floats when a problem has no bytes).</summary>
    Bytes,
}

/// <summary>Whether the kernel skips stretches of byte rows that are all zero.</summary>
public enum ZeroStretches
{
    /// <summary>Skip them when the data is mostly zero (at most half of its stretches non-zero) and there are four or more outputs.</summary>
    Auto,

    /// <summary>Skip them whenever rows are read as bytes with a SIMD width.</summary>
    Skip,

    /// <summary>Read every stretch.</summary>
    Read,
}
