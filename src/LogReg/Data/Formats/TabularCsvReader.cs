using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LogReg.Data;

/// <summary>
/// Reads tabular data: a CSV file (plain or gzip) with a header row of column names, numeric feature columns and one
/// label column whose values (numbers or text) name the classes. Every problem is a <see cref="LogRegDataException"/>
/// naming the file, the line and the column. A table is given as a file (<c>NAME.csv</c>); a folder of CSV files is
/// images (<see cref="CsvDatasetReader"/>).
/// </summary>
public static class TabularCsvReader
{
    /// <summary>The label column taken when none is named and the header has one of this name.</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>Whether <paramref name="path"/> names a table: a <c>.csv</c> or <c>.csv.gz</c> file rather than a folder.</summary>
    public static bool IsTablePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
            && !Directory.Exists(path);
    }

    /// <summary>
    /// The test split that goes with a training table: the same file name with its last <c>train</c> replaced by
    /// <c>test</c> (<c>wine-train.csv</c> → <c>wine-test.csv</c>), as IDX and CSV image folders pair their splits; null
    /// when the name has no <c>train</c> or that file is not there.
    /// </summary>
    public static string? TestPathFor(string trainPath)
    {
        ArgumentNullException.ThrowIfNull(trainPath);
        var name = Path.GetFileName(trainPath);
        var at = name.LastIndexOf("train", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var test = Path.Combine(Path.GetDirectoryName(trainPath) ?? "", string.Concat(name.AsSpan(0, at), "test", name.AsSpan(at + 5)));
        return File.Exists(test) ? test : null;
    }

    /// <summary>The dataset name of a table: its file name without <c>.csv</c> or <c>.csv.gz</c>.</summary>
    public static string NameOf(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var suffix in new[] { ".csv.gz", ".csv" })
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    /// <summary>
    /// Reads a table with labels. The label column is <paramref name="labelColumn"/> when given (an error if the header
    /// lacks it), else the column named <c>label</c>, else the first; every other column is a feature. Class names are
    /// the distinct labels, in numeric order when every label is a number, else in ordinal text order.
    /// </summary>
    public static Dataset Read(string path, string? labelColumn = null, string split = "train")
    {
        var raw = Parse(path, header => ChooseLabel(path, header, labelColumn), requireLabel: true);
        var classNames = OrderClasses(raw.Labels!);
        if (classNames.Count > Common.Limits.MaxClasses)
        {
            throw new LogRegDataException(path, string.Create(
                CultureInfo.InvariantCulture,
                $"column '{raw.LabelColumn}' holds {classNames.Count} distinct labels, more than the limit of {Common.Limits.MaxClasses} classes; is it a feature? name the label column with --label"));
        }

        var index = classNames.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
        var labels = raw.Labels!.Select(l => index[l]).ToArray();
        var schema = new TableSchema(raw.LabelColumn!, raw.FeatureNames, classNames);
        return new Dataset(new FeatureTable(raw.Values, schema), labels, classNames, Provenance(path, split, raw.Sha256));
    }

    /// <summary>
    /// Reads a table the way a model trained on <paramref name="schema"/> needs it: the feature columns matched by name
    /// and put in the model's order, the labels mapped onto the schema's classes. A missing or extra column, or a label
    /// the training data did not have, is an error naming the file and the column or label. With
    /// <paramref name="requireLabel"/> false the label column may be absent (prediction); its labels are then all 0.
    /// </summary>
    public static Dataset ReadFor(string path, TableSchema schema, string? labelColumn = null, bool requireLabel = true, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var classNames = schema.ClassNames;
        var label = labelColumn ?? schema.LabelColumn;
        var raw = Parse(path, header => MatchColumns(path, header, schema, label, requireLabel), requireLabel);
        var index = classNames.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
        var labels = new int[raw.Rows];
        if (raw.Labels is { } texts)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (!index.TryGetValue(texts[i], out labels[i]))
                {
                    throw new LogRegDataException(path, $"line {raw.LineOf[i]}, column '{label}': label '{Shorten(texts[i])}' is not one of the training classes ({string.Join(", ", classNames.Take(12))}{(classNames.Count > 12 ? ", ..." : "")})");
                }
            }
        }

        return new Dataset(new FeatureTable(raw.Values, schema), labels, classNames, Provenance(path, split, raw.Sha256));
    }

    /// <summary>
    /// <paramref name="data"/> (another split read on its own) put into the columns and classes of
    /// <paramref name="reference"/>, the training split: the test file of a pair is matched to the training file by
    /// name, so its columns may come in another order. Images are returned unchanged.
    /// </summary>
    public static Dataset Conform(Dataset data, Dataset reference)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(reference);
        if (data.Table is null && reference.Table is null)
        {
            return data;
        }

        if (data.Table is null || reference.Table is null)
        {
            var table = data.Table is null ? reference : data;
            throw new LogRegDataException(data.Provenance.ImagesPath, $"one split is a table ({table.Provenance.ImagesPath}) and the other holds images; both splits must be tables");
        }

        return data.Table.Schema == reference.Table.Schema
            ? data
            : ReadFor(data.Provenance.ImagesPath, reference.Table.Schema, split: data.Provenance.Split);
    }

    private static DatasetProvenance Provenance(string path, string split, string sha256) =>
        DatasetProvenance.ForFiles(NameOf(path), split, new SourceFile(path, sha256));

    /// <summary>Which columns to read: the label's position (or -1) and the feature positions in the table's order.</summary>
    private readonly record struct ColumnPlan(int Label, int[] Features, string[] FeatureNames, string? LabelName);

    private sealed record RawTable(float[] Values, int Rows, string[] FeatureNames, string? LabelColumn, List<string>? Labels, List<int> LineOf, string Sha256);

    private static ColumnPlan ChooseLabel(string path, string[] header, string? labelColumn)
    {
        int label;
        if (labelColumn is not null)
        {
            label = Array.IndexOf(header, labelColumn);
            if (label < 0)
            {
                throw new LogRegDataException(path, $"no column named '{Shorten(labelColumn)}' for the label{(Common.DidYouMean.Closest(labelColumn, header) is { } close ? $" (did you mean '{Shorten(close)}'?)" : "")}; the columns are {Columns(header)}");
            }
        }
        else
        {
            label = Math.Max(0, Array.IndexOf(header, DefaultLabelColumn));
        }

        if (header.Length < 2)
        {
            throw new LogRegDataException(path, $"line 1: the header names only the label column '{Shorten(header[label])}'; a table needs at least one feature column besides it");
        }

        var features = Enumerable.Range(0, header.Length).Where(j => j != label).ToArray();
        return new ColumnPlan(label, features, features.Select(j => header[j]).ToArray(), header[label]);
    }

    private static ColumnPlan MatchColumns(string path, string[] header, TableSchema schema, string labelColumn, bool requireLabel)
    {
        var label = Array.IndexOf(header, labelColumn);
        if (label < 0 && requireLabel)
        {
            throw new LogRegDataException(path, $"no label column '{Shorten(labelColumn)}' (the model's); the columns are {Columns(header)}");
        }

        var features = new int[schema.FeatureNames.Count];
        for (var k = 0; k < features.Length; k++)
        {
            features[k] = Array.IndexOf(header, schema.FeatureNames[k]);
            if (features[k] < 0)
            {
                throw new LogRegDataException(path, $"line 1: column '{Shorten(schema.FeatureNames[k])}' is missing; the model was trained on {schema.FeatureNames.Count} feature columns ({Columns([.. schema.FeatureNames])})");
            }
        }

        var known = new HashSet<string>(schema.FeatureNames, StringComparer.Ordinal) { labelColumn };
        var extra = header.FirstOrDefault(name => !known.Contains(name));
        if (extra is not null)
        {
            throw new LogRegDataException(path, $"line 1: column '{Shorten(extra)}' is not one the model was trained on (its features: {Columns([.. schema.FeatureNames])}; label: '{labelColumn}')");
        }

        return new ColumnPlan(label, features, [.. schema.FeatureNames], label < 0 ? null : labelColumn);
    }

    private static RawTable Parse(string path, Func<string[], ColumnPlan> plan, bool requireLabel)
    {
        using var file = DataFile.OpenRead(path);
        using var content = DataFile.OpenContent(file, out _, path);
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new CsvDatasetReader.BoundedLineReader(reader, path, "features");
        var available = Math.Min(DataFile.AvailableMemoryBytes(), Array.MaxLength);

        var headerLine = lines.ReadLine();
        if (headerLine is null || string.IsNullOrWhiteSpace(headerLine))
        {
            throw new LogRegDataException(path, headerLine is null ? "holds no text" : "line 1: empty; a table starts with a header row of column names");
        }

        Hash(hash, headerLine);
        var header = SplitCells(headerLine, path, 1);
        CheckHeader(path, header);
        var columns = plan(header);
        var values = new List<float>();
        var labels = requireLabel ? new List<string>() : null;
        var lineOf = new List<int>();
        var row = new string[header.Length];
        string? line;
        while ((line = lines.ReadDataLine(out var lineNumber)) is not null)
        {

            Hash(hash, line);
            var cells = SplitCells(line, path, lineNumber, row, header.Length);
            if (cells != header.Length)
            {
                throw Error(path, lineNumber, null, string.Create(CultureInfo.InvariantCulture, $"found {cells} columns but the header names {header.Length}"));
            }

            if ((values.Count + (long)columns.Features.Length) * sizeof(float) > available)
            {
                DataFile.EnsureAllocatable(path, (values.Count + (long)columns.Features.Length) * sizeof(float), "the table read so far");
                throw Error(path, lineNumber, null, $"the table would take more than the {Common.Invariant.Bytes(available)} LogReg holds in memory");
            }

            foreach (var j in columns.Features)
            {
                values.Add(ParseFeature(row[j], path, lineNumber, header[j]));
            }

            if (labels is not null)
            {
                var label = row[columns.Label];
                if (label.Length == 0)
                {
                    throw Error(path, lineNumber, header[columns.Label], "the label is empty");
                }

                labels.Add(label);
            }

            lineOf.Add(lineNumber);
        }

        if (lineOf.Count == 0)
        {
            throw new LogRegDataException(path, "holds a header but no data rows");
        }

        return new RawTable([.. values], lineOf.Count, columns.FeatureNames, columns.LabelName, labels, lineOf, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void CheckHeader(string path, string[] header)
    {
        if (header.Length - 1 > Common.Limits.MaxFeatures)
        {
            throw Error(path, 1, null, string.Create(CultureInfo.InvariantCulture, $"the header names {header.Length} columns, more than the limit of {Common.Limits.MaxFeatures} features and a label"));
        }

        if (header.All(name => double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            throw Error(path, 1, null, "no header row: the first line holds only numbers; a table starts with a row of column names (label,feature1,feature2,...)");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < header.Length; j++)
        {
            if (header[j].Length == 0)
            {
                throw Error(path, 1, null, string.Create(CultureInfo.InvariantCulture, $"column {j + 1} of the header has no name"));
            }

            if (!seen.Add(header[j]))
            {
                throw Error(path, 1, null, $"column name '{Shorten(header[j])}' appears twice; columns are matched by name, so each needs its own");
            }
        }
    }

    private static float ParseFeature(string cell, string path, int line, string column)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(path, line, column, cell.Length == 0 ? "the value is missing (an empty cell)" : $"'{Shorten(cell)}' is not a number");
        }

        var single = (float)value;
        if (!float.IsFinite(single))
        {
            throw Error(path, line, column, double.IsNaN(value) || double.IsInfinity(value)
                ? $"'{Shorten(cell)}' is not a finite number; features must be finite"
                : $"'{Shorten(cell)}' is beyond the range of a 32-bit float (±3.4e38)");
        }

        return single;
    }

    /// <summary>
    /// Splits one line into cells (RFC 4180 quoting: a quoted cell may hold commas and doubled quotes), trimmed; into
    /// <paramref name="row"/> when given, returning the count (cells past the row's length are only counted).
    /// </summary>
    private static int SplitCells(string line, string path, int lineNumber, string[] row, int capacity)
    {
        var count = 0;
        var i = 0;
        var cell = new StringBuilder();
        while (true)
        {
            cell.Clear();
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw Error(path, lineNumber, null, "a quoted cell is not closed (quoted line breaks are not supported)");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(line[i++]);
                }

                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] is not (' ' or '\t'))
                    {
                        throw Error(path, lineNumber, null, "text after a closing quote; write a quote inside a quoted cell as \"\"");
                    }

                    i++;
                }
            }
            else
            {
                var end = line.IndexOf(',', i);
                end = end < 0 ? line.Length : end;
                cell.Append(line.AsSpan(i, end - i).TrimEnd());
                i = end;
            }

            if (count < capacity)
            {
                row[count] = cell.ToString();
            }

            count++;
            if (i >= line.Length)
            {
                return count;
            }

            i++; // the comma
        }
    }

    private static string[] SplitCells(string line, string path, int lineNumber)
    {
        var capacity = line.AsSpan().Count(',') + 1;
        var row = new string[capacity];
        var count = SplitCells(line, path, lineNumber, row, capacity);
        return row[..count];
    }

    private static List<string> OrderClasses(List<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        var numeric = distinct.Select(l => (l, ok: double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v), v)).ToList();
        return numeric.All(n => n.ok)
            ? numeric.OrderBy(n => n.v).ThenBy(n => n.l, StringComparer.Ordinal).Select(n => n.l).ToList()
            : distinct.Order(StringComparer.Ordinal).ToList();
    }

    private static void Hash(IncrementalHash hash, string line)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(line));
        hash.AppendData("\n"u8);
    }

    private static string Columns(string[] names) =>
        string.Join(", ", names.Take(12).Select(n => $"'{Shorten(n)}'")) + (names.Length > 12 ? string.Create(CultureInfo.InvariantCulture, $", ... ({names.Length} in all)") : "");

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static LogRegDataException Error(string path, int line, string? column, string problem) =>
        new(path, column is not null
            ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column '{Shorten(column)}': {problem}")
            : string.Create(CultureInfo.InvariantCulture, $"line {line}: {problem}"));
}
