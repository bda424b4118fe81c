// The ML.NET peer of bench/peers/optimum.py: trains one ML.NET L-BFGS (or SDCA) trainer on the features and labels the
// script wrote, times loading apart from training, and writes the learned weights for the script to score with the
// same objective formula as every other solver. Run by optimum.py; usage:
//   MlNetPeer TRAINER FEATURES.f32 LABELS.i32 ROWS COLS CLASSES L1 L2 TOLERANCE MAX_ITER WEIGHTS_OUT
// TRAINER: lbfgs-logistic (binary, labels 0/1), lbfgs-maxent or sdca-maxent (multiclass, labels 0..CLASSES-1).
// FEATURES: ROWS x COLS float32, row-major; LABELS: ROWS int32. WEIGHTS_OUT: one line per class (one for binary):
// the bias, then COLS weights. Prints one JSON line: load and train seconds.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MlNetPeer;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 11)
        {
            Console.Error.WriteLine("error: usage: MlNetPeer TRAINER FEATURES.f32 LABELS.i32 ROWS COLS CLASSES L1 L2 TOLERANCE MAX_ITER WEIGHTS_OUT");
            return 2;
        }

        var trainer = args[0];
        var rows = Parse(args[3]);
        var cols = Parse(args[4]);
        var classes = Parse(args[5]);
        var settings = new Settings(
            float.Parse(args[6], CultureInfo.InvariantCulture),
            float.Parse(args[7], CultureInfo.InvariantCulture),
            float.Parse(args[8], CultureInfo.InvariantCulture),
            Parse(args[9]));

        var clock = Stopwatch.StartNew();
        var features = Read<float>(args[1], checked(rows * cols));
        var labels = Read<int>(args[2], rows);
        var ml = new MLContext(seed: 0);
        var data = Load(ml, features, labels, rows, cols, binary: trainer == "lbfgs-logistic");
        var loadSeconds = clock.Elapsed.TotalSeconds;

        // The first Fit pays for compiling ML.NET's code; a fit on 200 rows first keeps that out of the timed one.
        var warmRows = Math.Min(rows, 200);
        Train(ml, trainer, Load(ml, features, labels, warmRows, cols, trainer == "lbfgs-logistic"), settings with { MaxIterations = 5 });

        clock.Restart();
        var (biases, weights) = Train(ml, trainer, data, settings);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        if (biases.Length != (classes == 2 ? 1 : classes))
        {
            throw new InvalidDataException($"the model has {biases.Length} weight rows for {classes} classes: a class without training rows?");
        }

        using (var writer = new StreamWriter(args[10]))
        {
            for (var k = 0; k < biases.Length; k++)
            {
                writer.WriteLine(string.Join(' ', new[] { biases[k] }.Concat(weights[k]).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"solver\": \"{trainer}\", \"load_s\": {loadSeconds:R}, \"train_s\": {trainSeconds:R}, \"threads\": {Environment.ProcessorCount}}}"));
        return 0;
    }

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Reads <paramref name="count"/> values of <typeparamref name="T"/> (float32 features, int32 labels) written by the script.</summary>
    private static T[] Read<T>(string path, int count)
        where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (bytes.Length != (long)count * size)
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, expected {count} {typeof(T).Name} values");
        }

        var values = new T[count];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>
    /// An in-memory view: a fixed-size float vector column and the label, a bool (binary) or the class index mapped to
    /// a key by value, so that key k (and so weight row k) is class k whatever order the rows come in.
    /// </summary>
    private static IDataView Load(MLContext ml, float[] features, int[] labels, int rows, int cols, bool binary)
    {
        var schema = SchemaDefinition.Create(binary ? typeof(BinaryRow) : typeof(MulticlassRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, cols);
        if (binary)
        {
            var items = new BinaryRow[rows];
            for (var i = 0; i < rows; i++)
            {
                items[i] = new BinaryRow { Features = features.AsSpan(i * cols, cols).ToArray(), Label = labels[i] == 1 };
            }

            return ml.Data.LoadFromEnumerable(items, schema);
        }

        var multi = new MulticlassRow[rows];
        for (var i = 0; i < rows; i++)
        {
            multi[i] = new MulticlassRow { Features = features.AsSpan(i * cols, cols).ToArray(), Label = labels[i] };
        }

        var view = ml.Data.LoadFromEnumerable(multi, schema);
        return ml.Transforms.Conversion.MapValueToKey(nameof(MulticlassRow.Label), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(view).Transform(view);
    }

    private static (float[] Biases, float[][] Weights) Train(MLContext ml, string trainer, IDataView data, Settings s) => trainer switch
    {
        "lbfgs-logistic" => Binary(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
            Lbfgs<LbfgsLogisticRegressionBinaryTrainer.Options, BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>, CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>(s)).Fit(data).Model.SubModel),
        "lbfgs-maxent" => Multiclass(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
            Lbfgs<LbfgsMaximumEntropyMulticlassTrainer.Options, MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters>(s)).Fit(data).Model),
        "sdca-maxent" => Multiclass(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
        {
            L1Regularization = s.L1,
            L2Regularization = s.L2,
            ConvergenceTolerance = s.Tolerance,
            MaximumNumberOfIterations = s.MaxIterations,
            NumberOfThreads = 1,
        }).Fit(data).Model),
        _ => throw new ArgumentException($"unknown trainer {trainer}: lbfgs-logistic, lbfgs-maxent or sdca-maxent", nameof(trainer)),
    };

    /// <summary>The settings of either L-BFGS trainer, on the options base class ML.NET's L-BFGS trainers share (dense, full-batch).</summary>
    private static TOptions Lbfgs<TOptions, TTransformer, TModel>(Settings s)
        where TOptions : LbfgsTrainerBase<TOptions, TTransformer, TModel>.OptionsBase, new()
        where TTransformer : ISingleFeaturePredictionTransformer<TModel>
        where TModel : class => new()
        {
            L1Regularization = s.L1,
            L2Regularization = s.L2,
            OptimizationTolerance = s.Tolerance,
            MaximumNumberOfIterations = s.MaxIterations,
            DenseOptimizer = true,
        };

    private static (float[] Biases, float[][] Weights) Binary(LinearBinaryModelParameters model) => ([model.Bias], [model.Weights.ToArray()]);

    private static (float[] Biases, float[][] Weights) Multiclass(MaximumEntropyModelParameters model)
    {
        VBuffer<float>[] rows = [];
        model.GetWeights(ref rows, out var classes);
        var weights = new float[classes][];
        for (var k = 0; k < classes; k++)
        {
            weights[k] = rows[k].DenseValues().ToArray();
        }

        return (model.GetBiases().ToArray(), weights);
    }

    private sealed record Settings(float L1, float L2, float Tolerance, int MaxIterations);

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class MulticlassRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
