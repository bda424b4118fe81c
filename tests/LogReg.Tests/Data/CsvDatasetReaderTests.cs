using System.Text;
using LogReg.Data;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Data;

public sealed class CsvDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Csv(bool header, int pixels, params int[][] rows)
    {
        var text = new StringBuilder();
        if (header)
        {
            text.Append("label");
            for (var p = 0; p < pixels; p++)
            {
                text.Append(",pixel").Append(p);
            }

            text.Append('\n');
        }

        foreach (var row in rows)
        {
            text.AppendJoin(',', row).Append('\n');
        }

        return text.ToString();
    }

    private static int[] Row(int label, int pixels, int start) =>
        [label, .. Enumerable.Range(start, pixels).Select(v => v % 256)];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CsvReader_Reads_the_kaggle_layout_with_or_without_header(bool header)
    {
        var path = _dir.WriteText("train.csv", Csv(header, 784, Row(5, 784, 0), Row(0, 784, 10), Row(4, 784, 20)));

        var data = CsvDatasetReader.Read(path);

        Assert.Equal(3, data.Count);
        Assert.Equal(new ImageShape(28, 28), data.Shape);
        Assert.Equal([5, 0, 4], data.Labels.ToArray());
        Assert.Equal(6, data.ClassCount);
        Assert.Equal(10, data.Image(1)[0]);
        Assert.Equal((20 + 783) % 256, data.Image(2)[783]);
    }

    [Fact]
    public void CsvReader_Reads_gzip_and_small_images_with_class_names()
    {
        var csv = Csv(false, 64, Row(1, 64, 0), Row(2, 64, 1), Row(0, 64, 2));
        var path = _dir.Write("digits.csv.gz", IdxBytes.Gzip(Encoding.UTF8.GetBytes(csv)));

        var data = CsvDatasetReader.Read(path, classNames: ["a", "b", "c"]);

        Assert.Equal(new ImageShape(8, 8), data.Shape);
        Assert.Equal(["a", "b", "c"], data.ClassNames);
    }

    [Fact]
    public void CsvReader_Uses_a_given_shape_and_a_row_for_non_square_pixel_counts()
    {
        var path = _dir.WriteText("x.csv", Csv(false, 12, Row(0, 12, 0), Row(1, 12, 0)));

        Assert.Equal(new ImageShape(3, 4), CsvDatasetReader.Read(path, new ImageShape(3, 4)).Shape);
        Assert.Equal(new ImageShape(1, 12), CsvDatasetReader.Read(path).Shape);
    }

    [Fact]
    public void CsvReader_Accepts_windows_line_ends_and_whole_decimals()
    {
        var path = _dir.WriteText("x.csv", "label,a,b,c,d\r\n1,0.0,255,3,4\r\n0,1,2,3.0,4\r\n");

        var data = CsvDatasetReader.Read(path);

        Assert.Equal(2, data.Count);
        Assert.Equal([0, 255, 3, 4], data.Image(0).ToArray());
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "text cell", "label,a,b,c,d\n1,2,3,4,5\n1,2,x3,4,5\n", "line 3, column 3: 'x3' is not a whole number" },
        { "fraction", "1,2,3,4.5,5\n", "line 1, column 4: '4.5' is not a whole number" },
        { "short row", "1,2,3,4,5\n1,2,3,4\n", "line 2: expected 5 columns (label + 4 pixels), found 4" },
        { "long row", "label,a,b,c,d\n1,2,3,4,5\n1,2,3,4,5,6\n", "line 3: expected 5 columns (label + 4 pixels), found 6" },
        { "pixel 256", "1,2,3,4,5\n1,2,256,4,5\n", "line 2, column 3: pixel value 256 is outside 0..255" },
        { "negative pixel", "1,-1,3,4,5\n", "line 1, column 2: pixel value -1 is outside 0..255" },
        { "negative label", "-2,1,3,4,5\n", "line 1, column 1: label -2 is negative" },
        { "header only", "label,a,b,c,d\n", "holds no data rows" },
        { "one column", "7\n8\n", "line 1: found 1 column; expected a label column and at least one pixel column" },
        { "blank line inside", "1,2,3,4,5\n\n1,2,3,4,5\n", "line 2: empty line inside the data" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void CsvReader_Rejects_bad_cells_and_rows_with_line_numbers(string name, string content, string problem)
    {
        var path = _dir.WriteText(name.Replace(' ', '-') + ".csv", content);

        var error = Assert.Throws<LogRegDataException>(() => CsvDatasetReader.Read(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvReader_Rejects_labels_outside_the_class_names()
    {
        var path = _dir.WriteText("x.csv", "1,2,3,4,5\n3,2,3,4,5\n");

        var error = Assert.Throws<LogRegDataException>(() => CsvDatasetReader.Read(path, classNames: ["a", "b"]));

        Assert.Contains("line 2, column 1: label 3 is outside 0..1 (2 classes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvReader_Rejects_a_shape_that_does_not_match_the_columns()
    {
        var path = _dir.WriteText("x.csv", "1,2,3,4,5\n");

        var error = Assert.Throws<LogRegDataException>(() => CsvDatasetReader.Read(path, new ImageShape(3, 3)));

        Assert.Contains("rows have 4 pixel columns but the image shape 3x3 needs 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvReader_Reports_an_empty_file()
    {
        var path = _dir.Write("empty.csv", []);

        Assert.Contains("file is empty", Assert.Throws<LogRegDataException>(() => CsvDatasetReader.Read(path)).Message, StringComparison.Ordinal);
    }
}
