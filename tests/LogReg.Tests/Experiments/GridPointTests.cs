using LogReg.Core;
using LogReg.Experiments;
using LogReg.Preprocessing;

namespace LogReg.Tests.Experiments;

public sealed class GridPointTests
{
    [Fact]
    public void Grid_expands_to_the_cartesian_product_with_the_last_axis_fastest()
    {
        var spec = ExperimentSpecReader.Parse("""
            options:
              epochs: 7
            grid:
              learning_rate: [0.1, 0.01, 0.001]
              batch_size: [64, 128]
              scaling: [zscore, divide255]
            select: train_accuracy
            """, "s.yaml");

        var points = GridPoint.Expand(spec);

        Assert.Equal(12, points.Count);
        Assert.Equal(Enumerable.Range(0, 12), points.Select(p => p.Index));
        Assert.Equal("p00_learning_rate=0.1_batch_size=64_scaling=zscore", points[0].Id);
        Assert.Equal("p01_learning_rate=0.1_batch_size=64_scaling=divide255", points[1].Id);
        Assert.Equal(0.01, points[4].Options.LearningRate);
        Assert.Equal(64, points[4].Options.BatchSize);
        Assert.Equal(ScalingKind.ZScore, points[4].Scaling);
        Assert.All(points, p => Assert.Equal(7, p.Options.Epochs));
        Assert.Equal(12, points.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Without_a_grid_there_is_one_point_with_the_fixed_options()
    {
        var spec = ExperimentSpecReader.Parse("model: ovr\noptions:\n  learning_rate: 0.002\nselect: train_accuracy\n", "s.yaml");

        var point = Assert.Single(GridPoint.Expand(spec));

        Assert.Equal("p00", point.Id);
        Assert.Equal(0.002, point.Options.LearningRate);
        Assert.Equal(ModelKind.OneVsRest, spec.KindFor(binarySelection: false));
    }

    [Fact]
    public void A_model_axis_overrides_the_model_per_point()
    {
        var spec = ExperimentSpecReader.Parse("grid:\n  model: [softmax, ovr]\nselect: train_accuracy\n", "s.yaml");

        Assert.Equal([ModelKind.Softmax, ModelKind.OneVsRest], GridPoint.Expand(spec).Select(p => p.Model!.Value));
    }
}
