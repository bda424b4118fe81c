using System.Globalization;

namespace LogReg.Reproduction;

/// <summary>The outcome of a claim's check.</summary>
public enum Verdict
{
    /// <summary>The claim holds on our results.</summary>
    Pass,
    /// <summary>Our results contradict the claim.</summary>
    Fail,

    /// <summary>
    /// The results the check needs are missing (an experiment not run, a point not in the grid, no such class), or they
    /// cannot decide the claim (the settings it compares gave the same model).
    /// </summary>
    NotApplicable,
}

/// <summary>A value a check measured, by what it is.</summary>
public sealed record MeasuredValue(string Label, double? Value);

/// <summary>What a check found: the verdict, a line saying why, and the values it compared.</summary>
public sealed record ClaimResult(Verdict Verdict, string Reason, IReadOnlyList<MeasuredValue> Values)
{
    /// <summary>NOT APPLICABLE, saying which result <paramref name="what"/> is missing.</summary>
    public static ClaimResult Missing(string what) => new(Verdict.NotApplicable, what, []);
}

/// <summary>The results of a reproduction by preset file name, as checks see them.</summary>
public sealed class ReproductionData(IReadOnlyDictionary<string, ExperimentData> experiments)
{
    /// <summary>Each experiment's results by preset file name.</summary>
    public IReadOnlyDictionary<string, ExperimentData> Experiments { get; } = experiments;

    /// <summary>The results of <paramref name="preset"/>, or null when it did not run.</summary>
    public ExperimentData? this[string preset] => Experiments.TryGetValue(preset, out var e) ? e : null;

    /// <summary>The point <paramref name="point"/> names, or null when its experiment or the point is missing.</summary>
    public PointData? Find(PointRef point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return this[point.Preset]?.Find(point);
    }
}

/// <summary>
/// A claim of a source document as an automatic check over our results. <paramref name="Reference"/> says where the
/// document makes it; <paramref name="DependsOnTrainingSize"/> marks claims that a reduced training set (kmnist-partial)
/// may change.
/// </summary>
public sealed record Claim(string Id, string Statement, string Reference, Func<ReproductionData, ClaimResult> Check, bool DependsOnTrainingSize = false)
{
    /// <summary>Runs the check; a check that throws on odd data is a bug, so it is not caught here.</summary>
    public ClaimResult Evaluate(ReproductionData data) => Check(data);
}

