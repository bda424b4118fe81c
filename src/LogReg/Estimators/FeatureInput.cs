using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LogReg.Core;

namespace LogReg.Estimators;

/// <summary>Checks and views of the float features the estimators take: shapes that agree, and only finite values.</summary>
internal static class FeatureInput
{
    /// <summary>A rectangular array's values, row after row, without copying (.NET stores them so).</summary>
    public static ReadOnlySpan<float> RowMajor(float[,] x) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(x)), x.Length);

    /// <summary>Checks that <paramref name="data"/> holds <paramref name="rows"/> rows of <paramref name="features"/> finite values.</summary>
    public static void Check(ReadOnlySpan<float> data, int rows, int features, string parameterName)
    {
        if (rows < 1 || features < 1)
        {
            throw new ArgumentException(Invariant($"the features must have at least one row and one column (got {rows} × {features})"), parameterName);
        }

        if ((long)rows * features != data.Length)
        {
            throw new ArgumentException(Invariant($"the features hold {data.Length} values but {rows} rows × {features} features need {(long)rows * features}"), parameterName);
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                throw new ArgumentException(
                    Invariant($"the features hold {data[i]} at row {i / features}, column {i % features}; every value must be finite (impute or drop missing values first)"),
                    parameterName);
            }
        }
    }

    /// <summary>A checked copy as a feature matrix (training keeps its own copy, so the caller's array may change).</summary>
    public static FeatureMatrix Copy(ReadOnlySpan<float> data, int rows, int features, string parameterName)
    {
        Check(data, rows, features, parameterName);
        return new FeatureMatrix(rows, features, data.ToArray());
    }

    /// <summary>Checks that there is one label per row.</summary>
    public static void CheckLabels<TLabel>(TLabel[] y, int rows)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Length != rows)
        {
            throw new ArgumentException(Invariant($"y has {y.Length} labels but X has {rows} rows; give one label per row"), nameof(y));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
