using LogReg.Experiments;
using LogReg.Reproduction;

namespace LogReg.Tests.Reproduction;

/// <summary>The four documents are consistent: what they compare and check refers to presets they run, and those presets exist.</summary>
public sealed class DocumentsTests
{
    [Fact]
    public void The_four_documents_are_named_as_on_the_command_line()
    {
        Assert.Equal(["kmnist-report", "mnist-report", "mnist-notebook", "fashion-blog"], Documents.Names);
        Assert.Same(Documents.All[2], Documents.Find("MNIST-Notebook"));
        Assert.Null(Documents.Find("mnist-notebok"));
    }

    public static TheoryData<string> Names() => [.. Documents.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_published_value_figure_and_claim_refers_to_a_preset_the_document_runs(string name)
    {
        var document = Documents.Find(name)!;
        var presets = document.Experiments.ToHashSet(StringComparer.Ordinal);
        var referenced = document.Sections.SelectMany(s => s.Tables.SelectMany(t => t.Values).Select(v => v.Point.Preset))
            .Concat(document.Sections.SelectMany(s => s.Figures).SelectMany(f => f switch
            {
                CurvesFigure c => c.Points.Select(p => p.Preset),
                SweepFigure s => [s.Preset],
                WeightsFigure w => [w.Point.Preset],
                PerClassFigure p => [p.Preset],
                _ => throw new InvalidOperationException(f.GetType().Name),
            }));

        Assert.All(referenced, p => Assert.Contains(p, presets));
        Assert.NotEmpty(document.Claims);
        Assert.Equal(document.Claims.Count(), document.Claims.Select(c => c.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_preset_a_document_runs_is_in_experiments_and_every_point_it_names_is_in_the_preset_s_grid(string name)
    {
        var root = Fixtures.RealData.RepositoryRoot()!;
        var document = Documents.Find(name)!;
        var grids = document.Experiments.ToDictionary(p => p, p => GridPoint.Expand(ExperimentSpecReader.Read(Path.Combine(root, "experiments", p))));
        var points = document.Sections.SelectMany(s => s.Tables.SelectMany(t => t.Values).Select(v => v.Point))
            .Where(p => p.Where.Count > 0);

        var missing = points.Where(p => !grids[p.Preset].Any(g => p.Where.All(w => g.Parameters.Any(q => q.Key == w.Key && ExperimentData.SameValue(q.Value, w.Value)))))
            .Select(p => $"{p.Preset} {p.Describe()}").Distinct();

        // Published points today's presets do not run (their "ours" shows as missing): seed 001's L2 λ 0.01 and seeds
        // 001/002's L1 λ 0.0005 for softmax. A preset that adds them makes these comparisons real; none other may be missing.
        Assert.All(missing, m => Assert.Contains(m, KnownGaps));
    }

    private static readonly string[] KnownGaps = ["mnist-softmax-l2.yaml lambda 0.01", "mnist-softmax-l1.yaml lambda 0.0005"];

    [Fact]
    public void Published_accuracies_are_fractions_quoted_from_the_sources()
    {
        var values = Documents.All.SelectMany(d => d.Sections).SelectMany(s => s.Tables).SelectMany(t => t.Values).ToList();

        Assert.All(values.Where(v => v.Metric.Contains("accuracy", StringComparison.Ordinal)), v => Assert.InRange(v.Value, 0.5, 1));
        Assert.Contains(values, v => v.Reference == "seed 000, Table 4" && v.Label == "lr 0.001, batch 64: test accuracy" && v.Value == 0.7050);
        Assert.Contains(values, v => v.Reference == "seed 002, §3.3 (a)" && v.Label == "L2, λ 0.0001: test accuracy" && v.Value == 0.9355);
        Assert.Contains(values, v => v.Reference == "seed 004, Table 2" && v.Label == "learning rate 0.001" && v.Value == 0.6610);
        Assert.Contains(values, v => v.Reference == "seed 003, printed output" && v.Metric == "train_accuracy@10" && Math.Round(v.Value * 3000) == 2352);
    }
}
