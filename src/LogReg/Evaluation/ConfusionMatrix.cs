namespace LogReg.Evaluation;

/// <summary>Counts of (true class, predicted class) pairs; rows are true classes, columns predictions.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ClassCount = classCount;
        _counts = new long[classCount * classCount];
    }

    public int ClassCount { get; }

    public long this[int actual, int predicted] => _counts[actual * ClassCount + predicted];

    public void Add(int actual, int predicted) => _counts[actual * ClassCount + predicted]++;

    public long Total => _counts.Sum();

    public long Correct
    {
        get
        {
            long sum = 0;
            for (var k = 0; k < ClassCount; k++)
            {
                sum += this[k, k];
            }

            return sum;
        }
    }

    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    /// <summary>Samples whose true class is <paramref name="k"/>.</summary>
    public long Support(int k)
    {
        long sum = 0;
        for (var p = 0; p < ClassCount; p++)
        {
            sum += this[k, p];
        }

        return sum;
    }

    /// <summary>Samples predicted as <paramref name="k"/>.</summary>
    public long Predicted(int k)
    {
        long sum = 0;
        for (var a = 0; a < ClassCount; a++)
        {
            sum += this[a, k];
        }

        return sum;
    }

    /// <summary>Of the samples predicted as k, the share that are k (0 when none is predicted, as scikit-learn reports).</summary>
    public double Precision(int k) => Predicted(k) == 0 ? 0 : (double)this[k, k] / Predicted(k);

    /// <summary>Of the samples of class k, the share predicted as k: the per-class accuracy.</summary>
    public double Recall(int k) => Support(k) == 0 ? 0 : (double)this[k, k] / Support(k);

    public double F1(int k)
    {
        var p = Precision(k);
        var r = Recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Row-normalised share: of the samples of class <paramref name="actual"/>, the fraction predicted <paramref name="predicted"/>.</summary>
    public double RowShare(int actual, int predicted) => Support(actual) == 0 ? 0 : (double)this[actual, predicted] / Support(actual);
}
