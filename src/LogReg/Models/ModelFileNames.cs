using LogReg.Core;
using LogReg.Preprocessing;

namespace LogReg.Models;

/// <summary>
/// The names of model kinds and scalings as model files, specs, the command line and reports spell them. Kept apart from
/// the file format (ModelFile.cs) because every surface uses them, not only the file.
/// </summary>
public static partial class ModelFile
{
    /// <summary>logistic, softmax or ovr.</summary>
    public static string KindName(ModelKind kind) => kind switch
    {
        ModelKind.Logistic => "logistic",
        ModelKind.Softmax => "softmax",
        _ => "ovr",
    };

    /// <summary>The kind of a name <see cref="KindName"/> gives; null for any other text.</summary>
    public static ModelKind? ParseKind(string? name) => name switch
    {
        "logistic" => ModelKind.Logistic,
        "softmax" => ModelKind.Softmax,
        "ovr" => ModelKind.OneVsRest,
        _ => null,
    };

    /// <summary>none, divide255, minmax or zscore.</summary>
    public static string ScalingName(ScalingKind scaling) => scaling switch
    {
        ScalingKind.None => "none",
        ScalingKind.Divide255 => "divide255",
        ScalingKind.MinMax => "minmax",
        _ => "zscore",
    };

    /// <summary>The scaling of a name <see cref="ScalingName"/> gives; null for any other text.</summary>
    public static ScalingKind? ParseScaling(string? name) => name switch
    {
        "none" => ScalingKind.None,
        "divide255" => ScalingKind.Divide255,
        "minmax" => ScalingKind.MinMax,
        "zscore" => ScalingKind.ZScore,
        _ => null,
    };
}