/// <summary>The kinds of check a claim is made of. Each returns NOT APPLICABLE when a value it needs is missing.</summary>
public static class Checks
{
    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Pct(double v) => (v * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    /// <summary><paramref name="metric"/> at <paramref name="higher"/> exceeds it at <paramref name="lower"/> by more than <paramref name="margin"/>.</summary>
    public static Func<ReproductionData, ClaimResult> Greater(PointRef higher, PointRef lower, string metric, double margin = 0) => data =>
    {
        if (data.Find(higher)?.Metric(metric) is not { } a)
        {
            return ClaimResult.Missing($"no {metric} for {higher.Preset} ({higher.Describe()})");
        }

        if (data.Find(lower)?.Metric(metric) is not { } b)
        {
            return ClaimResult.Missing($"no {metric} for {lower.Preset} ({lower.Describe()})");
        }

        var values = new[] { new MeasuredValue($"{higher.Preset} ({higher.Describe()}) {metric}", a), new MeasuredValue($"{lower.Preset} ({lower.Describe()}) {metric}", b) };
        var pass = a - b > margin;
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{F(a)} − {F(b)} = {F(a - b)} {(pass ? ">" : "≤")} {F(margin)}", values);
    };

    /// <summary><paramref name="metric"/> at <paramref name="point"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static Func<ReproductionData, ClaimResult> Near(PointRef point, string metric, double expected, double tolerance) => data =>
    {
        if (data.Find(point)?.Metric(metric) is not { } v)
        {
            return ClaimResult.Missing($"no {metric} for {point.Preset} ({point.Describe()})");
        }

        var pass = Math.Abs(v - expected) <= tolerance;
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{F(v)} vs {F(expected)} (|difference| {F(Math.Abs(v - expected))} {(pass ? "≤" : ">")} {F(tolerance)})", [new($"{metric}", v), new("expected", expected)]);
    };

    /// <summary><paramref name="metric"/> at <paramref name="point"/> is at least (or, with <paramref name="atMost"/>, at most) <paramref name="bound"/>.</summary>
    public static Func<ReproductionData, ClaimResult> Bound(PointRef point, string metric, double bound, bool atMost = false) => data =>
    {
        if (data.Find(point)?.Metric(metric) is not { } v)
        {
            return ClaimResult.Missing($"no {metric} for {point.Preset} ({point.Describe()})");
        }

        var pass = atMost ? v <= bound : v >= bound;
        var relation = v <= bound ? "≤" : "≥";
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{F(v)} {relation} {F(bound)}", [new(metric, v), new(atMost ? "at most" : "at least", bound)]);
    };

    /// <summary>The first epochs of <paramref name="column"/> in the point's history equal <paramref name="expected"/> within <paramref name="tolerance"/> each.</summary>
    public static Func<ReproductionData, ClaimResult> Sequence(PointRef point, string column, IReadOnlyList<double> expected, double tolerance) => data =>
    {
        var history = data.Find(point)?.History;
        if (history is null || history.Count < expected.Count)
        {
            return ClaimResult.Missing($"fewer than {expected.Count} epochs of history for {point.Preset}");
        }

        var values = history.Take(expected.Count).Select(e => PointData.HistoryValue(e, column)).ToArray();
        if (values.Any(v => v is null))
        {
            return ClaimResult.Missing($"no {column} in the history of {point.Preset}");
        }

        var first = Enumerable.Range(0, expected.Count).FirstOrDefault(i => Math.Abs(values[i]!.Value - expected[i]) > tolerance, -1);
        var measured = values.Select((v, i) => new MeasuredValue(string.Create(CultureInfo.InvariantCulture, $"epoch {i + 1}"), v)).ToList();
        return first < 0
            ? new(Verdict.Pass, $"all {expected.Count} equal within {F(tolerance)}: {string.Join(", ", values.Select(v => Pct(v!.Value)))}", measured)
            : new(Verdict.Fail, $"epoch {first + 1}: {Pct(values[first]!.Value)} vs {Pct(expected[first])}", measured);
    };

    /// <summary>The direction a metric should take as a grid axis grows.</summary>
    public enum Direction
    {
        /// <summary>The metric grows with the axis.</summary>
        Increasing,
        /// <summary>The metric falls as the axis grows.</summary>
        Decreasing,
    }

    /// <summary>
    /// Across the values of <paramref name="axis"/> (ascending; other axes averaged after the <paramref name="where"/>
    /// filter), <paramref name="metric"/> moves in <paramref name="direction"/>, each step allowed to go back by at most
    /// <paramref name="tolerance"/>, and overall by more than it.
    /// </summary>
    public static Func<ReproductionData, ClaimResult> Trend(string preset, string axis, string metric, Direction direction, double tolerance = 0, params string[] where) => data =>
    {
        var series = Series(data, preset, axis, metric, where);
        return series.Count < 2
            ? ClaimResult.Missing($"fewer than two values of {axis} with {metric} in {preset}")
            : TrendOf(series, axis, direction, tolerance);
    };

    /// <summary>
    /// Like <see cref="Trend"/>, but over one run's history: <paramref name="column"/> after each of
    /// <paramref name="epochs"/> of the point's first run (one long run read at several epoch counts, as separate runs
    /// of those lengths would end when nothing in the protocol depends on the total).
    /// </summary>
    public static Func<ReproductionData, ClaimResult> EpochTrend(PointRef point, string column, IReadOnlyList<int> epochs, Direction direction, double tolerance = 0) => data =>
    {
        var p = data.Find(point);
        var series = epochs.Select(e => (Epoch: e, Value: p?.Metric(string.Create(CultureInfo.InvariantCulture, $"{column}@{e}")))).ToList();
        return series.Count < 2 || series.Any(v => v.Value is null)
            ? ClaimResult.Missing($"no {column} after epochs {string.Join(", ", epochs)} in the history of {point.Preset} ({point.Describe()})")
            : TrendOf([.. series.Select(v => new AxisValue(v.Epoch, v.Value!.Value))], "epoch", direction, tolerance);
    };

    private static ClaimResult TrendOf(List<AxisValue> series, string axis, Direction direction, double tolerance)
    {
        var sign = direction == Direction.Increasing ? 1 : -1;
        var steps = series.Zip(series.Skip(1), (a, b) => sign * (b.Value - a.Value)).ToList();
        var pass = steps.All(s => s >= -tolerance) && sign * (series[^1].Value - series[0].Value) > tolerance;
        var text = string.Join(" → ", series.Select(p => $"{F(p.Value)} ({axis} {F(p.Axis)})"));
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{(direction == Direction.Increasing ? "increasing" : "decreasing")}? {text}", [.. series.Select(p => new MeasuredValue($"{axis} {F(p.Axis)}", p.Value))]);
    }

    /// <summary>Across the values of <paramref name="axis"/> (other axes averaged), <paramref name="metric"/> varies by at most <paramref name="spread"/>.</summary>
    public static Func<ReproductionData, ClaimResult> Flat(string preset, string axis, string metric, double spread, params string[] where) => data =>
    {
        var series = Series(data, preset, axis, metric, where);
        if (series.Count < 2)
        {
            return ClaimResult.Missing($"fewer than two values of {axis} with {metric} in {preset}");
        }

        var range = series.Max(p => p.Value) - series.Min(p => p.Value);
        var pass = range <= spread;
        return new(pass ? Verdict.Pass : Verdict.Fail, $"range {F(range)} {(pass ? "≤" : ">")} {F(spread)}: {string.Join(", ", series.Select(p => $"{F(p.Value)} ({axis} {F(p.Axis)})"))}", [.. series.Select(p => new MeasuredValue($"{axis} {F(p.Axis)}", p.Value))]);
    };

    /// <summary><paramref name="first"/> and <paramref name="second"/> at one point differ by at most <paramref name="tolerance"/>.</summary>
    public static Func<ReproductionData, ClaimResult> Close(PointRef point, string first, string second, double tolerance) => data =>
    {
        var p = data.Find(point);
        if (p?.Metric(first) is not { } a || p.Metric(second) is not { } b)
        {
            return ClaimResult.Missing($"no {first} or {second} for {point.Preset} ({point.Describe()})");
        }

        var pass = Math.Abs(a - b) <= tolerance;
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{first} {F(a)}, {second} {F(b)}: |difference| {F(Math.Abs(a - b))} {(pass ? "≤" : ">")} {F(tolerance)}", [new(first, a), new(second, b)]);
    };

    /// <summary>The value of <paramref name="axis"/> with the highest <paramref name="metric"/> (others averaged) is at most <paramref name="atMost"/>, and beats the value at the largest <paramref name="axis"/>.</summary>
    public static Func<ReproductionData, ClaimResult> BestAtOrBelow(string preset, string axis, string metric, double atMost, params string[] where) => data =>
    {
        var series = Series(data, preset, axis, metric, where);
        if (series.Count < 2)
        {
            return ClaimResult.Missing($"fewer than two values of {axis} with {metric} in {preset}");
        }

        // The first of tied values wins, so a flat series would "peak" at its smallest value: it must also beat the largest.
        var best = series.MaxBy(p => p.Value);
        var beatsLargest = best.Value > series[^1].Value;
        var pass = best.Axis <= atMost && beatsLargest;
        var reason = $"best {metric} {F(best.Value)} at {axis} {F(best.Axis)} ({(best.Axis <= atMost ? "≤" : ">")} {F(atMost)})"
            + (beatsLargest ? $", above {F(series[^1].Value)} at {axis} {F(series[^1].Axis)}" : $", but no better than {F(series[^1].Value)} at {axis} {F(series[^1].Axis)}");
        return new(pass ? Verdict.Pass : Verdict.Fail, reason, [.. series.Select(p => new MeasuredValue($"{axis} {F(p.Axis)}", p.Value))]);
    };

    /// <summary>The class <paramref name="className"/> has the <paramref name="rank"/>-th lowest test accuracy (1: the lowest) of the selected model.</summary>
    public static Func<ReproductionData, ClaimResult> LowestClass(string preset, string className, int rank = 1) => data =>
    {
        var classes = data[preset]?.PerClass ?? [];
        if (classes.Count < rank || !classes.Any(c => Matches(c.Class, className)))
        {
            return ClaimResult.Missing($"no per-class test accuracy with {className} for {preset}");
        }

        var order = classes.OrderBy(c => c.Accuracy).ToList();
        var actual = order[rank - 1];
        var pass = Matches(actual.Class, className);
        var own = classes.First(c => Matches(c.Class, className));
        var lowest = string.Join(", ", order.Take(Math.Max(rank, 3)).Select(c => $"{c.Class} {Pct(c.Accuracy)}"));
        var reason = pass ? $"{own.Class} is number {rank} from the bottom" : $"number {rank} from the bottom is {actual.Class}, not {className} ({Pct(own.Accuracy)})";
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{reason}; lowest first: {lowest}", [.. order.Select(c => new MeasuredValue(c.Class, c.Accuracy))]);
    };

    /// <summary>The <paramref name="count"/> most accurate classes of the selected model are all among <paramref name="classes"/>.</summary>
    public static Func<ReproductionData, ClaimResult> TopClassesAmong(string preset, int count, params string[] classes) => data =>
    {
        var scores = data[preset]?.PerClass ?? [];
        if (scores.Count < count)
        {
            return ClaimResult.Missing($"no per-class test accuracy for {preset}");
        }

        var top = scores.OrderByDescending(c => c.Accuracy).Take(count).ToList();
        var outsiders = top.Where(c => !classes.Any(k => Matches(c.Class, k))).ToList();
        return new(outsiders.Count == 0 ? Verdict.Pass : Verdict.Fail,
            $"top {count}: {string.Join(", ", top.Select(c => $"{c.Class} {Pct(c.Accuracy)}"))}{(outsiders.Count == 0 ? "" : $"; not among them: {string.Join(", ", outsiders.Select(c => c.Class))}")}",
            [.. top.Select(c => new MeasuredValue(c.Class, c.Accuracy))]);
    };

    /// <summary>Every class's weight image correlates with its class average by at least <paramref name="minimum"/> (Pearson r).</summary>
    public static Func<ReproductionData, ClaimResult> WeightsResembleAverages(string preset, double minimum) => data =>
    {
        var weights = (data[preset]?.Weights ?? []).Where(w => w.Correlation is not null).ToList();
        if (weights.Count == 0)
        {
            return ClaimResult.Missing($"no per-class weights with class averages for {preset}");
        }

        var weakest = weights.MinBy(w => w.Correlation!.Value)!;
        var pass = weakest.Correlation >= minimum;
        return new(pass ? Verdict.Pass : Verdict.Fail,
            $"r from {F(weakest.Correlation!.Value)} ({weakest.Class}) to {F(weights.Max(w => w.Correlation!.Value))}; {(pass ? "all ≥" : "not all ≥")} {F(minimum)}",
            [.. weights.Select(w => new MeasuredValue(w.Class, w.Correlation))]);
    };

    /// <summary><paramref name="before"/> exceeds <paramref name="after"/> at the same point (the metric fell during training).</summary>
    public static Func<ReproductionData, ClaimResult> Falls(PointRef point, string before, string after) => data =>
    {
        var p = data.Find(point);
        if (p?.Metric(before) is not { } a || p.Metric(after) is not { } b)
        {
            return ClaimResult.Missing($"no {before} or {after} for {point.Preset}");
        }

        var pass = a > b;
        return new(pass ? Verdict.Pass : Verdict.Fail, $"{before} {F(a)} {(pass ? ">" : "≤")} {after} {F(b)}", [new(before, a), new(after, b)]);
    };

    /// <summary>Both checks pass (NOT APPLICABLE when either is; otherwise FAIL when either fails).</summary>
    public static Func<ReproductionData, ClaimResult> Both(Func<ReproductionData, ClaimResult> first, Func<ReproductionData, ClaimResult> second) => data =>
    {
        var a = first(data);
        var b = second(data);
        var verdict = a.Verdict == Verdict.NotApplicable || b.Verdict == Verdict.NotApplicable ? Verdict.NotApplicable
            : a.Verdict == Verdict.Pass && b.Verdict == Verdict.Pass ? Verdict.Pass : Verdict.Fail;
        return new(verdict, $"{a.Reason}; and {b.Reason}", [.. a.Values, .. b.Values]);
    };

    /// <summary>
    /// <paramref name="check"/>, a comparison of two settings, when the settings gave different models; NOT APPLICABLE
    /// when their weight lengths agree within <paramref name="relative"/> (relative) and their
    /// <paramref name="metric"/> ties: then the settings did not change the model, and no ranking of them can be read
    /// from our runs, in either direction.
    /// </summary>
    public static Func<ReproductionData, ClaimResult> WhenDistinct(PointRef first, PointRef second, string metric, double relative, Func<ReproductionData, ClaimResult> check) => data =>
    {
        ArgumentNullException.ThrowIfNull(check);
        var (a, b) = (data.Find(first), data.Find(second));
        if (a?.Metric("weight_norm") is { } na && b?.Metric("weight_norm") is { } nb && a.Metric(metric) is { } ma && b.Metric(metric) is { } mb
            && ma == mb && Math.Abs(na - nb) <= relative * Math.Max(na, nb))
        {
            return new(Verdict.NotApplicable,
                $"the two settings gave the same model: {metric} {F(ma)} both, weight length {F(na)} and {F(nb)} (within {Pct(relative)}); the penalty is too weak here to rank them",
                [new($"{first.Preset} ({first.Describe()}) weight_norm", na), new($"{second.Preset} ({second.Describe()}) weight_norm", nb)]);
        }

        return check(data);
    };

    /// <summary>A class name matches a short name: "Shirt" matches "Shirt", "6" matches "6", "ma" matches "ま (ma)".</summary>
    private static bool Matches(string name, string wanted) =>
        string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase) || name.Contains($"({wanted})", StringComparison.OrdinalIgnoreCase);

    private readonly record struct AxisValue(double Axis, double Value);

    private static List<AxisValue> Series(ReproductionData data, string preset, string axis, string metric, string[] where)
    {
        var filter = PointRef.At(preset, where).Where;
        var points = (data[preset]?.Points ?? []).Where(p => filter.All(w => p.Parameters.TryGetValue(w.Key, out var v) && ExperimentData.SameValue(v, w.Value)));
        return [.. points
            .Select(p => (Axis: p.Axis(axis), Value: p.Metric(metric)))
            .Where(p => p.Axis is not null && p.Value is not null)
            .GroupBy(p => p.Axis!.Value)
            .Select(g => new AxisValue(g.Key, g.Average(p => p.Value!.Value)))
            .OrderBy(p => p.Axis)];
    }
}
