using System.Globalization;
using System.Text;

namespace LogReg.Data;

/// <summary>
/// Reads images from CSV in the Kaggle layout: one image per line, the label first, then the pixels (0..255) in row-major
/// order. A header line is optional (recognised by a non-numeric first cell). Errors give the line and column.
/// </summary>
internal static class CsvDatasetReader
{
    /// <summary>Reads <paramref name="path"/> (plain or gzip). Without <paramref name="shape"/>, a square pixel count gives a square image.</summary>
    public static Dataset Read(string path, ImageShape? shape = null, IReadOnlyList<string>? classNames = null, string name = "csv", string split = "data")
    {
        var (images, labels) = ReadArrays(path, shape, classNames);
        return DatasetBuilder.FromArrays(images, labels, classNames, name, split);
    }

    public static (ImageArray Images, LabelArray Labels) ReadArrays(string path, ImageShape? shape = null, IReadOnlyList<string>? classNames = null)
    {
        using var file = DataFile.OpenRead(path);
        using var content = DataFile.OpenContent(file, out _, path);
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

        var pixels = new MemoryStream();
        var labels = new List<int>();
        var expectedColumns = -1;
        string? line;
        byte[]? row = null;
        var available = Math.Min(DataFile.AvailableMemoryBytes(), Array.MaxLength);
        var lines = new BoundedLineReader(reader, path);
        while ((line = lines.ReadDataLine(out var lineNumber)) is not null)
        {

            var columns = CountColumns(line);
            if (expectedColumns < 0)
            {
                if (columns < 2)
                {
                    throw Error(path, lineNumber, null, $"found {columns} column; expected a label column and at least one pixel column");
                }

                if (columns - 1 > Common.Limits.MaxFeatures)
                {
                    throw Error(path, lineNumber, null, string.Create(CultureInfo.InvariantCulture, $"found {columns - 1} pixel columns, more than the limit of {Common.Limits.MaxFeatures} pixels per image"));
                }

                expectedColumns = columns;
                if (shape is { } s && s.PixelCount != columns - 1)
                {
                    throw Error(path, lineNumber, null, $"rows have {columns - 1} pixel columns but the image shape {s} needs {s.PixelCount}");
                }

                row = new byte[columns - 1];
                if (lineNumber == 1 && !LooksNumeric(FirstCell(line)))
                {
                    continue; // a header line
                }
            }

            if (columns != expectedColumns)
            {
                throw Error(path, lineNumber, null, $"expected {expectedColumns} columns (label + {expectedColumns - 1} pixels), found {columns}");
            }

            labels.Add(ParseRow(line, row!, path, lineNumber, classNames));
            if (pixels.Length + row!.Length > available)
            {
                DataFile.EnsureAllocatable(path, pixels.Length + row.Length, "the images read so far");
                throw new LogRegDataException(path, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: the images would take more than the {Common.Invariant.Bytes(available)} LogReg holds in memory"));
            }

            pixels.Write(row);
        }

        if (labels.Count == 0)
        {
            throw new LogRegDataException(path, "holds no data rows");
        }

        var pixelCount = expectedColumns - 1;
        var imageShape = shape ?? ImageShape.FromPixelCount(pixelCount);
        var data = pixels.ToArray();
        var labelArray = labels.ToArray();
        var images = new ImageArray(path, data, labels.Count, imageShape, IdxFormat.ContentSha256([labels.Count, imageShape.Height, imageShape.Width], data));
        return (images, new LabelArray(path, labelArray, IdxFormat.LabelsSha256(labelArray)));
    }

    /// <summary>
    /// Lines of at most <see cref="Common.Limits.MaxCsvLineLength"/> characters: StreamReader.ReadLine would hold a
    /// gigabyte without a line break in memory before the column count could refuse it.
    /// </summary>
    internal sealed class BoundedLineReader(StreamReader reader, string path, string what = "pixels")
    {
        private readonly char[] _buffer = new char[1 << 16];
        private readonly System.Text.StringBuilder _line = new();
        private int _start;
        private int _end;
        private int _number;

        /// <summary>
        /// The next line that holds data and its number (from 1), or null at the end: blank lines may end the file but
        /// not stand inside the data.
        /// </summary>
        public string? ReadDataLine(out int number)
        {
            var blank = 0;
            string? line;
            while ((line = ReadLine()) is not null)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    blank = blank == 0 ? _number : blank;
                    continue;
                }

                if (blank != 0)
                {
                    throw Error(path, blank, null, "empty line inside the data");
                }

                number = _number;
                return line;
            }

            number = _number;
            return null;
        }

