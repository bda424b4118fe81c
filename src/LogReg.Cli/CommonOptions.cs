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

    /// <summary>Never download: use only data already on this machine.</summary>
    public static readonly Option<bool> NoDownload = new("--no-download")
    {
        Description = "Never download a dataset that is not found locally; fail instead",
        Recursive = true,
    };

    /// <summary>The label column of a table (a .csv file given as the dataset).</summary>
    public static readonly Option<string?> Label = new("--label")
    {
        Description = "For a table (--dataset FILE.csv): the label column's name [default: the column named 'label', else the first; for eval and predict, the model's]",
        HelpName = "NAME",
        Recursive = true,
    };

    static CommonOptions()
    {
        DataDir.AcceptLegalFilePathsOnly();
    }
}
