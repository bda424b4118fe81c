using LogReg.Tests.Fixtures;

namespace LogReg.Tests.Cli;

/// <summary>Malformed tables (CSV files with a header row) through train, eval, predict and experiment run.</summary>
public static partial class Corpus
{
    private const string TableHeader = "a,b,label\n";

    /// <summary>A valid table of three classes, two features and <paramref name="rows"/> rows.</summary>
    private static string TableRows(int rows = 9) =>
        string.Concat(Enumerable.Range(0, rows).Select(i => $"{i * 0.5},{(i * 7) % 5},{"xyz"[i % 3]}\n"));

    /// <summary>A model trained once on a valid table (features a, b; label column "label"; classes x, y, z).</summary>
    public static readonly Lazy<byte[]> ValidTableModel = new(() =>
    {
        using var folder = new TempDirectory();
        var table = folder.WriteText("t.csv", TableHeader + TableRows(12));
        var env = new Dictionary<string, string> { ["PWD"] = folder.Path, ["XDG_CACHE_HOME"] = folder.File("xdg") };
        var result = Fixtures.Cli.Run(env, "train", "--dataset", table, "--epochs", "1", "--batch-size", "4", "--out", folder.File("run"), "--no-report");
        Assert.True(result.ExitCode == 0, result.Error);
        return System.IO.File.ReadAllBytes(folder.File("run/model.json"));
    });

    /// <summary>A train run on <paramref name="text"/> as the table (gzip when the name says so), with extra arguments.</summary>
    private static CorpusCase TableCase(string name, string problem, string text, params string[] extra) =>
        Case(name, problem, f =>
        {
            var path = f.WriteText("t.csv", text);
            return new([.. f.Train(path), .. extra], path);
        });