        public string? ReadLine()
        {
            _line.Clear();
            _number++;
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = Fill();
                    if (_end == 0)
                    {
                        return _line.Length > 0 ? _line.ToString().TrimEnd('\r') : null;
                    }
                }

                var span = _buffer.AsSpan(_start, _end - _start);
                var newline = span.IndexOf('\n');
                var take = newline < 0 ? span.Length : newline;
                if (_line.Length + take > Common.Limits.MaxCsvLineLength)
                {
                    throw Error(path, _number, null, string.Create(CultureInfo.InvariantCulture, $"longer than {Common.Limits.MaxCsvLineLength} characters (the limit for {Common.Limits.MaxFeatures} {what})"));
                }

                _line.Append(span[..take]);
                _start += newline < 0 ? take : take + 1;
                if (newline >= 0)
                {
                    return _line.ToString().TrimEnd('\r');
                }
            }
        }

        private int Fill()
        {
            try
            {
                return reader.Read(_buffer, 0, _buffer.Length);
            }
            catch (InvalidDataException e)
            {
                throw new LogRegDataException(path, DataFile.CorruptCompressedData("gzip"), e);
            }
        }
    }

    private static int ParseRow(string line, byte[] row, string path, int lineNumber, IReadOnlyList<string>? classNames)
    {
        var span = line.AsSpan();
        var column = 0;
        var label = 0;
        while (true)
        {
            var comma = span.IndexOf(',');
            var cell = (comma < 0 ? span : span[..comma]).Trim().Trim('"').Trim();
            column++;
            if (!TryParseWhole(cell, out var value))
            {
                throw Error(path, lineNumber, column, $"'{Shorten(cell)}' is not a whole number");
            }

            if (column == 1)
            {
                if (value < 0)
                {
                    throw Error(path, lineNumber, column, $"label {value} is negative");
                }

                if (value >= Common.Limits.MaxClasses)
                {
                    throw Error(path, lineNumber, column, $"label {value} is beyond the limit of {Common.Limits.MaxClasses} classes");
                }

                if (classNames is not null && value >= classNames.Count)
                {
                    throw Error(path, lineNumber, column, $"label {value} is outside 0..{classNames.Count - 1} ({classNames.Count} classes)");
                }

                label = (int)value;
            }
            else
            {
                if (value is < 0 or > 255)
                {
                    throw Error(path, lineNumber, column, $"pixel value {value} is outside 0..255");
                }

                row[column - 2] = (byte)value;
            }

            if (comma < 0)
            {
                return label;
            }

            span = span[(comma + 1)..];
        }
    }

    /// <summary>Integers, or decimals with a zero fraction ("12.0" as pandas writes floats); at most int range.</summary>
    private static bool TryParseWhole(ReadOnlySpan<char> cell, out long value)
    {
        if (long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return value is >= int.MinValue and <= int.MaxValue;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) <= int.MaxValue)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    private static int CountColumns(string line) => line.AsSpan().Count(',') + 1;

    private static ReadOnlySpan<char> FirstCell(string line)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        return (comma < 0 ? line.AsSpan() : line.AsSpan(0, comma)).Trim().Trim('"');
    }

    private static bool LooksNumeric(ReadOnlySpan<char> cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Shorten(ReadOnlySpan<char> cell) => cell.Length <= 20 ? cell.ToString() : string.Concat(cell[..17], "...");

    private static LogRegDataException Error(string path, int line, int? column, string problem) =>
        new(path, column is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"line {line}, column {c}: {problem}")
            : string.Create(CultureInfo.InvariantCulture, $"line {line}: {problem}"));
}
