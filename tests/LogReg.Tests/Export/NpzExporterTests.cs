using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LogReg.Core;
using LogReg.Export;
using LogReg.Preprocessing;

namespace LogReg.Tests.Export;

public sealed class NpzExporterTests
{
    /// <summary>Reads one .npy entry: the header dict and the data bytes.</summary>
    private static (string Header, byte[] Data) ReadEntry(byte[] npz, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(npz), ZipArchiveMode.Read);
        using var stream = zip.GetEntry(name + ".npy")!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        return (Encoding.ASCII.GetString(bytes, 10, headerLength), bytes[(10 + headerLength)..]);
    }

    private static float[] Floats(byte[] data) =>
        Enumerable.Range(0, data.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4))).ToArray();

    [Theory]
    [InlineData(ModelKind.Softmax, 4)]
    [InlineData(ModelKind.OneVsRest, 4)]
    [InlineData(ModelKind.Logistic, 1)]
    public void The_npz_holds_the_model_weights_intercept_classes_and_scaling_in_numpy_format(ModelKind kind, int rows)
    {
        var model = ExportTestModels.Train(kind, ScalingKind.ZScore, fitIntercept: true);

        var npz = NpzExporter.Serialize(model);

        using (var zip = new ZipArchive(new MemoryStream(npz), ZipArchiveMode.Read))
        {
            string[] expected = ["coef.npy", "intercept.npy", "classes.npy", "scaler_offset.npy", "scaler_scale.npy", "kind.npy", "image_shape.npy", .. kind == ModelKind.Logistic ? new[] { "threshold.npy" } : []];
            Assert.Equal(expected, zip.Entries.Select(e => e.FullName));
        }

        var coef = ReadEntry(npz, "coef");
        Assert.Equal($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, 16), }}", coef.Header.TrimEnd());
        Assert.EndsWith("\n", coef.Header, StringComparison.Ordinal);
        Assert.Equal(model.Model.Weights.ToArray(), Floats(coef.Data));
        var intercept = ReadEntry(npz, "intercept");
        Assert.Equal($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows},), }}", intercept.Header.TrimEnd());
        Assert.Equal(model.Model.Bias.ToArray(), Floats(intercept.Data));
        Assert.Equal(model.Scaler.Offset, Floats(ReadEntry(npz, "scaler_offset").Data));
        Assert.Equal(model.Scaler.Scale, Floats(ReadEntry(npz, "scaler_scale").Data));
        var classes = ReadEntry(npz, "classes");
        Assert.Equal($"{{'descr': '<U1', 'fortran_order': False, 'shape': ({model.ClassNames.Count},), }}", classes.Header.TrimEnd());
        Assert.Equal(string.Concat(model.ClassNames), Encoding.UTF32.GetString(classes.Data));
    }

    [Fact]
    public void Class_names_of_any_length_and_script_are_utf32_padded_to_the_longest()
    {
        var npy = NpyFormat.Strings(["お", "T-shirt/top", "𝔘"], 3);

        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8));
        Assert.StartsWith("{'descr': '<U11', 'fortran_order': False, 'shape': (3,), }", Encoding.ASCII.GetString(npy, 10, headerLength), StringComparison.Ordinal);
        var data = npy[(10 + headerLength)..];
        Assert.Equal(3 * 11 * 4, data.Length);
        Assert.Equal(0x304A, BinaryPrimitives.ReadInt32LittleEndian(data));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4)));
        Assert.Equal(0x1D518, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(2 * 11 * 4)));
    }

    [Fact]
    public void Shapes_that_do_not_match_the_values_are_refused_and_a_scalar_has_the_empty_shape()
    {
        Assert.Throws<ArgumentException>(() => NpyFormat.Float32([1f, 2f, 3f], 2, 2));
        var scalar = NpyFormat.Float64([0.5]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(scalar.AsSpan(8));
        Assert.Equal(10 + headerLength + 8, scalar.Length);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", Encoding.ASCII.GetString(scalar, 10, headerLength).TrimEnd());
        Assert.Equal(0.5, BinaryPrimitives.ReadDoubleLittleEndian(scalar.AsSpan(10 + headerLength)));
    }

    [Fact]
    public void The_same_model_gives_the_same_bytes()
    {
        var model = ExportTestModels.Train(ModelKind.Softmax, ScalingKind.MinMax, fitIntercept: false);

        Assert.Equal(NpzExporter.Serialize(model), NpzExporter.Serialize(model));
    }
}
