namespace LogReg.Experiments;

/// <summary>Where an experiment stands: runs done (including those skipped as already finished) of all, and an estimate.</summary>
public sealed record ExperimentProgress(int Done, int Total, int Skipped, RunSummary? Last, TimeSpan Elapsed, TimeSpan? Remaining);
