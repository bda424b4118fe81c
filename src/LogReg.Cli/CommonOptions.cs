using System.CommandLine;

namespace LogReg.Cli;

/// <summary>Options shared by several commands.</summary>
public static class CommonOptions
{
    /// <summary>A folder holding datasets in sub-folders named after them; looked in first.</summary>
    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "Folder holding datasets in sub-folders named after them (mnist/, fashion-mnist/, ...); searched before $LOGREG_DATA_DIR, the cache and local installs",
        HelpName = "DIR",
        Recursive = true,
    };

    static CommonOptions()
    {
        DataDir.AcceptLegalFilePathsOnly();
    }
}
