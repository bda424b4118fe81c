using LogReg.Estimators;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

public sealed class EstimatorLayeringTests
{
    [Fact]
    public void Nothing_else_in_the_library_refers_to_the_estimators_layer_on_top_of_it()
    {
        var root = RealData.RepositoryRoot() ?? throw new DirectoryNotFoundException("no LogReg.slnx above the tests");
        var library = Path.Combine(root, "src", "LogReg");
        var estimators = Path.Combine(library, "Estimators") + Path.DirectorySeparatorChar;

        var offenders = Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(estimators, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Estimators", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .ToList();

        Assert.True(Directory.Exists(estimators));
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_option_properties_read_and_write_the_one_Options_record()
    {
        var model = new SoftmaxRegression
        {
            Options = new TrainingOptions { Nesterov = true, L1Ratio = 0.25 },
            LearningRate = 0.5,
            BatchSize = 32,
            Momentum = 0.8,
            Penalty = Penalty.ElasticNet,
            Lambda = 0.01,
            Seed = 7,
            FitIntercept = false,
            Shuffle = false,
            Tol = 1e-6,
            Threads = 1,
        };

        Assert.Equal(
            new TrainingOptions { Nesterov = true, L1Ratio = 0.25, LearningRate = 0.5, BatchSize = 32, Momentum = 0.8, Penalty = Penalty.ElasticNet, Lambda = 0.01, Seed = 7, FitIntercept = false, Shuffle = false, Tol = 1e-6, Threads = 1 },
            model.Options);
        Assert.Equal(0.5, model.LearningRate);
    }
}
