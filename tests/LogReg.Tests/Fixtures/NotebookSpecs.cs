namespace LogReg.Tests.Fixtures;

/// <summary>Small versions of the notebook's two presets (seed 003) for tests that run <c>logreg reproduce</c>.</summary>
internal static class NotebookSpecs
{
    /// <summary>The notebook's data, cut down: the first 3,000 training and 500 test images of MNIST, raw pixels.</summary>
    public const string Data = """
        dataset: mnist
        train_first: 3000
        test_first: 500
        scaling: none
        """;

    /// <summary>
    /// Writes <paramref name="oneVsRest"/> as mnist-1-vs-rest.yaml and <paramref name="ovr"/> as mnist-ovr.yaml into a
    /// folder specs/ of <paramref name="dir"/>, the names the mnist-notebook document asks for, and returns the folder.
    /// </summary>
    public static string Write(TempDirectory dir, string oneVsRest, string ovr)
    {
        var specs = dir.File("specs");
        Directory.CreateDirectory(specs);
        File.WriteAllText(Path.Combine(specs, "mnist-1-vs-rest.yaml"), oneVsRest);
        File.WriteAllText(Path.Combine(specs, "mnist-ovr.yaml"), ovr);
        return specs;
    }
}
