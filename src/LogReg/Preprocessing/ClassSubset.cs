using System.Globalization;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>Which classes a model is trained on.</summary>
public enum ClassSubsetKind
{
    /// <summary>Every class of the dataset.</summary>
    All,

    /// <summary>Two classes, relabelled 0 and 1 (MNIST 2 vs 8).</summary>
    Pair,

    /// <summary>One class against all others, relabelled 1 and 0 (MNIST "1" vs rest).</summary>
    OneVsRest,
}

/// <summary>The class selection of a run, recorded in the model file so evaluation can apply it again.</summary>
public sealed record ClassSubset(ClassSubsetKind Kind, int Negative = -1, int Positive = -1)
{
    /// <summary>Every class.</summary>
    public static readonly ClassSubset All = new(ClassSubsetKind.All);

    /// <summary>Two classes: <paramref name="negative"/> becomes label 0, <paramref name="positive"/> label 1.</summary>
    public static ClassSubset Pair(int negative, int positive) => new(ClassSubsetKind.Pair, negative, positive);

    /// <summary>Class <paramref name="positive"/> (label 1) against all others (label 0).</summary>
    public static ClassSubset OneVsRest(int positive) => new(ClassSubsetKind.OneVsRest, -1, positive);

    /// <summary>Whether the selection leaves two classes (a binary problem).</summary>
    public bool IsBinary => Kind != ClassSubsetKind.All;

    /// <summary>The images of <paramref name="data"/> in the subset, relabelled.</summary>
    public Dataset Apply(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Kind switch
        {
            ClassSubsetKind.All => data,
            ClassSubsetKind.Pair => ClassSelection.Pair(data, Negative, Positive),
            _ => ClassSelection.OneVsRest(data, Positive),
        };
    }

    /// <summary>The subset as the CLI writes it.</summary>
    public override string ToString() => Kind switch
    {
        ClassSubsetKind.All => "all classes",
        ClassSubsetKind.Pair => string.Create(CultureInfo.InvariantCulture, $"classes {Negative} vs {Positive}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"class {Positive} vs rest"),
    };
}
