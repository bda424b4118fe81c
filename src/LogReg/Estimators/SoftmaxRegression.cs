
using LogReg.Core;

namespace LogReg.Estimators;

/// <summary>Softmax (multinomial logistic) regression over two or more classes: p = softmax(Wx + b), one weight row per class.</summary>
/// <typeparam name="TLabel">The label type.</typeparam>
public class SoftmaxRegression<TLabel> : LinearClassifier<TLabel>
    where TLabel : IEquatable<TLabel>
{
    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.Softmax;
}

/// <summary>Softmax regression with <see cref="int"/> labels.</summary>
public sealed class SoftmaxRegression : SoftmaxRegression<int>
{
    /// <summary>
    /// A SoftmaxRegression with <see cref="int"/> labels from a model file written by <c>Save</c> or by <c>logreg train</c> (see
    /// <see cref="LinearClassifier.Load{TLabel}(string)"/>).
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The file is missing or malformed, holds another kind of model, or its class names are not ints.</exception>
    public static SoftmaxRegression Load(string path) => LinearClassifier.Load(path, new SoftmaxRegression());
}
