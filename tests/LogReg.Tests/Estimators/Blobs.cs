using LogReg.Core;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Estimators;

/// <summary>Small Gaussian blobs (one centre per class) as the estimators take them: a float[,] and int labels.</summary>
internal static class Blobs
{
    public static (float[,] X, int[] Y) Make(int n, int d, int classes, int seed, double spread = 3, double noise = 1)
    {
        var problem = Synthetic.Problem(classes == 2 ? ModelKind.Logistic : ModelKind.Softmax, n, d, classes, seed, spread, noise);
        var x = new float[n, d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                x[i, j] = problem.Features.Data[(i * d) + j];
            }
        }

        return (x, problem.Labels.ToArray());
    }

    public static float[] RowMajor(float[,] x) => x.Cast<float>().ToArray();

    public static float[] Flatten(float[,] values) => values.Cast<float>().ToArray();

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of <paramref name="x"/>.</summary>
    public static float[,] Rows(float[,] x, int start, int count)
    {
        var d = x.GetLength(1);
        var part = new float[count, d];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < d; j++)
            {
                part[i, j] = x[start + i, j];
            }
        }

        return part;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records synchronously (Progress&lt;T&gt; posts to a thread pool).</summary>
internal sealed class Recorder<T> : IProgress<T>
{
    public List<T> Seen { get; } = [];

    public Action<T>? Then { get; init; }

    public void Report(T value)
    {
        Seen.Add(value);
        Then?.Invoke(value);
    }
}
