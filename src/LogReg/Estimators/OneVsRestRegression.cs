
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
public sealed class OneVsRestRegression : OneVsRestRegression<int>;
