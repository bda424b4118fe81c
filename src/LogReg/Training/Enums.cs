namespace LogReg.Training;

/// <summary>How weights are updated.</summary>
public enum OptimizerKind
{
    /// <summary>Gradient descent over mini-batches (full batch when BatchSize is 0, per sample when 1), with optional momentum.</summary>
    Sgd,

    /// <summary>Limited-memory BFGS on the full batch: converges to the optimum of the (smooth) regularised objective.</summary>
    Lbfgs,

    /// <summary>
    /// Orthant-wise limited-memory quasi-Newton (OWL-QN) on the full batch: the optimum of an objective with an L1 part
    /// (L1, elastic net), with exact zeros; with no L1 part it takes the same steps as L-BFGS.
    /// </summary>
    Owlqn,

    /// <summary>Newton's method with conjugate-gradient steps and Hessian-vector products on the full batch, for smooth objectives (none, L2).</summary>
    Newton,

    /// <summary>
    /// Proximal Newton with coordinate descent over features (CDN, newGLMNET as in LIBLINEAR's -s 6) on the full batch:
    /// the optimum of an objective with an L1 part (also elastic net, L2, none), with exact zeros; binary and
    /// one-vs-rest models (softmax: OWL-QN).
    /// </summary>
    Cdn,
}

/// <summary>The weight penalty added to the objective.</summary>
public enum Penalty
{
    /// <summary>No penalty.</summary>
    None,

    /// <summary>λ‖w‖₂² (gradient 2λw), as the seeds define it.</summary>
    L2,

    /// <summary>λ‖w‖₁.</summary>
    L1,

    /// <summary>λ(r‖w‖₁ + (1 − r)‖w‖₂²) with r = L1Ratio.</summary>
    ElasticNet,
}

/// <summary>How the L1 part of a penalty is applied.</summary>
public enum L1Mode
{
    /// <summary>Soft-thresholding after each step (proximal gradient): weights become exactly zero.</summary>
    Proximal,

    /// <summary>The subgradient λ·sign(w) added to the gradient, as the seeds did: weights hover near zero.</summary>
    Subgradient,
}

/// <summary>How per-sample losses and gradients of a batch are combined.</summary>
public enum Reduction
{
    /// <summary>Average over the batch (the usual choice; learning rates transfer across batch sizes).</summary>
    Mean,

    /// <summary>Sum over the batch, as the seeds' batch updates do.</summary>
    Sum,
}

/// <summary>Initial weights.</summary>
public enum WeightInit
{
    /// <summary>Every weight and bias starts at zero.</summary>
    Zeros,

    /// <summary>Normal(0, InitStd) from the seed (seed 002 uses a standard normal).</summary>
    Normal,
}

/// <summary>What early stopping and best-model selection watch.</summary>
public enum MonitorMetric
{
    /// <summary>The loss on the validation split.</summary>
    ValidationLoss,
    /// <summary>The accuracy on the validation split.</summary>
    ValidationAccuracy,
}

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Ran every epoch.</summary>
    Completed,

    /// <summary>The monitored validation metric stopped improving for Patience epochs.</summary>
    EarlyStopped,

    /// <summary>L-BFGS met its tolerance (gradient norm or relative loss change).</summary>
    Converged,

    /// <summary>
    /// The loss became NaN or infinite, or exceeded 100 times its initial value; the best weights so far were kept.
    /// </summary>
    Diverged,

    /// <summary>Cancelled (Ctrl+C); the best weights so far were kept.</summary>
    Interrupted,

    /// <summary>Not recorded: a results file without a stop reason, or with one this LogReg does not know.</summary>
    Unknown,

    /// <summary>A per-epoch callback asked to stop; the weights of that epoch (or the best validation epoch) were kept.</summary>
    Stopped,
}
