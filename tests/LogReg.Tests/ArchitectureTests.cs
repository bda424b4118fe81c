using System.Text;
using System.Text.RegularExpressions;
using LogReg.Tests.Fixtures;

namespace LogReg.Tests;

/// <summary>
/// The library's layers, bottom first. A folder of src/LogReg is one layer and its namespace is LogReg.Folder; a file
/// may refer to its own folder and to layers with a lower rank only. Folders of equal rank are peers: they may not refer
/// to each other either. docs/ARCHITECTURE.md describes the same table; a new folder fails the test until it is added
/// here (and there), which forces the decision of where it sits.
/// </summary>
public static partial class LayerRules
{
    public static readonly IReadOnlyDictionary<string, int> Ranks = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Common"] = 0,
        ["Data"] = 1,
        ["Core"] = 2,
        ["Preprocessing"] = 3,
        ["Kernels"] = 4,
        ["Training"] = 5,
        ["Models"] = 6,
        ["Estimators"] = 7,
        ["Evaluation"] = 7,
        ["Export"] = 7,
        ["Runs"] = 8,
        ["Experiments"] = 9,
        ["Reporting"] = 10,
        ["Reproduction"] = 11,
    };

    /// <summary>One library source file: its path below src/LogReg (with '/' separators) and its text.</summary>
    public sealed record SourceFile(string RelativePath, string Text);

    /// <summary>Every problem with the layering of these files, one line each; empty when the layers hold.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<SourceFile> files) => Scan(files).Problems;

    /// <summary>Every reference between two layers these files make, as "From -> To".</summary>
    public static IReadOnlySet<string> References(IReadOnlyList<SourceFile> files) => Scan(files).References;

    private static (List<string> Problems, SortedSet<string> References) Scan(IReadOnlyList<SourceFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var problems = new List<string>();
        var references = new SortedSet<string>(StringComparer.Ordinal);
        var code = files.Select(f => (File: f, Code: CodeOnly(f.Text))).ToList();

        // The types each layer declares, so that a partly qualified name such as Models.ModelFile is seen as a reference.
        var declared = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (file, text) in code)
        {
            var layer = LayerOf(file.RelativePath);
            if (layer is null)
            {
                continue;
            }

            foreach (Match m in TypeDeclaration().Matches(text))
            {
                (declared.TryGetValue(layer, out var set) ? set : declared[layer] = []).Add(m.Groups[1].Value);
            }
        }

        foreach (var (file, text) in code)
        {
            var layer = LayerOf(file.RelativePath);
            if (layer is null)
            {
                problems.Add($"{file.RelativePath}: not in a layer folder (put it in one of {string.Join(", ", Ranks.Keys)})");
                continue;
            }

            if (!Ranks.TryGetValue(layer, out var rank))
            {
                problems.Add($"{file.RelativePath}: folder {layer} is not in the layer table; decide its rank in LayerRules.Ranks and docs/ARCHITECTURE.md");
                continue;
            }

            foreach (Match m in NamespaceDeclaration().Matches(text))
            {
                var ns = m.Groups[1].Value;
                if (ns != "LogReg." + layer && !ns.StartsWith("LogReg." + layer + ".", StringComparison.Ordinal))
                {
                    problems.Add($"{file.RelativePath}: namespace {ns} does not match its folder {layer} (LogReg.{layer})");
                }
            }

            // The namespace a file declares is not a reference; what it names inside is.
            var body = NamespaceDeclaration().Replace(text, string.Empty);
            var targets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (Match m in QualifiedName().Matches(body))
            {
                targets.Add(m.Groups[1].Value);
            }

            foreach (Match m in PartlyQualifiedName().Matches(body))
            {
                var other = m.Groups[1].Value;
                if (declared.TryGetValue(other, out var types) && types.Contains(m.Groups[2].Value))
                {
                    targets.Add(other);
                }
            }

            foreach (var target in targets.Where(t => t != layer))
            {
                references.Add($"{layer} -> {target}");
                if (!Ranks.TryGetValue(target, out var targetRank))
                {
                    // LogReg.Cli, LogReg.Tests and the like sit above the whole library.
                    problems.Add($"{file.RelativePath}: {layer} refers to LogReg.{target}, which is not a library layer below it");
                }
                else if (targetRank >= rank)
                {
                    var how = targetRank == rank ? "a peer of the same rank" : "a higher layer";
                    problems.Add($"{file.RelativePath}: {layer} (rank {rank}) refers to {target} (rank {targetRank}), {how}");
                }
            }
        }

        return (problems, references);
    }

    /// <summary>The top folder of a path below src/LogReg: its layer; null for a file at the top.</summary>
    public static string? LayerOf(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? relativePath[..slash] : null;
    }

    /// <summary>The text with comments and ordinary string and character literals blanked, so prose never counts.</summary>
    public static string CodeOnly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                sb.Append(' ');
            }
            else if (c == '"' && i + 2 < text.Length && next == '"' && text[i + 2] == '"')
            {
                var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 3;
                sb.Append("\"\"");
            }
            else if (c == '"' || c == '\'')
            {
                var verbatim = i > 0 && text[i - 1] == '@';
                i++;
                while (i < text.Length && text[i] != c)
                {
                    i += !verbatim && text[i] == '\\' ? 2 : 1;
                }

                i++;
                sb.Append(c).Append(c);
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"(?<![\w.])LogReg\.(\w+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.])(\w+)\.([A-Z]\w*)")]
    private static partial Regex PartlyQualifiedName();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^(?:public |internal )?(?:static |sealed |abstract |readonly |partial |unsafe |file )*(?:class|struct|record|enum|interface|delegate [\w<>\[\],? ]+?)\s+([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}

public sealed class ArchitectureTests
{
    [Fact]
    public void Every_library_file_sits_in_a_known_layer_and_refers_only_to_its_own_or_lower_layers()
    {
        var files = LibraryFiles();

        Assert.True(files.Count > 100, $"only {files.Count} library files found");
        Assert.Empty(LayerRules.Violations(files));
    }

    [Fact]
    public void The_scan_sees_the_references_the_library_makes_through_usings_and_qualified_names()
    {
        var references = LayerRules.References(LibraryFiles());

        // Reporting names Experiments through a using; Runs names Evaluation.ConfusionMatrix partly qualified.
        Assert.Contains("Reporting -> Experiments", references);
        Assert.Contains("Runs -> Evaluation", references);
        Assert.Contains("Kernels -> Core", references);
        Assert.DoesNotContain(references, r => r.EndsWith("-> Estimators", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_layer_in_the_table_exists_as_a_folder_except_ones_still_to_come()
    {
        var root = Path.Combine(RealData.RepositoryRoot()!, "src", "LogReg");
        var folders = Directory.EnumerateDirectories(root).Select(Path.GetFileName).Where(n => n is not ("bin" or "obj")).ToHashSet();

        Assert.All(LayerRules.Ranks.Keys.Where(k => k != "Reproduction"), layer => Assert.Contains(layer, folders));
    }

    [Fact]
    public void The_architecture_document_lists_the_layers_in_the_same_order()
    {
        var doc = File.ReadAllText(Path.Combine(RealData.RepositoryRoot()!, "docs", "ARCHITECTURE.md"));
        var listed = Regex.Matches(doc, @"^\| *\d+ *\| *`(\w+)/`", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(LayerRules.Ranks.OrderBy(r => r.Value).Select(r => r.Key), listed.Where(LayerRules.Ranks.ContainsKey));
    }

    [Fact]
    public void A_using_of_a_higher_layer_is_flagged()
    {
        var problems = LayerRules.Violations([
            new("Kernels/Bad.cs", "using LogReg.Models;\n\nnamespace LogReg.Kernels;\n\ninternal static class Bad { }\n"),
        ]);

        Assert.Equal(["Kernels/Bad.cs: Kernels (rank 4) refers to Models (rank 6), a higher layer"], problems);
    }

    [Fact]
    public void Fully_and_partly_qualified_references_upwards_are_flagged()
    {
        var problems = LayerRules.Violations([
            new("Core/A.cs", "namespace LogReg.Core;\n\ninternal static class A { public static object? X => LogReg.Reporting.HtmlReport.Y; }\n"),
            new("Training/B.cs", "namespace LogReg.Training;\n\ninternal static class B { public static object? X => Models.ModelFile.Y; }\n"),
            new("Models/ModelFile.cs", "namespace LogReg.Models;\n\npublic static class ModelFile { }\n"),
        ]);

        Assert.Equal(
            ["Core/A.cs: Core (rank 2) refers to Reporting (rank 10), a higher layer", "Training/B.cs: Training (rank 5) refers to Models (rank 6), a higher layer"],
            problems);
    }

    [Fact]
    public void Peers_of_the_same_rank_may_not_refer_to_each_other()
    {
        var problems = LayerRules.Violations([new("Export/C.cs", "using LogReg.Evaluation;\n\nnamespace LogReg.Export;\n\ninternal static class C { }\n")]);

        Assert.Equal(["Export/C.cs: Export (rank 7) refers to Evaluation (rank 7), a peer of the same rank"], problems);
    }

    [Fact]
    public void A_folder_outside_the_table_a_file_at_the_top_and_a_mismatched_namespace_are_flagged()
    {
        var problems = LayerRules.Violations([
            new("Misc/D.cs", "namespace LogReg.Misc;\n"),
            new("E.cs", "namespace LogReg;\n"),
            new("Data/F.cs", "namespace LogReg.Kernels;\n"),
            new("Kernels/G.cs", "using LogReg.Cli;\n\nnamespace LogReg.Kernels;\n"),
        ]);

        Assert.Equal(
            [
                "Misc/D.cs: folder Misc is not in the layer table; decide its rank in LayerRules.Ranks and docs/ARCHITECTURE.md",
                "E.cs: not in a layer folder (put it in one of " + string.Join(", ", LayerRules.Ranks.Keys) + ")",
                "Data/F.cs: namespace LogReg.Kernels does not match its folder Data (LogReg.Data)",
                "Kernels/G.cs: Kernels refers to LogReg.Cli, which is not a library layer below it",
            ],
            problems);
    }

    [Fact]
    public void References_downwards_to_the_same_layer_and_in_comments_or_strings_pass()
    {
        var problems = LayerRules.Violations([
            new("Models/H.cs", "using LogReg.Core;\nusing LogReg.Models;\n\nnamespace LogReg.Models.Inner;\n\n// LogReg.Reporting draws it\ninternal static class H { const string S = \"LogReg.Cli\"; }\n"),
            new("Reporting/I.cs", "using LogReg.Experiments;\nusing static LogReg.Common.Invariant;\n\nnamespace LogReg.Reporting;\n"),
        ]);

        Assert.Empty(problems);
    }

    private static List<LayerRules.SourceFile> LibraryFiles()
    {
        var root = Path.Combine(RealData.RepositoryRoot() ?? throw new DirectoryNotFoundException("no LogReg.slnx above the tests"), "src", "LogReg");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => !p.StartsWith("obj/", StringComparison.Ordinal) && !p.StartsWith("bin/", StringComparison.Ordinal))
            .Select(p => new LayerRules.SourceFile(p, File.ReadAllText(Path.Combine(root, p))))
            .ToList();
    }
}
