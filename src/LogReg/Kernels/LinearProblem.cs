using LogReg.Models;
using LogReg.Preprocessing;

namespace LogReg.Kernels;

/// <summary>
/// What a kernel works on: features, integer labels, and the model kind that fixes the number of outputs (one sigmoid
/// unit for logistic regression, one score per class otherwise). Parameters are laid out as weights[output × features]
/// row-major plus bias[output].
/// </summary>
public sealed class LinearProblem
{
    public LinearProblem(ModelKind kind, FeatureMatrix features, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != features.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {features.Rows} rows", nameof(labels));
        }

        if (kind == ModelKind.Logistic ? classCount != 2 : classCount < 2)
        {
            throw new ArgumentException($"{kind} needs {(kind == ModelKind.Logistic ? "exactly 2" : "at least 2")} classes (got {classCount})", nameof(classCount));
        }

        Kind = kind;
        Features = features;
        Labels = labels;
        ClassCount = classCount;
        Outputs = OutputsFor(kind, classCount);
    }

    public ModelKind Kind { get; }

    public FeatureMatrix Features { get; }

    public int[] Labels { get; }

    public int ClassCount { get; }

    /// <summary>Score rows per sample: 1 for logistic regression, K for softmax and one-vs-rest.</summary>
    public int Outputs { get; }

    public int FeatureCount => Features.Columns;

    public int Rows => Features.Rows;

    public static int OutputsFor(ModelKind kind, int classCount) => kind == ModelKind.Logistic ? 1 : classCount;
}
