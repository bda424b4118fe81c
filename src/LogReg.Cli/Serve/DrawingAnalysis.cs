using System.Globalization;
using System.Numerics;
using LogReg.Data;
using LogReg.Models;
using LogReg.Preprocessing;
using LogReg.Reporting;
using LogReg.Runs;

namespace LogReg.Cli.Serve;

/// <summary>What the Draw view shows for one drawing or image.</summary>
internal sealed record Analysis(
    string Run,
    IReadOnlyList<string> Classes,
    bool Empty,
    int? Predicted,
    IReadOnlyList<float>? Probabilities,
    string? Input,
    IReadOnlyList<byte>? InputPixels,
    IReadOnlyList<Evidence> Evidence,
    IReadOnlyList<Neighbour> Nearest,
    string? NearestNote);

/// <summary>Weight × pixel for one class: which pixels pushed towards it (red) and against it (blue).</summary>
internal sealed record Evidence(int Class, string Name, float Probability, double Score, string Image);

/// <summary>A training image of the predicted class close to the input (Euclidean distance on pixels 0..255).</summary>
internal sealed record Neighbour(int Index, double Distance, string Image);

/// <summary>
/// The Draw view's work: decode an image with the hardened reader, prepare it as MNIST's digits were, and say what a
/// run's model makes of it: probabilities, the evidence for the top classes and the nearest training examples of the
/// predicted class. Models and the training images are loaded once and kept.
/// </summary>
internal sealed class DrawingAnalysis(RunsFolder runs, ReportDataSource data)
{
    /// <summary>Decoded images larger than this are refused (an upload is at most 1 MB, but PNG compresses well).</summary>
    public const long MaxPixels = 4096L * 4096;

    public const int TopClasses = 3;
    public const int NearestCount = 5;

