using LogReg.Evaluation;
using LogReg.Models;
using LogReg.Runs;
using LogReg.Training;

namespace LogReg.Experiments;

/// <summary>
/// What an experiment keeps of its finished runs beyond their summaries, for its report and a reproduction: every
/// run's history (the curves average them; a reproduction reads a point's first), and models only where something
/// draws them — each grid point's best run by the selection metric (the best point's is the experiment's model), each
/// point's first run for a penalty sweep (its weights at every λ), and the retrained model — with the test evaluation
/// of each kept model that this process scored. So memory grows with the grid's points, not with its runs' weights.
/// <para>
/// Runs trained by this process are added from memory (<see cref="Add"/>). Runs an earlier invocation finished (a
/// resume, a merge) and the runs of a folder that <c>logreg report DIR</c> reads are added from their folders
/// (<see cref="AddFromFolder"/>): their history, model and confusion matrix are read when first asked for, and a model
/// only if it is kept. Either way the report and the reproduction see the same structure.
/// </para>
/// </summary>
public sealed class ExperimentRuns
{
    /// <summary>A kept run: its summary, its model and its test confusion (with class names), and the evaluation when scored in this process.</summary>
    private sealed record Kept(RunSummary Summary, Lazy<TrainedModel?> Model, EvaluationReport? TestEvaluation, Lazy<(ConfusionMatrix Matrix, IReadOnlyList<string> ClassNames)?> Confusion);

    private readonly ExperimentSpec _spec;
    private readonly bool _keepFirst;
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Point, int Seed, int Fold), Lazy<TrainingHistory?>> _histories = [];
    private readonly Dictionary<int, Kept> _best = [];
    private readonly Dictionary<int, Kept> _first = [];
    private Kept? _retrained;

    /// <summary>An empty store for the runs of <paramref name="spec"/>.</summary>
    public ExperimentRuns(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _keepFirst = ExperimentResults.IsPenaltySweepOf(spec);
    }

    /// <summary>A run this process trained (a retrained model has fold −1): its history, and its model and test evaluation if kept.</summary>
    internal void Add(RunSummary summary, TrainingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(outcome);
        var evaluation = outcome.TestEvaluation;
        (ConfusionMatrix, IReadOnlyList<string>)? confusion = evaluation is null ? null : (evaluation.Confusion, outcome.Model.ClassNames);
        Offer(
            summary,
            new Lazy<TrainingHistory?>(outcome.Result.History),
            () => new Kept(summary, new Lazy<TrainedModel?>(outcome.Model), evaluation, new Lazy<(ConfusionMatrix, IReadOnlyList<string>)?>(confusion)));
    }

    /// <summary>
    /// A run finished before (resumed, merged or reported from its folder <paramref name="runDirectory"/>): its files are
    /// read only when asked for.
    /// </summary>
    internal void AddFromFolder(RunSummary summary, string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(runDirectory);
        Offer(
            summary,
            new Lazy<TrainingHistory?>(() => ReadHistory(runDirectory)),
            () => new Kept(summary, new Lazy<TrainedModel?>(() => ReadModel(runDirectory)), null, new Lazy<(ConfusionMatrix, IReadOnlyList<string>)?>(() => ReadConfusion(runDirectory))));
    }

    /// <summary>The run's history, or null when it has none (or is not a finished run of this experiment).</summary>
    public TrainingHistory? History(RunKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Lazy<TrainingHistory?>? history;
        lock (_gate)
        {
            _histories.TryGetValue(Id(key), out history);
        }

        return history?.Value;
    }

    /// <summary>The run's model when it is kept (a point's best or, for a penalty sweep, first run, or the retrained model); else null.</summary>
    public TrainedModel? Model(RunKey key) => Find(key)?.Model.Value;

    /// <summary>The kept run's test evaluation (confusion matrix and most confident mistakes) when this process scored it; else null.</summary>
    public EvaluationReport? TestEvaluation(RunKey key) => Find(key)?.TestEvaluation;

    /// <summary>The kept run's test confusion matrix with its class names, or null (no test split, or not kept).</summary>
    public (ConfusionMatrix Matrix, IReadOnlyList<string> ClassNames)? TestConfusion(RunKey key) => Find(key)?.Confusion.Value;

    /// <summary>
    /// Whether <paramref name="candidate"/> ranks before <paramref name="incumbent"/> among one point's runs: the better
    /// selection metric (a missing one never wins), then the lower seed, then the lower fold. The best point's first run in
    /// this order is the experiment's best run.
    /// </summary>
    internal static bool RanksBefore(ExperimentSpec spec, RunSummary candidate, RunSummary incumbent)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(incumbent);
        var (a, b) = (Selectable(spec, candidate), Selectable(spec, incumbent));
        if (a is null || b is null)
        {
            return a is not null;
        }

        if (a.Value != b.Value)
        {
            return spec.SelectHigherIsBetter ? a.Value > b.Value : a.Value < b.Value;
        }

        return Earlier(candidate.Key, incumbent.Key);
    }

    /// <summary>The selection metric of a run when it is finite; null otherwise.</summary>
    internal static double? Selectable(ExperimentSpec spec, RunSummary run) => run.Metric(spec.Select) is { } v && double.IsFinite(v) ? v : null;

    private static bool Earlier(RunKey a, RunKey b) => a.Seed != b.Seed ? a.Seed < b.Seed : a.Fold < b.Fold;

    private static (int, int, int) Id(RunKey key) => (key.Point.Index, key.Seed, key.Fold);

    private void Offer(RunSummary summary, Lazy<TrainingHistory?> history, Func<Kept> keep)
    {
        var key = summary.Key;
        lock (_gate)
        {
            _histories[Id(key)] = history;
            if (key.Fold < 0)
            {
                _retrained = keep();
                return;
            }

            var point = key.Point.Index;
            Kept? kept = null;
            if (!_best.TryGetValue(point, out var best) || RanksBefore(_spec, summary, best.Summary))
            {
                _best[point] = kept = keep();
            }

            if (_keepFirst && (!_first.TryGetValue(point, out var first) || Earlier(key, first.Summary.Key)))
            {
                _first[point] = kept ?? keep();
            }
        }
    }

    private Kept? Find(RunKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (key.Fold < 0)
            {
                return _retrained is { } r && Id(r.Summary.Key) == Id(key) ? r : null;
            }

            return _best.TryGetValue(key.Point.Index, out var best) && Id(best.Summary.Key) == Id(key) ? best
                : _first.TryGetValue(key.Point.Index, out var first) && Id(first.Summary.Key) == Id(key) ? first
                : null;
        }
    }

    private static TrainingHistory? ReadHistory(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.HistoryJson);
        return File.Exists(path) ? TrainingHistory.ReadJson(path) : null;
    }

    private static TrainedModel? ReadModel(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.Model);
        return File.Exists(path) ? ModelFile.Load(path) : null;
    }

    private static (ConfusionMatrix, IReadOnlyList<string>)? ReadConfusion(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFiles.TestConfusion);
        if (!File.Exists(path))
        {
            return null; // no test set, or a run from before LogReg wrote confusion matrices
        }

        var (matrix, names) = ConfusionMatrix.ReadCsv(path);
        return (matrix, names);
    }
}
