using LogReg.Data;
using LogReg.Estimators;
using LogReg.Preprocessing;
using LogReg.Tests.Fixtures;
using LogReg.Training;

namespace LogReg.Tests.Estimators;

public sealed class ImageClassifierTests
{
    [Theory]
    [InlineData(ScalingKind.Divide255)]
    [InlineData(ScalingKind.ZScore)]
    public void Fit_equals_the_estimator_on_features_scaled_by_the_scaler_fitted_on_the_training_images(ScalingKind scaling)
    {
        var data = Synthetic.Images(n: 120, classes: 3, seed: 31);
        var pixels = data.Pixels.ToArray();
        var y = data.Labels.ToArray();

        var images = new ImageClassifier<int>(new SoftmaxRegression(), scaling).Fit(pixels, 16, y);
        var scaler = FeatureScaler.Fit(data, scaling);
        var manual = new SoftmaxRegression().Fit(scaler.Transform(data).Data, 120, 16, y);

        Assert.Equal(Blobs.Flatten(manual.Coef), Blobs.Flatten(images.Estimator.Coef));
        Assert.Equal(scaler.Offset, images.Scaler.Offset);
        Assert.Equal(scaler.Scale, images.Scaler.Scale);
        Assert.Equal(1.0, images.Score(pixels, 16, y));
        Assert.Equal(y, images.Predict(pixels, 16, 120));
    }

    [Fact]
    public void Partial_fits_keep_the_scaler_of_the_first_batch()
    {
        var data = Synthetic.Images(n: 120, classes: 3, seed: 32);
        var pixels = data.Pixels.ToArray();
        var y = data.Labels.ToArray();
        var images = new ImageClassifier<int>(new SoftmaxRegression { BatchSize = 20 }, ScalingKind.ZScore);

        images.PartialFit(pixels.AsSpan(0, 60 * 16), 16, y[..60], classes: [0, 1, 2]);
        var first = images.Scaler;
        images.PartialFit(pixels.AsSpan(60 * 16), 16, y[60..]);

        Assert.Same(first, images.Scaler);
        Assert.Equal(FeatureScaler.Fit(pixels.AsSpan(0, 60 * 16), 16, ScalingKind.ZScore).Offset, first.Offset);
        Assert.Equal(2, images.Estimator.NIter);
    }

    [Fact]
    public void Images_of_the_wrong_size_are_refused()
    {
        var data = Synthetic.Images(n: 30, classes: 2, seed: 33);
        var images = new ImageClassifier<int>(new LogisticRegression()).Fit(data.Pixels, 16, data.Labels.ToArray());

        var e = Assert.Throws<ArgumentException>(() => images.Predict(new byte[25], 25, 1));
        Assert.Contains("fitted on images of 16 pixels, not 25", e.Message, StringComparison.Ordinal);

        var bytes = Assert.Throws<ArgumentException>(() => new ImageClassifier<int>(new LogisticRegression()).Fit(new byte[33], 16, [0, 1]));
        Assert.Contains("2 images of 16 pixels need 32 bytes but 33 were given", bytes.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Softmax_with_an_L2_penalty_on_2000_MNIST_images_classifies_over_80_percent_of_2000_test_images()
    {
        var folder = RealData.Folder("mnist");
        var train = IdxReader.ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        var trainLabels = IdxReader.ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).Labels;
        var test = IdxReader.ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"));
        var testLabels = IdxReader.ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz")).Labels;

        var model = new ImageClassifier<int>(new SoftmaxRegression { Penalty = Penalty.L2, Lambda = 1e-3 })
            .Fit(train.Pixels.AsSpan(0, 2000 * 784), 784, trainLabels[..2000]);
        var accuracy = model.Score(test.Pixels.AsSpan(0, 2000 * 784), 784, testLabels[..2000]);

        Assert.Equal(OptimizerKind.Lbfgs, model.Estimator.FittedOptimizer);
        Assert.Equal(Enumerable.Range(0, 10), model.Estimator.Classes);
        Assert.True(accuracy > 0.8, $"test accuracy {accuracy} after {model.Estimator.NIter} iterations ({model.Estimator.StopReason})");
    }
}
