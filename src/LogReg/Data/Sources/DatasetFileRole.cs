namespace LogReg.Data;

/// <summary>The four files of an MNIST-style dataset.</summary>
public enum DatasetFileRole
{
    TrainImages,
    TrainLabels,
    TestImages,
    TestLabels,
}
