using System.IO.Compression;
using LogReg.Models;

namespace LogReg.Export;

/// <summary>
/// Writes a trained model's numbers as a NumPy .npz archive shaped like scikit-learn's LogisticRegression attributes:
/// <list type="bullet">
/// <item><c>coef</c>: float32 (rows × features), one row per class, or one row for a binary (logistic) model, whose
/// score is that of the second class, as scikit-learn's coef_.</item>
/// <item><c>intercept</c>: float32 (rows,), all zero when the model was trained without an intercept.</item>
/// <item><c>classes</c>: the class names, a Unicode string array (classes,).</item>
/// <item><c>scaler_offset</c>, <c>scaler_scale</c>: float32 (features,), the fitted scaling of raw 0..255 pixels:
/// <c>features = (pixels - scaler_offset) * scaler_scale</c> (so scaler_scale is 1/std for zscore, 1/range for minmax,
/// 1/255 for divide255, 0 for a constant pixel).</item>
/// <item><c>kind</c>: 'softmax', 'ovr' or 'logistic' (a 0-d string array); <c>image_shape</c>: int64 (2,), height and
/// width; <c>threshold</c> (logistic only): float64, the probability of the second class at or above which it is
/// predicted.</item>
/// </list>
/// Scores are <c>features @ coef.T + intercept</c>; the class is the first index of the highest score (softmax, ovr)
/// or score ≥ log(threshold / (1 − threshold)) (logistic).
/// </summary>
public static class NpzExporter
{
    /// <summary>A fixed time for every entry, so that the same model gives the same bytes.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the model to <paramref name="path"/> as a NumPy .npz archive.</summary>
    public static void Save(TrainedModel model, string path)
    {
        var bytes = Serialize(model);
        ExportTarget.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes the model to <paramref name="stream"/> as a NumPy .npz archive.</summary>
    public static void Write(TrainedModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(model));
    }

    /// <summary>The model as the bytes of a NumPy .npz archive.</summary>
    public static byte[] Serialize(TrainedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = model.Model;
        var features = m.FeatureCount;
        var entries = new List<(string Name, byte[] Npy)>
        {
            ("coef", NpyFormat.Float32(m.Weights, m.Outputs, features)),
            ("intercept", NpyFormat.Float32(m.Bias, m.Outputs)),
            ("classes", NpyFormat.Strings(m.ClassNames, m.ClassCount)),
            ("scaler_offset", NpyFormat.Float32(model.Scaler.Offset, features)),
            ("scaler_scale", NpyFormat.Float32(model.Scaler.Scale, features)),
            ("kind", NpyFormat.Strings([ModelFile.KindName(m.Kind)])),
            ("image_shape", NpyFormat.Int64([model.Shape.Height, model.Shape.Width], 2)),
        };
        if (m is LogisticRegressionModel logistic)
        {
            entries.Add(("threshold", NpyFormat.Float64([logistic.Threshold])));
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, npy) in entries)
            {
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(npy);
            }
        }

        return buffer.ToArray();
    }
}
