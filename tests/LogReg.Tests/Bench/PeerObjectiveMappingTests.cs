using System.Diagnostics;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Bench;

/// <summary>
/// bench/peers/optimum.py compares LogReg with LIBLINEAR, scikit-learn and ML.NET on one objective; its claims rest on
/// each peer's λ mapping in bench/peers/objectives.py. Its tests (bench/peers/test_objectives.py) check that, on the
/// same weights, each peer's own objective is a fixed multiple of LogReg's, and that scikit-learn's and LIBLINEAR's
/// solutions on small data zero LogReg's subgradient under the mapping and not under a wrong one. Debian's Python with
/// python3-numpy and python3-sklearn (and liblinear-tools for its part); skipped without them unless CI=true, where
/// .ci/run installs them.
/// </summary>
public sealed class PeerObjectiveMappingTests
{
    [SkippableFact]
    public void Every_peers_lambda_mapping_gives_logregs_objective_and_optimum()
    {
        SystemPython.Require("numpy", "sklearn");
        var root = RealData.RepositoryRoot() ?? throw new InvalidOperationException("the repository root (LogReg.slnx) was not found above the test assembly");
        var start = new ProcessStartInfo(SystemPython.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine("bench", "peers", "test_objectives.py"));
        start.ArgumentList.Add("-v");

        var result = Fixtures.Cli.RunToEnd(start);

        // unittest reports on stderr: "Ran N tests", then "OK" (or "OK (skipped=N)").
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("\nOK", result.Error, StringComparison.Ordinal);
        Assert.Contains("test_liblinear_s0_and_s6_with_the_bias_penalised", result.Error, StringComparison.Ordinal);
    }
}
