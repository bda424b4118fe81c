using LogReg.Core;
using LogReg.Models;

namespace LogReg.Estimators;

/// <summary>
/// Loads model files (written by an estimator's <c>Save</c> or by <c>logreg train</c>) into estimators. The non-generic
/// estimators have their own <c>Load</c> for <see cref="int"/> labels (<c>SoftmaxRegression.Load(path)</c>).
/// </summary>
public static class LinearClassifier
{
    /// <summary>
    /// The estimator a model file holds, of the kind it names (<see cref="LogisticRegression{TLabel}"/>,
    /// <see cref="SoftmaxRegression{TLabel}"/> or <see cref="OneVsRestRegression{TLabel}"/>), fitted: its classes are
    /// the file's class names read as <typeparamref name="TLabel"/> (see <see cref="LinearClassifier{TLabel}.Save"/>).
    /// A model trained by <c>logreg train</c> scores scaled pixels; <see cref="ImageClassifier.Load{TLabel}"/> keeps
    /// that scaling.
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The file is missing, malformed, or its class names are not <typeparamref name="TLabel"/> labels.</exception>
    public static LinearClassifier<TLabel> Load<TLabel>(string path)
        where TLabel : IEquatable<TLabel>
    {
        var file = ModelFile.Load(path);
        LinearClassifier<TLabel> estimator = file.Kind switch
        {
            ModelKind.Logistic => new LogisticRegression<TLabel>(),
            ModelKind.Softmax => new SoftmaxRegression<TLabel>(),
            _ => new OneVsRestRegression<TLabel>(),
        };
        estimator.Restore(path, file);
        return estimator;
    }

    /// <summary>Loads <paramref name="path"/> into <paramref name="estimator"/>, which must fit the file's kind.</summary>
    internal static T Load<T>(string path, T estimator)
        where T : LinearClassifier<int>
    {
        estimator.Restore(path, ModelFile.Load(path));
        return estimator;
    }
}

/// <summary>Loads model files into image pipelines.</summary>
public static class ImageClassifier
{
    /// <summary>
    /// The image pipeline a model file holds: its fitted scaler (as <c>logreg train</c> fitted it, or as
    /// <see cref="ImageClassifier{TLabel}.Save"/> wrote it) and its estimator (see <see cref="LinearClassifier.Load{TLabel}(string)"/>).
    /// </summary>
    /// <exception cref="Data.LogRegDataException">The file is missing or malformed, or its class names are not <typeparamref name="TLabel"/> labels.</exception>
    public static ImageClassifier<TLabel> Load<TLabel>(string path)
        where TLabel : IEquatable<TLabel>
    {
        var file = ModelFile.Load(path);
        var estimator = LinearClassifier.Load<TLabel>(path);
        return ImageClassifier<TLabel>.Restored(estimator, file.Scaler);
    }
}
