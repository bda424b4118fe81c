using LogReg.Common;
using LogReg.Core;
using LogReg.Evaluation;
using LogReg.Kernels;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Training;

namespace LogReg.Runs;

/// <summary>
/// Trains a model of a given kind on prepared data and evaluates it on every split: the training and validation splits
/// with the kernel, the test split once, with <see cref="ModelEvaluator"/>, whose report (confusion matrix, most
/// confident mistakes) the outcome carries to the caller so nothing scores the test split again.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>How many of the most confidently wrong test samples the outcome's test evaluation keeps.</summary>
    public const int KeptMistakes = 16;

    /// <summary>Trains a model of <paramref name="kind"/> on <paramref name="data"/> with <paramref name="options"/> and scores it on each split.</summary>
    public static TrainingOutcome Train(
        PreparedData data,
        ModelKind kind,
        TrainingOptions options,
        IProgress<EpochRecord>? progress = null,
        CancellationToken cancellationToken = default) => Train(data, kind, options, null, progress, cancellationToken);

    /// <summary>As the public overload, on a given kernel (tests and experiments share one across runs).</summary>
    internal static TrainingOutcome Train(
        PreparedData data,
        ModelKind kind,
        TrainingOptions options,
        ILinearKernel? kernel,
        IProgress<EpochRecord>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        CheckKind(kind, data.Train.ClassCount);
        CheckModelSize(kind, data.Train.ClassCount, data.Shape.PixelCount, data.Train.Provenance.ImagesPath);
        kernel ??= LinearKernels.Default;
        var train = ClassBalance.Apply(data.TrainProblem(kind), options.ClassWeight);
        var validation = data.ValidationProblem(kind);
        var test = options.TestCurve ? data.TestProblem(kind) : null; // only for the history's per-epoch test columns
        var result = new LinearTrainer(kernel).Fit(train, options, validation, test, progress, cancellationToken: cancellationToken);
        var model = LinearModel.Create(kind, result.Parameters, data.ClassNames, options.Threshold, options.Decision);
        kernel = LinearTrainer.WithDecision(kernel, options);

        var threshold = model.LogitThreshold;
        var trainSums = kernel.Evaluate(train, model.Weights, model.Bias, threshold);
        var validationSums = validation is null ? (EvaluationSums?)null : kernel.Evaluate(validation, model.Weights, model.Bias, threshold);
        var metrics = new FinalMetrics(
            trainSums.Accuracy,
            trainSums.MeanLoss,
            validationSums?.Accuracy,
            validationSums?.MeanLoss,
            null,
            null,
            result.EpochsRun,
            result.BestEpoch,
            result.StopReason);
        var trained = new TrainedModel(model, data.Scaler, data.Shape, data.Preparation, options, metrics, DatasetReference.From(data.Train, data.Test), TrainedModel.CurrentVersion)
        {
            Table = data.Train.Table?.Schema,
        };
        if (data.Test is null)
        {
            return new TrainingOutcome(trained, result);
        }

        var testEvaluation = ModelEvaluator.Evaluate(trained, data.Test, topK: 1, mistakes: KeptMistakes, kernel);
        trained = trained with { Metrics = metrics with { TestAccuracy = testEvaluation.Accuracy, TestLoss = testEvaluation.MeanLoss } };
        return new TrainingOutcome(trained, result, testEvaluation);
    }

    /// <summary>
    /// Refuses a model of more than <see cref="Common.Limits.MaxModelFloats"/> weights (features x output units) before
    /// training allocates it and its gradient, velocity and best copy; <paramref name="path"/> is the data it comes from.
    /// </summary>
    public static void CheckModelSize(ModelKind kind, int classCount, int features, string path)
    {
        var outputs = kind == ModelKind.Logistic ? 1L : classCount;
        var weights = outputs * features;
        if (weights > Common.Limits.MaxModelFloats)
        {
            throw new Data.LogRegDataException(
                path,
                System.FormattableString.Invariant($"a {ModelFile.KindName(kind)} model of {features} features x {outputs} output units needs {weights} weights ({Common.Invariant.Bytes(weights * sizeof(float))} per copy), more than the limit of {Common.Limits.MaxModelFloats}"));
        }
    }

    /// <summary>Binary logistic regression needs exactly two classes; softmax and one-vs-rest need at least two.</summary>
    public static void CheckKind(ModelKind kind, int classCount)
    {
        if (kind == ModelKind.Logistic && classCount != 2)
        {
            throw new InvalidSettingException(
                $"logistic regression is binary but the data has {classCount} classes: choose two classes (--classes A,B), one class against the rest (--positive C), or use --model softmax or ovr");
        }

        if (classCount < 2)
        {
            throw new InvalidSettingException($"{kind} needs at least two classes (the data has {classCount})");
        }
    }
}
