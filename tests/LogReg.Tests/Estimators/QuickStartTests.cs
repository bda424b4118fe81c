using System.Globalization;
using LogReg.Estimators;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

/// <summary>
/// The README's "Use it from C#" quick start (examples/QuickStart.cs): the same code, checked against the output the
/// README shows, so the README cannot drift from what the library does.
/// </summary>
public sealed class QuickStartTests
{
    private const string ReadmeOutput = """
        classes: fail, pass
        solver: Lbfgs, Converged after 22 iterations
        weights: 1.996 per hour studied, 1.422 per hour slept, intercept -17.011
        5 h study, 7 h sleep: pass (P(pass) = 0.95)
        training accuracy: 1.00

        """;

    [Fact]
    public void The_quick_start_prints_what_the_README_shows()
    {
        var console = new StringWriter { NewLine = "\n" };
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            // From here to the end of the block: examples/QuickStart.cs with Console replaced by console.
            float[,] x =
            {
                { 1, 4 }, { 2, 8 }, { 3, 5 }, { 4, 7 }, { 5, 4 }, { 6, 8 }, { 7, 6 }, { 8, 7 }, { 2, 6 }, { 6, 5 },
            };
            string[] y = ["fail", "fail", "fail", "pass", "fail", "pass", "pass", "pass", "fail", "pass"];

            var model = new LogisticRegression<string> { Penalty = Penalty.L2, Lambda = 0.01 };
            model.Fit(x, y);

            console.WriteLine($"classes: {string.Join(", ", model.Classes)}");
            console.WriteLine($"solver: {model.FittedOptimizer}, {model.StopReason} after {model.NIter} iterations");
            console.WriteLine($"weights: {model.Coef[0, 0]:0.000} per hour studied, {model.Coef[0, 1]:0.000} per hour slept, intercept {model.Intercept[0]:0.000}");
            var student = new float[,] { { 5, 7 } };
            console.WriteLine($"5 h study, 7 h sleep: {model.Predict(student)[0]} (P(pass) = {model.PredictProba(student)[0, 1]:0.00})");
            console.WriteLine($"training accuracy: {model.Score(x, y):0.00}");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.Equal(ReadmeOutput, console.ToString());
    }

    [Fact]
    public void The_example_file_holds_the_same_code_as_this_test()
    {
        var example = File.ReadAllLines(Path.Combine(RepositoryRoot(), "examples", "QuickStart.cs"));
        var test = File.ReadAllLines(Path.Combine(RepositoryRoot(), "tests", "LogReg.Tests", "Estimators", "QuickStartTests.cs"));
        var body = test.SkipWhile(l => !l.Contains("float[,] x =", StringComparison.Ordinal))
            .TakeWhile(l => !l.Contains("training accuracy", StringComparison.Ordinal))
            .Select(l => l.Trim().Replace("console.", "Console.", StringComparison.Ordinal))
            .ToArray();
        var code = example.Select(l => l.Trim()).ToArray();

        Assert.True(body.Length > 10);
        Assert.All(body, line => Assert.Contains(line, code));
    }

    private static string RepositoryRoot() => Fixtures.RealData.RepositoryRoot() ?? throw new DirectoryNotFoundException("no LogReg.slnx above " + AppContext.BaseDirectory);
}
