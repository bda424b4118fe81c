
using LogReg.Core;

namespace LogReg.Estimators;

/// <summary>
/// One-vs-rest: K independent sigmoid units trained together, unit k answering "class k or not"; predicts the unit
/// with the highest score, and <c>PredictProba</c> normalises the K sigmoids to sum to 1.
/// </summary>
/// <typeparam name="TLabel">The label type.</typeparam>
public class OneVsRestRegression<TLabel> : LinearClassifier<TLabel>
    where TLabel : IEquatable<TLabel>
{
    /// <inheritdoc/>
    public override ModelKind Kind => ModelKind.OneVsRest;
}

/// <summary>One-vs-rest regression with <see cref="int"/> labels.</summary>
public sealed class OneVsRestRegression : OneVsRestRegression<int>
{
    /// <summary>
    /// A OneVsRestRegression with <see cref="int"/> labels from a model file written by <c>Save</c> or by <c>logreg train</c> (see
    /// <see cref="LinearClassifier.Load{TLabel}(string)"/>).
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The file is missing or malformed, holds another kind of model, or its class names are not ints.</exception>
    public static OneVsRestRegression Load(string path) => LinearClassifier.Load(path, new OneVsRestRegression());
}
