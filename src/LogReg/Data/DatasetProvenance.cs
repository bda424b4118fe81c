using System.Security.Cryptography;
using System.Text;

namespace LogReg.Data;

/// <summary>Where a dataset came from and what was done to it since it was read.</summary>
public sealed record DatasetProvenance(string Name, string Split, IReadOnlyList<SourceFile> Files, IReadOnlyList<string> Steps)
{
    /// <summary>The provenance of split <paramref name="split"/> of dataset <paramref name="name"/> read from <paramref name="files"/>.</summary>
    public static DatasetProvenance ForFiles(string name, string split, params SourceFile[] files) =>
        new(name, split, files, []);

    /// <summary>A provenance with one more transformation step ("first 20000", "classes 2 vs 8").</summary>
    public DatasetProvenance WithStep(string step) => this with { Steps = [.. Steps, step] };

    /// <summary>The files' checksums combined into one (SHA-256 over the individual checksums in order).</summary>
    public string ContentSha256
    {
        get
        {
            if (Files.Count == 1)
            {
                return Files[0].ContentSha256;
            }

            var joined = string.Join('\n', Files.Select(f => f.ContentSha256));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(joined)));
        }
    }

    /// <summary>The file the images were read from (for errors about them), else the description.</summary>
    public string ImagesPath => Files.Count > 0 ? Files[0].Path : Description;

    /// <summary>"mnist train, first 20000, classes 2 vs 8".</summary>
    public string Description
    {
        get
        {
            var text = new StringBuilder(Name).Append(' ').Append(Split);
            foreach (var step in Steps)
            {
                text.Append(", ").Append(step);
            }

            return text.ToString();
        }
    }
}
