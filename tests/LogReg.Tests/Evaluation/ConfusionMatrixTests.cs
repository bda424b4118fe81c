using LogReg.Evaluation;

namespace LogReg.Tests.Evaluation;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Precision_recall_and_f1_follow_their_definitions()
    {
        var m = new ConfusionMatrix(3);
        // true 0: 3 right, 1 as class 1; true 1: 2 right; true 2: 1 right, 2 as class 0.
        foreach (var (a, p) in new[] { (0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (2, 2), (2, 0), (2, 0) })
        {
            m.Add(a, p);
        }

        Assert.Equal(9, m.Total);
        Assert.Equal(6.0 / 9, m.Accuracy, 12);
        Assert.Equal(3.0 / 5, m.Precision(0), 12);
        Assert.Equal(3.0 / 4, m.Recall(0), 12);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, m.F1(0), 12);
        Assert.Equal(1.0, m.Precision(2), 12);
        Assert.Equal(1.0 / 3, m.Recall(2), 12);
        Assert.Equal(2.0 / 3, m.RowShare(2, 0), 12);
        Assert.Equal(0, new ConfusionMatrix(2).Precision(1));
    }
}