    private static IEnumerable<CorpusCase> Tables()
    {
        var rows = TableRows().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        yield return TableCase("table: empty file", "file is empty", "");
        yield return TableCase("table: missing header row", "line 1: no header row: the first line holds only numbers", string.Concat(rows.Select(r => r.Replace("x", "1", StringComparison.Ordinal).Replace("y", "2", StringComparison.Ordinal).Replace("z", "3", StringComparison.Ordinal) + "\n")));
        yield return TableCase("table: a header and no rows", "holds a header but no data rows", TableHeader);
        yield return TableCase("table: ragged row", "line 3: found 2 columns but the header names 3", TableHeader + rows[0] + "\n1,x\n" + rows[2] + "\n");
        yield return TableCase("table: a row with an extra column", "line 2: found 4 columns but the header names 3", TableHeader + rows[0] + ",9\n");
        yield return TableCase("table: non-numeric feature", "line 3, column 'b': 'heavy' is not a number", TableHeader + rows[0] + "\n1,heavy,y\n");
        yield return TableCase("table: an empty feature cell", "line 2, column 'a': the value is missing (an empty cell)", TableHeader + ",1,x\n" + rows[1] + "\n");
        yield return TableCase("table: NaN feature", "line 2, column 'a': 'NaN' is not a finite number", TableHeader + "NaN,1,x\n" + rows[1] + "\n");
        yield return TableCase("table: infinite feature", "line 3, column 'b': '-Infinity' is not a finite number", TableHeader + rows[0] + "\n1,-Infinity,y\n");
        yield return TableCase("table: feature beyond float range", "line 2, column 'b': '1e39' is beyond the range of a 32-bit float", TableHeader + "1,1e39,x\n" + rows[1] + "\n");
        yield return TableCase("table: duplicate column names", "line 1: column name 'a' appears twice", "a,a,label\n" + string.Join('\n', rows) + "\n");
        yield return TableCase("table: a header cell without a name", "line 1: column 2 of the header has no name", "a,,label\n" + string.Join('\n', rows) + "\n");
        yield return TableCase("table: unknown --label", "no column named 'lable' for the label (did you mean 'label'?)", TableHeader + string.Join('\n', rows) + "\n", "--label", "lable");
        yield return TableCase("table: only a label column", "a table needs at least one feature column", "label\nx\ny\n");
        yield return TableCase("table: an empty label", "line 3, column 'label': the label is empty", TableHeader + rows[0] + "\n1,2,\n");
        yield return TableCase("table: an unclosed quote", "line 2: a quoted cell is not closed", TableHeader + "1,2,\"x\n" + rows[1] + "\n");
        yield return TableCase("table: an empty line inside the data", "line 3: empty line inside the data", TableHeader + rows[0] + "\n\n" + rows[1] + "\n");
        yield return TableCase("table: more distinct labels than classes allowed", "holds 1001 distinct labels, more than the limit of 1000 classes; is it a feature?", TableHeader + string.Concat(Enumerable.Range(0, 1001).Select(i => $"1,2,c{i}\n")));
        yield return Case("table: a line longer than the limit", "line 2: longer than", f =>
        {
            var path = f.Write("t.csv", System.Text.Encoding.ASCII.GetBytes(TableHeader + new string('1', global::LogReg.Common.Limits.MaxCsvLineLength + 1) + "\n"));
            return new(f.Train(path), path);
        });
        yield return Case("table: corrupt gzip", "corrupt gzip data", f =>
        {
            var path = f.Write("t.csv.gz", CorruptDeflate(IdxBytes.Gzip(System.Text.Encoding.ASCII.GetBytes(TableHeader + TableRows(40)))));
            return new(f.Train(path), path);
        });
        yield return Case("table: test file with an extra column, through train", "column 'c' is not one the model was trained on", f =>
        {
            var train = f.WriteText("t-train.csv", TableHeader + string.Join('\n', rows) + "\n");
            var test = f.WriteText("t-test.csv", "a,b,c,label\n1,2,3,x\n");
            return new(f.Train(train), test);
        });
        yield return Case("table: test file with a class the training file lacks, through train", "line 2, column 'label': label 'w' is not one of the training classes", f =>
        {
            var train = f.WriteText("t-train.csv", TableHeader + string.Join('\n', rows) + "\n");
            var test = f.WriteText("t-test.csv", TableHeader + "1,2,w\n");
            return new(f.Train(train), test);
        });
        yield return Case("table: eval file missing a feature column", "line 1: column 'b' is missing", f =>
        {
            var path = f.WriteText("new.csv", "label,a\nx,1\n");
            return new(["eval", "--model-file", f.Write("model.json", ValidTableModel.Value), "--dataset", path], path);
        });
        yield return Case("table: eval file with an extra column", "line 1: column 'd' is not one the model was trained on", f =>
        {
            var path = f.WriteText("new.csv", "b,label,a,d\n1,x,2,3\n");
            return new(["eval", "--model-file", f.Write("model.json", ValidTableModel.Value), "--dataset", path], path);
        });
        yield return Case("table: eval file without the label column", "no label column 'label' (the model's)", f =>
        {
            var path = f.WriteText("new.csv", "a,b\n1,2\n");
            return new(["eval", "--model-file", f.Write("model.json", ValidTableModel.Value), "--dataset", path], path);
        });
        yield return Case("table: predict file with a non-numeric feature", "line 2, column 'a': 'one' is not a number", f =>
        {
            var path = f.WriteText("new.csv", "a,b\none,2\n");
            return new(["predict", "--model-file", f.Write("model.json", ValidTableModel.Value), path], path);
        });
        yield return Case("table: ragged row, through experiment run", "line 3: found 1 columns but the header names 3", f =>
        {
            var path = f.WriteText("t.csv", TableHeader + rows[0] + "\n7\n");
            return new(f.ExperimentRun(f.Spec(path)), path);
        });
        yield return Case("table: model whose feature names do not match its shape", "table.feature_names has 1 names but image_shape 1x2 gives 2 features", f =>
        {
            var text = System.Text.Encoding.UTF8.GetString(ValidTableModel.Value).Replace("\"feature_names\": [\"a\",\"b\"]", "\"feature_names\": [\"a\"]", StringComparison.Ordinal);
            var path = f.WriteText("model.json", text);
            return new(["eval", "--model-file", path, "--dataset", f.WriteText("new.csv", "a,b,label\n1,2,x\n")], path);
        });
    }
}
