namespace LogReg.Experiments;

/// <summary>What an experiment run produced.</summary>
public sealed record ExperimentOutcome(
    string Directory,
    ExperimentResults Results,
    int Total,
    int Finished,
    int Skipped,
    bool Interrupted,
    string Parallelism,
    TimeSpan Elapsed);
