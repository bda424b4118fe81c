using System.Globalization;

namespace LogReg.Data;

/// <summary>Pairs images with labels into a <see cref="Dataset"/>, checking that they belong together.</summary>
public static class DatasetBuilder
{
    /// <summary>
    /// Combines <paramref name="images"/> and <paramref name="labels"/>: the counts must agree and every label must name a
    /// class. Without <paramref name="classNames"/> the classes are numbered 0..max label.
    /// </summary>
    public static Dataset FromArrays(
        ImageArray images,
        LabelArray labels,
        IReadOnlyList<string>? classNames,
        string name,
        string split,
        ChecksumStatus imagesChecksum = ChecksumStatus.Unknown,
        ChecksumStatus labelsChecksum = ChecksumStatus.Unknown)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Count != labels.Count)
        {
            throw new LogRegDataException(
                labels.Path,
                string.Create(CultureInfo.InvariantCulture, $"holds {labels.Count} labels but {images.Path} holds {images.Count} images; they must pair one to one"));
        }

        var max = -1;
        for (var i = 0; i < labels.Labels.Length; i++)
        {
            var label = labels.Labels[i];
            if (label < 0)
            {
                throw new LogRegDataException(labels.Path, string.Create(CultureInfo.InvariantCulture, $"label {label} at index {i} is negative"));
            }

            if (classNames is not null && label >= classNames.Count)
            {
                throw new LogRegDataException(
                    labels.Path,
                    string.Create(CultureInfo.InvariantCulture, $"label {label} at index {i} is outside 0..{classNames.Count - 1} ({classNames.Count} classes)"));
            }

            max = Math.Max(max, label);
        }

        var names = classNames ?? Dataset.NumberedClassNames(max + 1);
        var provenance = DatasetProvenance.ForFiles(
            name,
            split,
            new SourceFile(images.Path, images.ContentSha256, imagesChecksum),
            new SourceFile(labels.Path, labels.ContentSha256, labelsChecksum));
        return new Dataset(images.Pixels, labels.Labels, images.Shape, names, provenance);
    }
}
