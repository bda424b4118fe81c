using LogReg.Common;
using System.Globalization;
using LogReg.Data;

namespace LogReg.Preprocessing;

/// <summary>Contiguous subsets in file order, as the seeds take them (the first 20,000 training images, the last 2,000 test images).</summary>
public static class Subsets
{
    /// <summary>The first <paramref name="count"/> images of <paramref name="data"/>.</summary>
    public static Dataset First(Dataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(data, count, "first");
        return data.Select(Range(0, count), string.Create(CultureInfo.InvariantCulture, $"first {count}"));
    }

    /// <summary>The last <paramref name="count"/> images of <paramref name="data"/>.</summary>
    public static Dataset Last(Dataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        Check(data, count, "last");
        return data.Select(Range(data.Count - count, count), string.Create(CultureInfo.InvariantCulture, $"last {count}"));
    }

    private static int[] Range(int start, int count) => Enumerable.Range(start, count).ToArray();

    private static void Check(Dataset data, int count, string which)
    {
        if (count < 1 || count > data.Count)
        {
            throw new InvalidSettingException(
                $"the {which}-N subset size must be in 1..{data.Count} (the images in {data.Provenance.Description}) (was {count})", nameof(count));
        }
    }
}
