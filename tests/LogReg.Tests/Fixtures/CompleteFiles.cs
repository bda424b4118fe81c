using System.Text.Json;
using LogReg.Data;
using LogReg.Evaluation;
using LogReg.Experiments;
using LogReg.Models;
using LogReg.Training;

namespace LogReg.Tests.Fixtures;

/// <summary>
/// Checks that every file LogReg wrote into a folder is whole: each kind is read back with the reader a user would use.
/// Temporary files (".NAME.GUID.tmp", what a killed writer leaves) are not outputs and are skipped.
/// </summary>
public static class CompleteFiles
{
    /// <summary>Asserts every output file under <paramref name="directory"/> (if it exists) is complete; returns how many were checked.</summary>
    public static int AssertAllComplete(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var checkedFiles = 0;
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                Check(path, name);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{path} is not complete: {e.GetType().Name}: {e.Message}");
            }

            checkedFiles++;
        }

        return checkedFiles;
    }

    private static void Check(string path, string name)
    {
        switch (name)
        {
            case "model.json":
                ModelFile.Load(path);
                return;
            case "history.json":
                TrainingHistory.ReadJson(path);
                return;
            case "confusion.csv":
                ConfusionMatrix.ReadCsv(path);
                return;
            case ExperimentRunner.RunSpecHashFile:
                Assert.Matches("^[0-9a-f]{64}$", File.ReadAllText(path));
                return;
            case "report.html":
            case "reproduction.html":
                Assert.EndsWith("</html>\n", File.ReadAllText(path), StringComparison.Ordinal);
                return;
        }

        switch (Path.GetExtension(name))
        {
            case ".json":
                using (JsonDocument.Parse(File.ReadAllBytes(path)))
                {
                }

                return;
            case ".csv":
                var lines = File.ReadAllLines(path);
                Assert.NotEmpty(lines);
                Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
                var columns = lines[0].Split(',').Length;
                Assert.All(lines.Where(l => !l.Contains('"', StringComparison.Ordinal)), l => Assert.Equal(columns, l.Split(',').Length));
                return;
            case ".png":
                ImageFileReader.Read(path);
                return;
            case ".md":
                Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
                return;
            case ".yaml":
                ExperimentSpecReader.Read(path); // the spec's copy: as the user wrote it, so it must read back
                return;
            default:
                throw new InvalidOperationException("an unexpected file");
        }
    }
}
