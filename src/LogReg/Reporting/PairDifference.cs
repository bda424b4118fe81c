using LogReg.Core;
using LogReg.Models;
using LogReg.Preprocessing;

namespace LogReg.Reporting;

/// <summary>
/// A classifier made from two class-pair logistic models that share a class, without training: model one scores
/// log-odds(o₁ vs s) and model two log-odds(o₂ vs s) for the shared class s, so their difference scores
/// log-odds(o₂ vs o₁). Seed 001/002 (section 2.4) subtract its 2-vs-3 weights from its 2-vs-8 weights and claim the
/// result separates 3 from 8; this builds that classifier from the saved models so the claim can be measured.
/// </summary>
public static class PairDifference
{
    /// <summary>
    /// The classifier of the two classes that are not shared, the smaller class index as the negative class; or null
    /// with the reason when the models cannot be combined (not both class-pair logistic models on the same data and
    /// scaling, or not exactly one class in common).
    /// </summary>
    public static (TrainedModel? Model, string? Problem) Combine(TrainedModel first, TrainedModel second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Kind != ModelKind.Logistic || second.Kind != ModelKind.Logistic
            || first.Preparation.Classes.Kind != ClassSubsetKind.Pair || second.Preparation.Classes.Kind != ClassSubsetKind.Pair)
        {
            return (null, "both models must be logistic models of a class pair");
        }

        if (first.Dataset.Name != second.Dataset.Name || first.Shape != second.Shape)
        {
            return (null, $"the models were trained on different data ({first.Dataset.Name}, {second.Dataset.Name})");
        }

        if (first.Scaler.Kind != second.Scaler.Kind || !first.Scaler.Offset.AsSpan().SequenceEqual(second.Scaler.Offset) || !first.Scaler.Scale.AsSpan().SequenceEqual(second.Scaler.Scale))
        {
            return (null, "the models scale their pixels differently, so their weights do not add up (use a fixed scaling such as divide255)");
        }

        var a = first.Preparation.Classes;
        var b = second.Preparation.Classes;
        int[] shared = [.. new[] { a.Negative, a.Positive }.Intersect([b.Negative, b.Positive])];
        if (shared.Length != 1)
        {
            return (null, $"the pairs ({a.Negative}, {a.Positive}) and ({b.Negative}, {b.Positive}) must share exactly one class");
        }

        var s = shared[0];
        var (otherA, signA) = a.Negative == s ? (a.Positive, 1f) : (a.Negative, -1f);
        var (otherB, signB) = b.Negative == s ? (b.Positive, 1f) : (b.Negative, -1f);
        if (otherA == otherB)
        {
            return (null, "the two pairs are the same classes");
        }

        // The positive class of the new pair is the larger index: its score is log-odds(positive vs s) − log-odds(negative vs s).
        var (negative, positive) = otherA < otherB ? (otherA, otherB) : (otherB, otherA);
        var (plusModel, plusSign, minusModel, minusSign) = positive == otherA ? (first, signA, second, signB) : (second, signB, first, signA);
        var wPlus = plusModel.Model.WeightsOf(0);
        var wMinus = minusModel.Model.WeightsOf(0);
        var weights = new float[wPlus.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = plusSign * wPlus[i] - minusSign * wMinus[i];
        }

        var bias = plusSign * plusModel.Model.Bias[0] - minusSign * minusModel.Model.Bias[0];
        var names = new[] { ClassName(first, second, negative), ClassName(first, second, positive) };
        var model = new LogisticRegressionModel(weights, bias, weights.Length, names);
        var metrics = new FinalMetrics(double.NaN, double.NaN, null, null, null, null, 0, 0, Training.StopReason.Completed);
        return (first with
        {
            Model = model,
            Preparation = first.Preparation with { Classes = ClassSubset.Pair(negative, positive) },
            Metrics = metrics,
        }, null);
    }

    private static string ClassName(TrainedModel first, TrainedModel second, int index)
    {
        foreach (var m in new[] { first, second })
        {
            var c = m.Preparation.Classes;
            if (c.Negative == index)
            {
                return m.ClassNames[0];
            }

            if (c.Positive == index)
            {
                return m.ClassNames[1];
            }
        }

        throw new InvalidOperationException($"class {index} is in neither pair");
    }
}
