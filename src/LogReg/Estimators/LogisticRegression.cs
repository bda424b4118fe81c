
using LogReg.Core;

namespace LogReg.Estimators;

/// <summary>
/// Binary logistic regression: p(<c>Classes[1]</c> | x) = σ(w·x + b), one weight row. Refuses data with more than two
/// classes (use <see cref="SoftmaxRegression{TLabel}"/> or <see cref="OneVsRestRegression{TLabel}"/>).
/// </summary>
/// <typeparam name="TLabel">The label type.</typeparam>
public class LogisticRegression<TLabel> : LinearClassifier<TLabel>
    where TLabel : IEquatable<TLabel>
{
    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.Logistic;

    private protected override void CheckClassCount(ClassLabels<TLabel> labels, string parameterName)
    {
        base.CheckClassCount(labels, parameterName);
        if (labels.Count != 2)
        {
            throw new ArgumentException(
                $"LogisticRegression is binary but {parameterName} holds {labels.Count} classes ({labels.Describe()}); use SoftmaxRegression or OneVsRestRegression for more than two, or relabel to two",
                parameterName);
        }
    }
}

/// <summary>Binary logistic regression with <see cref="int"/> labels.</summary>
public sealed class LogisticRegression : LogisticRegression<int>
{
    /// <summary>
    /// A LogisticRegression with <see cref="int"/> labels from a model file written by <c>Save</c> or by <c>logreg train</c> (see
    /// <see cref="LinearClassifier.Load{TLabel}(string)"/>).
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The file is missing or malformed, holds another kind of model, or its class names are not ints.</exception>
    public static LogisticRegression Load(string path) => LinearClassifier.Load(path, new LogisticRegression());
}
