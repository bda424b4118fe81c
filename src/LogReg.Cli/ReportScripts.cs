using System.Reflection;
using LogReg.Reporting;

namespace LogReg.Cli;

/// <summary>The chart libraries embedded in this executable at build time (see LogReg.Cli.csproj), for report.html.</summary>
internal static class ReportScripts
{
    private static readonly Lazy<ReportAssets> Loaded = new(() => new ReportAssets(Read("vega.min.js"), Read("vega-lite.min.js"), Read("vega-embed.min.js")));

    public static ReportAssets Assets => Loaded.Value;

    private static string Read(string name)
    {
        var resource = "LogReg.Cli.Report." + name;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the executable was built without {resource}: rebuild it (the build runs npm ci in src/LogReg.Cli/Report)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
