using System.Globalization;

namespace LogReg.Estimators;

/// <summary>
/// The classes of a classifier in their fixed order and the map from a label to its index, which is what the kernels
/// train on (0..K−1). Strings sort ordinally (culture-independent, so the order and the class indices are the same on
/// every machine); other comparable labels by their default comparer; labels that cannot be compared keep the order
/// they first appear in.
/// </summary>
internal sealed class ClassLabels<TLabel>
    where TLabel : IEquatable<TLabel>
{
    private readonly Dictionary<TLabel, int> _index;

    private ClassLabels(TLabel[] classes)
    {
        Classes = classes;
        _index = new Dictionary<TLabel, int>(classes.Length);
        for (var i = 0; i < classes.Length; i++)
        {
            _index[classes[i]] = i;
        }
    }

    public TLabel[] Classes { get; }

    public int Count => Classes.Length;

    /// <summary>The class names written into the linear model (labels as invariant-culture text).</summary>
    public string[] Names => Array.ConvertAll(Classes, c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "");

    /// <summary>The distinct labels of <paramref name="labels"/>, sorted.</summary>
    /// <exception cref="ArgumentException">A label is null.</exception>
    public static ClassLabels<TLabel> Of(IReadOnlyList<TLabel> labels, string parameterName)
    {
        var seen = new HashSet<TLabel>();
        var distinct = new List<TLabel>();
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i] ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] is null; every sample needs a label"), parameterName);
            if (seen.Add(label))
            {
                distinct.Add(label);
            }
        }

        var classes = distinct.ToArray();
        if (Order() is { } comparer)
        {
            Array.Sort(classes, comparer);
        }

        return new ClassLabels<TLabel>(classes);
    }

    /// <summary>
    /// The classes named in a model file, in the file's order: each name is parsed back into a label by the type's
    /// <see cref="System.ComponentModel.TypeConverter"/> from invariant-culture text (strings as they are; numbers,
    /// enums by name, Guids, dates...). Null with the reason when a name does not parse or two names give one label.
    /// </summary>
    public static (ClassLabels<TLabel>? Labels, string? Problem) FromNames(IReadOnlyList<string> names)
    {
        var converter = System.ComponentModel.TypeDescriptor.GetConverter(typeof(TLabel));
        var classes = new TLabel[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            try
            {
                classes[i] = typeof(TLabel) == typeof(string) ? (TLabel)(object)names[i] : (TLabel)converter.ConvertFromInvariantString(names[i])!;
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or InvalidCastException || e.InnerException is FormatException or OverflowException)
            {
                return (null, $"class name '{names[i]}' is not a {typeof(TLabel).Name} label");
            }

            if (classes[i] is null)
            {
                return (null, $"class name '{names[i]}' reads as no {typeof(TLabel).Name} label");
            }
        }

        if (classes.Distinct().Count() != classes.Length)
        {
            return (null, $"two class names read as the same {typeof(TLabel).Name} label");
        }

        return (new ClassLabels<TLabel>(classes), null);
    }

    /// <summary>Whether these are the same classes in the same order.</summary>
    public bool SameAs(ClassLabels<TLabel> other) => Classes.AsSpan().SequenceEqual(other.Classes);

    /// <summary>The class index of every label.</summary>
    /// <exception cref="ArgumentException">A label is not one of the classes.</exception>
    public int[] Encode(IReadOnlyList<TLabel> labels, string parameterName)
    {
        var indices = new int[labels.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            if (labels[i] is not { } label || !_index.TryGetValue(label, out indices[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] is '{labels[i]}', which is not one of the classes ({Describe()}); declare every class with the classes argument of the first PartialFit"),
                    parameterName);
            }
        }

        return indices;
    }

    /// <summary>The classes as text for messages, e.g. "0, 1, 2".</summary>
    public string Describe() => string.Join(", ", Names);

    private static IComparer<TLabel>? Order()
    {
        if (typeof(TLabel) == typeof(string))
        {
            return (IComparer<TLabel>)(object)StringComparer.Ordinal;
        }

        return typeof(IComparable<TLabel>).IsAssignableFrom(typeof(TLabel)) || typeof(IComparable).IsAssignableFrom(typeof(TLabel))
            ? Comparer<TLabel>.Default
            : null;
    }
}
