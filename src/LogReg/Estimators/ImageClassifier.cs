using System.Globalization;
using LogReg.Preprocessing;

namespace LogReg.Estimators;

/// <summary>
/// An estimator over byte images (0..255 pixels, one image after another): a <see cref="FeatureScaler"/> fitted on the
/// training images, then <see cref="Estimator"/> on the scaled pixels. Prediction applies the same fitted scaling.
/// </summary>
/// <remarks>
/// Scaling is explicit here, unlike on the float estimators: <see cref="ScalingKind.Divide255"/> by default (pixels in
/// 0..1), or min-max / z-score statistics fitted per pixel on the training images only. With the estimator's
/// <c>WarmStart</c> (and for every PartialFit call after the first) the scaler fitted first is kept, so the weights keep
/// meaning the same features.
/// </remarks>
/// <typeparam name="TLabel">The label type.</typeparam>
public sealed class ImageClassifier<TLabel>
    where TLabel : IEquatable<TLabel>
{
    private FeatureScaler? _scaler;

    /// <param name="estimator">The classifier to fit on the scaled pixels.</param>
    /// <param name="scaling">How pixels become features. Default <see cref="ScalingKind.Divide255"/>.</param>
    public ImageClassifier(LinearClassifier<TLabel> estimator, ScalingKind scaling = ScalingKind.Divide255)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        Estimator = estimator;
        Scaling = scaling;
    }

    /// <summary>The estimator that classifies the scaled pixels.</summary>
    public LinearClassifier<TLabel> Estimator { get; }

    /// <summary>How pixels are scaled before the estimator sees them.</summary>
    public ScalingKind Scaling { get; }

    /// <summary>The scaling fitted on the training images.</summary>
    public FeatureScaler Scaler => _scaler ?? throw new InvalidOperationException("the classifier is not fitted yet: call Fit or PartialFit first");

    /// <summary>Fits the scaler and then the estimator on <c>y.Length</c> images of <paramref name="pixelsPerImage"/> pixels.</summary>
    /// <returns>This classifier, fitted.</returns>
    public ImageClassifier<TLabel> Fit(ReadOnlySpan<byte> images, int pixelsPerImage, TLabel[] y, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(y);
        CheckImages(images, pixelsPerImage, y.Length);
        var scaler = Estimator.WarmStart && _scaler is not null ? _scaler : FeatureScaler.Fit(images, pixelsPerImage, Scaling);
        Estimator.Fit(Scale(scaler, images, pixelsPerImage), y.Length, pixelsPerImage, y, cancellationToken);
        _scaler = scaler;
        return this;
    }

    /// <summary>One SGD pass over a batch of images (see the estimator's PartialFit); the first call also fits the scaler, on its batch.</summary>
    public void PartialFit(ReadOnlySpan<byte> images, int pixelsPerImage, TLabel[] y, TLabel[]? classes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(y);
        CheckImages(images, pixelsPerImage, y.Length);
        var scaler = _scaler ?? FeatureScaler.Fit(images, pixelsPerImage, Scaling);
        Estimator.PartialFit(Scale(scaler, images, pixelsPerImage), y.Length, pixelsPerImage, y, classes, cancellationToken);
        _scaler = scaler;
    }

    /// <summary>
    /// Writes the fitted pipeline as the model file <c>logreg train</c> writes: the scaler's statistics, the image shape
    /// (h×h when the pixel count is a square h², else 1×pixels) and the estimator's model, so <c>logreg eval</c> and
    /// <c>logreg predict</c> take it for images of that shape. Labels as in <see cref="LinearClassifier{TLabel}.Save"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not fitted, or the labels do not round-trip through text.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Models.ModelFile.Save(Estimator.ToTrainedModel(Scaler, null), path);
    }

    internal static ImageClassifier<TLabel> Restored(LinearClassifier<TLabel> estimator, FeatureScaler scaler) =>
        new(estimator, scaler.Kind) { _scaler = scaler };

    /// <summary>The predicted class of each of the <paramref name="count"/> images.</summary>
    public TLabel[] Predict(ReadOnlySpan<byte> images, int pixelsPerImage, int count) =>
        Estimator.Predict(Features(images, pixelsPerImage, count), count, pixelsPerImage);

    /// <summary>Class probabilities, [images, classes] in the order of the estimator's Classes.</summary>
    public float[,] PredictProba(ReadOnlySpan<byte> images, int pixelsPerImage, int count) =>
        Estimator.PredictProba(Features(images, pixelsPerImage, count), count, pixelsPerImage);

    /// <summary>Accuracy on <c>y.Length</c> images against their labels.</summary>
    public double Score(ReadOnlySpan<byte> images, int pixelsPerImage, TLabel[] y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return Estimator.Score(Features(images, pixelsPerImage, y.Length), y.Length, pixelsPerImage, y);
    }

    private float[] Features(ReadOnlySpan<byte> images, int pixelsPerImage, int count)
    {
        var scaler = Scaler;
        if (pixelsPerImage != scaler.FeatureCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the classifier was fitted on images of {scaler.FeatureCount} pixels, not {pixelsPerImage}"), nameof(pixelsPerImage));
        }

        CheckImages(images, pixelsPerImage, count);
        return Scale(scaler, images, pixelsPerImage);
    }

    private static float[] Scale(FeatureScaler scaler, ReadOnlySpan<byte> images, int pixelsPerImage)
    {
        var features = new float[images.Length];
        for (var start = 0; start < images.Length; start += pixelsPerImage)
        {
            scaler.Transform(images.Slice(start, pixelsPerImage), features.AsSpan(start, pixelsPerImage));
        }

        return features;
    }

    private static void CheckImages(ReadOnlySpan<byte> images, int pixelsPerImage, int count)
    {
        if (pixelsPerImage < 1 || count < 1 || (long)pixelsPerImage * count != images.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{count} images of {pixelsPerImage} pixels need {(long)pixelsPerImage * count} bytes but {images.Length} were given"),
                nameof(images));
        }
    }
}
