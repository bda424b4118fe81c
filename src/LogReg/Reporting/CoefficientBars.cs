using LogReg.Common;
using LogReg.Models;

namespace LogReg.Reporting;

/// <summary>
/// A table model's coefficients by feature name, per class (one list for a binary model), each list sorted from the
/// most positive to the most negative: where weight images make no sense, the bars say which features push towards a
/// class. The weights act on the scaled features, so with z-score scaling a coefficient is the change in the class's
/// score per training standard deviation of the feature, and coefficients compare across features.
/// </summary>
public sealed record CoefficientBars(string Caption, IReadOnlyList<ClassCoefficients> Classes, int Shown, int Features)
{
    /// <summary>The most features shown per class: those with the largest |coefficient|.</summary>
    public const int MaxShown = 30;

    /// <summary>The coefficients of <paramref name="model"/>, or null when it was not trained on a table.</summary>
    public static CoefficientBars? For(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Table is not { } table)
        {
            return null;
        }

        var m = model.Model;
        var names = table.FeatureNames;
        var shown = Math.Min(MaxShown, names.Count);
        var classes = new List<ClassCoefficients>();
        for (var k = 0; k < m.Outputs; k++)
        {
            var weights = m.WeightsOf(k).ToArray();
            var bars = Enumerable.Range(0, names.Count)
                .Select(j => new FeatureCoefficient(names[j], weights[j]))
                .OrderByDescending(c => Math.Abs(c.Coefficient)).ThenBy(c => c.Feature, StringComparer.Ordinal)
                .Take(shown)
                .OrderByDescending(c => c.Coefficient).ThenBy(c => c.Feature, StringComparer.Ordinal)
                .ToList();
            var label = m.Outputs == 1 ? Invariant.Format($"{model.ClassNames[1]} (positive) vs {model.ClassNames[0]} (negative)") : model.ClassNames[k];
            classes.Add(new ClassCoefficients(label, bars, m.Bias[k]));
        }

        var per = ModelFile.ScalingName(model.Preparation.Scaling) switch
        {
            "zscore" => "per training standard deviation of the feature",
            "minmax" => "per training range of the feature",
            "none" => "per unit of the feature as given",
            _ => "per unit of the scaled feature",
        };
        var caption = Invariant.Format($"Coefficients by feature ({per}); bars to the right raise the class's score, to the left lower it.")
            + (shown < names.Count ? Invariant.Format($" The {shown} largest in size of {names.Count} features are shown per class; model.json holds them all.") : "");
        return new CoefficientBars(caption, classes, shown, names.Count);
    }
}

/// <summary>One class's (or a binary model's) coefficients, sorted from the most positive, and its intercept.</summary>
public sealed record ClassCoefficients(string Class, IReadOnlyList<FeatureCoefficient> Bars, double Intercept);

/// <summary>One feature's coefficient in a class's bar chart.</summary>
public sealed record FeatureCoefficient(string Feature, double Coefficient);
