namespace LogReg.Preprocessing;

/// <summary>How raw 0..255 pixels become features. Statistics are fitted on the training split only.</summary>
public enum ScalingKind
{
    /// <summary>Raw pixel values 0..255 (the seeds' "raw pixels").</summary>
    None,

    /// <summary>Divide by 255 into 0..1.</summary>
    Divide255,

    /// <summary>Per pixel (x − min) / (max − min) over the training split; a constant pixel gives 0.</summary>
    MinMax,

    /// <summary>Per pixel (x − mean) / std over the training split (population std); a constant pixel gives 0.</summary>
    ZScore,
}
