namespace LogReg.Experiments;

/// <summary>A column of an experiment's results table: its title and, for a metric column, the metric it shows.</summary>
public sealed record ResultColumn(string Header, string? Metric);

/// <summary>A row of an experiment's results table: the point, its cells as shown, a number per cell to sort by, and whether it is the best point.</summary>
public sealed record ResultRow(PointResult Point, IReadOnlyList<string> Cells, IReadOnlyList<double?> SortKeys, bool Best);
