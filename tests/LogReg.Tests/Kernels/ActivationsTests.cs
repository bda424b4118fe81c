
using LogReg.Core;

namespace LogReg.Tests.Kernels;

public sealed class ActivationsTests
{
    [Theory]
    [InlineData(1e4)]
    [InlineData(-1e4)]
    [InlineData(800)]
    [InlineData(-800)]
    [InlineData(0)]
    public void Sigmoid_softplus_and_log_sigmoid_are_finite_for_huge_logits(double z)
    {
        Assert.True(double.IsFinite(Activations.Sigmoid(z)));
        Assert.True(double.IsFinite(Activations.Softplus(z)));
        Assert.True(double.IsFinite(Activations.LogSigmoid(z)));
        Assert.Equal(1, Activations.Sigmoid(z) + Activations.Sigmoid(-z), 12);
    }

    [Fact]
    public void Softplus_matches_its_definition_and_its_asymptotes()
    {
        Assert.Equal(Math.Log(2), Activations.Softplus(0), 15);
        Assert.Equal(Math.Log(1 + Math.Exp(1.5)), Activations.Softplus(1.5), 14);
        Assert.Equal(1e4, Activations.Softplus(1e4), 9);
        Assert.Equal(0, Activations.Softplus(-1e4), 15);
        Assert.Equal(-1e4, Activations.LogSigmoid(-1e4), 9);
    }

    [Fact]
    public void Softmax_subtracts_the_maximum_and_stays_finite_for_logits_like_1000_1001_2()
    {
        float[] logits = [1000, 1001, 2];
        var p = new float[3];
        Activations.Softmax(logits, p);

        Assert.Equal(1 / (1 + Math.E), p[0], 6);
        Assert.Equal(Math.E / (1 + Math.E), p[1], 6);
        Assert.Equal(0f, p[2]);
        var log = new float[3];
        Activations.LogSoftmax(logits, log);
        Assert.Equal(-Math.Log(1 + Math.E), log[0], 5);
        Assert.Equal(2 - (1001 + Math.Log(1 + 1 / Math.E)), log[2], 3);
    }

    [Theory]
    [InlineData(ModelKind.Logistic)]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    public void LossAndDelta_is_finite_for_logits_of_plus_minus_1e4(ModelKind kind)
    {
        float[] logits = kind == ModelKind.Logistic ? [-1e4f] : [1e4f, -1e4f, 0];
        var delta = new float[logits.Length];

        var loss = Activations.LossAndDelta(kind, logits, 1, delta);

        Assert.True(double.IsFinite(loss));
        Assert.True(loss > 9000); // confidently wrong
        Assert.All(delta, d => Assert.True(float.IsFinite(d)));
    }

    [Fact]
    public void Softmax_loss_delta_is_probabilities_minus_one_hot()
    {
        float[] logits = [1, 2, 3];
        var delta = new float[3];

        var loss = Activations.LossAndDelta(ModelKind.Softmax, logits, 2, delta);

        var sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Log(sum) - 3, loss, 6);
        Assert.Equal(Math.Exp(1) / sum, delta[0], 6);
        Assert.Equal(Math.Exp(3) / sum - 1, delta[2], 6);
    }
}
