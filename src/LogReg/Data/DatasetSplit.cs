namespace LogReg.Data;

/// <summary>Which part of a distributed dataset.</summary>
public enum DatasetSplit
{
    /// <summary>The training split.</summary>
    Train,
    /// <summary>The test split.</summary>
    Test,
}
