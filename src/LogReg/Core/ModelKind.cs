namespace LogReg.Core;

/// <summary>Which linear classifier: how scores become probabilities and which loss is minimised.</summary>
public enum ModelKind
{
    /// <summary>Binary logistic regression: one sigmoid unit; labels 0/1; binary cross-entropy.</summary>
    Logistic,

    /// <summary>Softmax (multinomial logistic) regression over K ≥ 2 classes; categorical cross-entropy.</summary>
    Softmax,

    /// <summary>One-vs-rest: K independent sigmoid units, each a binary cross-entropy; predict = argmax.</summary>
    OneVsRest,
}
