namespace LogReg.Data;

/// <summary>The four files of an MNIST-style dataset.</summary>
public enum DatasetFileRole
{
    /// <summary>The training images.</summary>
    TrainImages,
    /// <summary>The training labels.</summary>
    TrainLabels,
    /// <summary>The test images.</summary>
    TestImages,
    /// <summary>The test labels.</summary>
    TestLabels,
}
