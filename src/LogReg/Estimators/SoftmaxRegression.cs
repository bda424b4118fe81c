
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
public sealed class SoftmaxRegression : SoftmaxRegression<int>;
