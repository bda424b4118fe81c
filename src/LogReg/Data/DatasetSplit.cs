namespace LogReg.Data;

/// <summary>Which part of a distributed dataset.</summary>
public enum DatasetSplit
{
    Train,
    Test,
}
