using LogReg.Evaluation;

namespace LogReg.Tests.Evaluation;

public sealed class ConfusionMatrixTests
{
    [Fact]
    public void Precision_recall_and_f1_follow_their_definitions()
    {
        var m = new ConfusionMatrix(3);
        // true 0: 3 right, 1 as class 1; true 1: 2 right; true 2: 1 right, 2 as class 0.
        foreach (var (a, p) in new[] { (0, 0), (0, 0), (0, 0), (0, 1), (1, 1), (1, 1), (2, 2), (2, 0), (2, 0) })
        {
            m.Add(a, p);
        }

        Assert.Equal(9, m.Total);
        Assert.Equal(6.0 / 9, m.Accuracy, 12);
        Assert.Equal(3.0 / 5, m.Precision(0), 12);
        Assert.Equal(3.0 / 4, m.Recall(0), 12);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, m.F1(0), 12);
        Assert.Equal(1.0, m.Precision(2), 12);
        Assert.Equal(1.0 / 3, m.Recall(2), 12);
        Assert.Equal(2.0 / 3, m.RowShare(2, 0), 12);
        Assert.Equal(0, new ConfusionMatrix(2).Precision(1));
    }

    [Fact]
    public void A_matrix_written_as_csv_reads_back_with_its_class_names_even_when_they_hold_commas_and_quotes()
    {
        using var dir = new Fixtures.TempDirectory();
        var m = new ConfusionMatrix(3);
        foreach (var (a, p) in new[] { (0, 0), (0, 2), (1, 1), (2, 2), (2, 2), (2, 0) })
        {
            m.Add(a, p);
        }

        string[] names = ["T-shirt/top", "a, b", "say \"hi\""];
        var path = dir.File("confusion.csv");
        File.WriteAllText(path, m.ToCsv(names));

        var (read, readNames) = ConfusionMatrix.ReadCsv(path);

        Assert.Equal(names, readNames);
        Assert.Equal("true\\predicted,T-shirt/top,\"a, b\",\"say \"\"hi\"\"\"", File.ReadAllLines(path)[0]);
        for (var a = 0; a < 3; a++)
        {
            for (var p = 0; p < 3; p++)
            {
                Assert.Equal(m[a, p], read[a, p]);
            }
        }
    }

    [Theory]
    [InlineData("actual,0,1\n0,1,2\n1,3,4\n", "not a confusion matrix: expected a header")]
    [InlineData("true\\predicted,0,1\n0,1,2\n", "2 classes in the header but 1 rows")]
    [InlineData("true\\predicted,0,1\n0,1,2\n1,3,x\n", "line 3: 'x' is not a count")]
    [InlineData("true\\predicted,0,1\n0,1,2\n2,3,4\n", "line 3: expected class '1' and 2 counts")]
    [InlineData("true\\predicted,0,1\n0,1,-2\n1,3,4\n", "line 2: '-2' is not a count")]
    public void A_malformed_confusion_file_is_an_error_naming_the_file_and_the_problem(string content, string problem)
    {
        using var dir = new Fixtures.TempDirectory();
        var path = dir.File("confusion.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<LogReg.Data.LogRegDataException>(() => ConfusionMatrix.ReadCsv(path));

        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_table_has_a_row_per_true_class_and_the_diagonal_in_bold()
    {
        var m = new ConfusionMatrix(2);
        m.Add(0, 0);
        m.Add(0, 1);
        m.Add(1, 1);

        var markdown = new ConfusionTable("Test confusion matrix", ["cat", "a|b"], m).ToMarkdown();

        Assert.Equal(
            "Test confusion matrix (rows: true class, columns: predicted class):\n\n"
            + "| true \\ predicted | cat | a\\|b |\n| --- | ---: | ---: |\n| cat | **1** | 1 |\n| a\\|b | 0 | **1** |\n",
            markdown);
    }
}
