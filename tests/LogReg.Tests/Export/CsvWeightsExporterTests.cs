using System.Globalization;
using LogReg.Core;
using LogReg.Export;
using LogReg.Models;
using LogReg.Preprocessing;

namespace LogReg.Tests.Export;

public sealed class CsvWeightsExporterTests
{
    [Theory]
    [InlineData(ModelKind.Softmax)]
    [InlineData(ModelKind.OneVsRest)]
    [InlineData(ModelKind.Logistic)]
    public void One_row_per_class_then_the_scaling_rows_and_every_number_reads_back_exactly(ModelKind kind)
    {
        var model = ExportTestModels.Train(kind, ScalingKind.ZScore, fitIntercept: true);

        var lines = CsvWeightsExporter.Serialize(model).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var header = lines[0].Split(',');
        Assert.Equal(["row", "class", "intercept", "r0c0", "r0c1"], header[..5]);
        Assert.Equal("r3c3", header[^1]);
        Assert.Equal(3 + 16, header.Length);
        var m = model.Model;
        Assert.Equal(1 + m.Outputs + 2, lines.Length);
        for (var k = 0; k < m.Outputs; k++)
        {
            var cells = lines[1 + k].Split(',');
            Assert.Equal("coef", cells[0]);
            Assert.Equal(m.ClassNames[kind == ModelKind.Logistic ? 1 : k], cells[1]);
            Assert.Equal(m.Bias[k], float.Parse(cells[2], CultureInfo.InvariantCulture));
            Assert.Equal(m.WeightsOf(k).ToArray(), cells[3..].Select(c => float.Parse(c, CultureInfo.InvariantCulture)));
        }

        Assert.Equal(["scaler_offset", "", ""], lines[^2].Split(',')[..3]);
        Assert.Equal(model.Scaler.Offset, lines[^2].Split(',')[3..].Select(c => float.Parse(c, CultureInfo.InvariantCulture)));
        Assert.Equal(model.Scaler.Scale, lines[^1].Split(',')[3..].Select(c => float.Parse(c, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Class_names_with_commas_or_quotes_are_quoted()
    {
        var model = ExportTestModels.Handmade(new SoftmaxRegressionModel(new float[32], [0f, 0f], 16, ["a,b", "say \"hi\""]));

        var lines = CsvWeightsExporter.Serialize(model).Split('\n');

        Assert.StartsWith("coef,\"a,b\",0,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("coef,\"say \"\"hi\"\"\",0,", lines[2], StringComparison.Ordinal);
    }
}