    // Images go out at their own size (the page enlarges them with image-rendering: pixelated): encoding PNGs 16 times
    // larger was most of a request's time.
    private const int Zoom = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTime Written, TrainedModel Model)> _models = [];
    private readonly Dictionary<string, (Dataset? Train, int[][]? ByClass, string? Problem)> _train = [];

    /// <summary>The run's model, loaded once (again when model.json changes).</summary>
    public TrainedModel Model(string run)
    {
        var directory = runs.Resolve(run, out var problem) ?? throw new ServeRequestException(400, problem);
        var path = Path.Combine(directory, RunFiles.Model);
        if (!File.Exists(path))
        {
            throw new ServeRequestException(404, $"run '{run}' has no {RunFiles.Model}");
        }

        var written = File.GetLastWriteTimeUtc(path);
        lock (_gate)
        {
            if (_models.TryGetValue(directory, out var cached) && cached.Written == written)
            {
                return cached.Model;
            }
        }

        var model = ModelFile.Load(path);
        lock (_gate)
        {
            _models[directory] = (written, model);
        }

        return model;
    }

    public Analysis Analyse(string run, byte[] image)
    {
        var model = Model(run);
        var (shape, pixels) = ImageFileReader.Decode(image, "the image", MaxPixels);
        var input = InkNormalization.LikeMnist(pixels, shape, model.Shape);
        var classes = model.ClassNames;
        if (input is null)
        {
            return new Analysis(run, classes, true, null, null, null, null, [], [], null);
        }

        var features = model.Features(input);
        var probabilities = new float[model.Model.ClassCount];
        model.Model.PredictProbabilities(features, probabilities);
        var predicted = model.Model.Predict(features);
        var top = Enumerable.Range(0, probabilities.Length).OrderByDescending(c => probabilities[c]).ThenBy(c => c).Take(TopClasses);
        var evidence = top.Select(c => EvidenceFor(model, features, c, probabilities[c])).ToList();
        var (nearest, note) = Nearest(model, input, predicted);
        return new Analysis(run, classes, false, predicted, probabilities, DataUrl(ImageFigures.Ink(input, model.Shape, Zoom)), input, evidence, nearest, note);
    }

    /// <summary>
    /// Weight × feature for class <paramref name="c"/>. A binary logistic model has one weight row, for the positive
    /// class (the second); the evidence for the first class is its negation.
    /// </summary>
    private static Evidence EvidenceFor(TrainedModel model, float[] features, int c, float probability)
    {
        var linear = model.Model;
        var row = linear.Outputs == 1 ? linear.WeightsOf(0) : linear.WeightsOf(c);
        var sign = linear.Outputs == 1 && c == 0 ? -1f : 1f;
        var values = new float[features.Length];
        double score = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = sign * row[i] * features[i];
            score += values[i];
        }

        var image = ImageFigures.Weights(values, model.Shape, ImageFigures.SymmetricScale(values), Zoom);
        return new Evidence(c, linear.ClassNames[c], probability, score, DataUrl(image));
    }

    private (IReadOnlyList<Neighbour>, string?) Nearest(TrainedModel model, byte[] input, int predicted)
    {
        var (train, byClass, problem) = TrainingImages(model);
        if (train is null || byClass is null)
        {
            return ([], problem);
        }

        var candidates = byClass[predicted];
        var best = new List<(double Distance, int Index)>(NearestCount + 1);
        foreach (var index in candidates)
        {
            var sum = SquaredDistance(train.Image(index), input);
            if (best.Count < NearestCount || sum < best[^1].Distance)
            {
                best.Add((sum, index));
                best.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Index.CompareTo(b.Index));
                if (best.Count > NearestCount)
                {
                    best.RemoveAt(best.Count - 1);
                }
            }
        }

        var neighbours = best.Select(b => new Neighbour(b.Index, Math.Sqrt(b.Distance), DataUrl(ImageFigures.Ink(train.Image(b.Index), model.Shape, Zoom)))).ToList();
        return (neighbours, null);
    }

    /// <summary>
    /// Σ (a − b)² over two images' pixels: the nearest-example search's whole cost (one pass over a class's training
    /// images per request), so it runs on vectors; the scalar loop finishes the tail and is the reference.
    /// </summary>
    internal static long SquaredDistance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"images of {a.Length} and {b.Length} pixels cannot be compared");
        }

        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Each step adds at most 4 × 255² per int lane; flushing every 1024 steps keeps the lanes far from overflow.
            var width = Vector<byte>.Count;
            var steps = 0;
            var lanes = Vector<int>.Zero;
            for (; i <= a.Length - width; i += width)
            {
                Vector.Widen(new Vector<byte>(a[i..]), out var a0, out var a1);
                Vector.Widen(new Vector<byte>(b[i..]), out var b0, out var b1);
                var d0 = Vector.AsVectorInt16(a0) - Vector.AsVectorInt16(b0);
                var d1 = Vector.AsVectorInt16(a1) - Vector.AsVectorInt16(b1);
                Vector.Widen(d0, out var e0, out var e1);
                Vector.Widen(d1, out var e2, out var e3);
                lanes += (e0 * e0) + (e1 * e1) + (e2 * e2) + (e3 * e3);
                if (++steps == 1024)
                {
                    total += SumWide(lanes);
                    (lanes, steps) = (Vector<int>.Zero, 0);
                }
            }

            total += SumWide(lanes);
        }

        for (; i < a.Length; i++)
        {
            var d = a[i] - b[i];
            total += d * d;
        }

        return total;
    }

    private static long SumWide(Vector<int> lanes)
    {
        long sum = 0;
        for (var l = 0; l < Vector<int>.Count; l++)
        {
            sum += lanes[l];
        }

        return sum;
    }

    /// <summary>The model's training images, selected as in training, with each class's indices; loaded once per dataset.</summary>
    private (Dataset? Train, int[][]? ByClass, string? Problem) TrainingImages(TrainedModel model)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{model.Dataset.Name}\n{model.Dataset.TrainSha256}\n{model.Preparation}");
        lock (_gate)
        {
            if (_train.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var (train, problem) = data.For(model, DatasetSplit.Train);
            var entry = train is null
                ? (null, null, "no nearest training examples: " + problem)
                : (train, Enumerable.Range(0, train.ClassCount).Select(c => Enumerable.Range(0, train.Count).Where(i => train.Label(i) == c).ToArray()).ToArray(), (string?)null);
            _train[key] = entry;
            return entry;
        }
    }

    public static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
