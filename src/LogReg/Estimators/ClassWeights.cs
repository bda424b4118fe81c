using System.Globalization;

namespace LogReg.Estimators;

/// <summary>Makes <see cref="ClassWeights{TLabel}"/>: <c>ClassWeights.Balanced&lt;int&gt;()</c> or <c>ClassWeights.Of(dictionary)</c>.</summary>
public static class ClassWeights
{
    /// <summary>
    /// Each class weighs n / (k · count): n samples, k classes, count of that class's samples (counted without the
    /// sample weights, as scikit-learn counts them), so every class counts as much in total as any other.
    /// </summary>
    public static ClassWeights<TLabel> Balanced<TLabel>()
        where TLabel : IEquatable<TLabel> => ClassWeights<TLabel>.BalancedWeights;

    /// <summary>Given weights per class: finite and at least 0; classes not named weigh 1.</summary>
    /// <exception cref="ArgumentException">A weight is negative or not finite.</exception>
    public static ClassWeights<TLabel> Of<TLabel>(IReadOnlyDictionary<TLabel, double> weights)
        where TLabel : IEquatable<TLabel> => ClassWeights<TLabel>.Given(weights);
}

/// <summary>
/// How much each class's samples count in training (scikit-learn's <c>class_weight</c>): balanced, or given weights per
/// class (classes left out weigh 1); made by <see cref="ClassWeights"/>. A sample's weight is its class's weight times
/// its own sample weight, if any.
/// </summary>
/// <typeparam name="TLabel">The label type of the estimator.</typeparam>
public sealed class ClassWeights<TLabel>
    where TLabel : IEquatable<TLabel>
{
    private readonly IReadOnlyDictionary<TLabel, double>? _weights;

    private ClassWeights(IReadOnlyDictionary<TLabel, double>? weights)
    {
        _weights = weights;
    }

    internal static ClassWeights<TLabel> BalancedWeights { get; } = new(null);

    /// <summary>Whether the weights are balanced (n / (k · count) per class).</summary>
    public bool IsBalanced => _weights is null;

    internal static ClassWeights<TLabel> Given(IReadOnlyDictionary<TLabel, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        foreach (var (label, weight) in weights)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the weight of class '{label}' is {weight}; class weights must be finite and at least 0"), nameof(weights));
            }
        }

        return new(new Dictionary<TLabel, double>(weights));
    }

    /// <summary>
    /// The weight of each class (in the order of <paramref name="classes"/>) for the encoded labels <paramref name="encoded"/>.
    /// </summary>
    internal double[] For(TLabel[] classes, int[] encoded)
    {
        if (_weights is null)
        {
            return Training.ClassBalance.Weights(encoded, classes.Length);
        }

        var result = new double[classes.Length];
        var known = new HashSet<TLabel>(classes);
        foreach (var label in _weights.Keys)
        {
            if (!known.Contains(label))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"ClassWeight names class '{label}', which is not among the classes ({string.Join(", ", classes)}); weigh only classes the labels hold"),
                    "ClassWeight");
            }
        }

        for (var c = 0; c < classes.Length; c++)
        {
            result[c] = _weights.TryGetValue(classes[c], out var w) ? w : 1;
        }

        return result;
    }
}
