using LogReg.Common;
using LogReg.Core;
using LogReg.Data;

namespace LogReg.Tests.Fixtures;

/// <summary>Small seeded problems for training tests.</summary>
internal static class Synthetic
{
    /// <summary>
    /// <paramref name="n"/> samples of <paramref name="d"/> features around one centre per class; with a large
    /// <paramref name="spread"/> between centres the classes are linearly separable.
    /// </summary>
    public static LinearProblem Problem(ModelKind kind, int n, int d, int classes, int seed, double spread = 3, double noise = 1)
    {
        var random = new SeededRandom(seed);
        var centres = new double[classes, d];
        for (var c = 0; c < classes; c++)
        {
            for (var j = 0; j < d; j++)
            {
                centres[c, j] = spread * random.NextGaussian();
            }
        }

        var x = new FeatureMatrix(n, d);
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % classes;
            for (var j = 0; j < d; j++)
            {
                x.Row(i)[j] = (float)(centres[labels[i], j] + noise * random.NextGaussian());
            }
        }

        return new LinearProblem(kind, x, labels, classes);
    }

    /// <summary>A problem from explicit rows and labels.</summary>
    public static LinearProblem FromRows(ModelKind kind, int classes, float[][] rows, int[] labels)
    {
        var x = new FeatureMatrix(rows.Length, rows[0].Length, rows.SelectMany(r => r).ToArray());
        return new LinearProblem(kind, x, labels, classes);
    }

    /// <summary>A tiny image dataset (4x4 images) with a class-dependent bright pixel, for pipeline and CLI tests.</summary>
    public static Dataset Images(int n, int classes, int seed, string name = "synthetic")
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[n * 16];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % classes;
            for (var j = 0; j < 16; j++)
            {
                pixels[i * 16 + j] = (byte)random.NextInt(60);
            }

            pixels[i * 16 + labels[i]] = (byte)(200 + random.NextInt(56));
        }

        return new Dataset(pixels, labels, new ImageShape(4, 4), Dataset.NumberedClassNames(classes), DatasetProvenance.ForFiles(name, "train"));
    }
}

/// <summary>A folder of IDX files (train and t10k) made from <see cref="Synthetic.Images"/>, readable as a dataset.</summary>
internal static class SyntheticFolder
{
    public static string Write(string directory, int train, int test, int classes, int seed = 1)
    {
        Directory.CreateDirectory(directory);
        foreach (var (prefix, count, s) in new[] { ("train", train, seed), ("t10k", test, seed + 100) })
        {
            var data = Synthetic.Images(count, classes, s);
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), IdxBytes.Images(count, 4, 4, data.Pixels.ToArray()));
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), IdxBytes.Labels(data.Labels.ToArray()));
        }

        return directory;
    }
}
