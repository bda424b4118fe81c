#!/usr/bin/env python3
"""One objective for every solver, and how each peer's regularisation parameter maps onto it.

LogReg (TrainingOptions: Reduction mean, the default; Penalties.Value) minimises

    F(W, b) = (1/n) Σ_i ℓ_i(W, b) + λ2 ‖W‖² + λ1 ‖W‖₁      (+ the same terms on b with --penalize-bias)

with ℓ the natural-log cross-entropy (binary: log(1 + e^{-s·z}), s = ±1; softmax: log Σ_k e^{z_k} - z_y), and
λ2 = λ, λ1 = 0 for --penalty l2; λ1 = λ for l1; λ2 = λ(1 - r), λ1 = λ r for elasticnet with --l1-ratio r.

Each peer minimises a multiple of F under the mapping below (n = training rows); `scale` is that multiple, so
native(W, b) = scale · F(W, b) for every W, b, and the two share their minimiser:

    LIBLINEAR -s 0 (L2R_LR):  ½‖w̃‖² + C Σ ℓ_i,   C = 1/(2λn),  scale = C·n; w̃ includes the bias weight (-B 1), so
                              the bias is penalised: compare with LogReg --penalize-bias.
    LIBLINEAR -s 6 (L1R_LR):  ‖w̃‖₁ + C Σ ℓ_i,    C = 1/(λn),   scale = C·n; bias penalised likewise.
    scikit-learn LogisticRegression (intercept not penalised):
        l2:          ½‖W‖² + C Σ ℓ_i,                       C = 1/(2λn)
        l1:          ‖W‖₁ + C Σ ℓ_i,                        C = 1/(λn)
        elasticnet:  (1-ρ)/2 ‖W‖² + ρ‖W‖₁ + C Σ ℓ_i,       ρ = r/(2-r),  C = 1/(λn(2-r))    (scale = C·n)
    ML.NET L-BFGS (LbfgsLogisticRegression, LbfgsMaximumEntropy; its DifferentiableFunction and L1Optimizer, bias
    not penalised):  (1/n)(Σ ℓ_i + ½ L2 ‖W‖² + L1 ‖W‖₁),    L2 = 2nλ2,  L1 = nλ1,  scale = 1.

All arrays are float64 here whatever precision a solver kept; W is (K, d) (K = 1 for binary), b is (K,).
"""
import numpy as np


def strengths(penalty, lam, l1_ratio=0.5):
    """(λ2, λ1) of LogReg's penalty: TrainingOptions.L2Strength and L1Strength."""
    return {
        "none": (0.0, 0.0),
        "l2": (lam, 0.0),
        "l1": (0.0, lam),
        "elasticnet": (lam * (1 - l1_ratio), lam * l1_ratio),
    }[penalty]


def scores(W, b, X):
    return X @ np.asarray(W, dtype=np.float64).T + np.asarray(b, dtype=np.float64)


def data_loss_sum(W, b, X, y):
    """Σ_i ℓ_i. Binary when W has one row (y in {0, 1}), softmax otherwise (y in 0..K-1)."""
    z = scores(W, b, X)
    if z.shape[1] == 1:
        signed = np.where(np.asarray(y) == 1, 1.0, -1.0) * z[:, 0]
        return float(np.logaddexp(0.0, -signed).sum())
    top = z.max(axis=1, keepdims=True)
    log_norm = (top[:, 0] + np.log(np.exp(z - top).sum(axis=1)))
    return float((log_norm - z[np.arange(len(y)), y]).sum())


def data_gradient_sum(W, b, X, y):
    """Gradient of Σ_i ℓ_i with respect to (W, b)."""
    z = scores(W, b, X)
    if z.shape[1] == 1:
        p = 1.0 / (1.0 + np.exp(-z[:, 0]))
        delta = (p - (np.asarray(y) == 1))[:, None]
    else:
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        delta = p
    return delta.T @ X, delta.sum(axis=0)


def penalty_value(W, b, l2, l1, penalize_bias=False):
    W = np.asarray(W, dtype=np.float64)
    value = l2 * float((W * W).sum()) + l1 * float(np.abs(W).sum())
    if penalize_bias:
        b = np.asarray(b, dtype=np.float64)
        value += l2 * float((b * b).sum()) + l1 * float(np.abs(b).sum())
    return value


def logreg_objective(W, b, X, y, penalty, lam, l1_ratio=0.5, penalize_bias=False):
    """F(W, b): LogReg's objective with the mean reduction (its default)."""
    l2, l1 = strengths(penalty, lam, l1_ratio)
    return data_loss_sum(W, b, X, y) / len(y) + penalty_value(W, b, l2, l1, penalize_bias)


def optimality_residual(W, b, X, y, penalty, lam, l1_ratio=0.5, penalize_bias=False):
    """The largest entry of F's minimum-norm subgradient at (W, b): 0 exactly at the optimum. Where a weight is zero
    the L1 term contributes anything in [-λ1, λ1], so only the excess of |∂smooth| over λ1 counts."""
    l2, l1 = strengths(penalty, lam, l1_ratio)
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    gW, gb = data_gradient_sum(W, b, X, y)
    gW, gb = gW / len(y) + 2 * l2 * W, gb / len(y)
    if penalize_bias:
        gb = gb + 2 * l2 * b
    parts = [_subgradient(gW, W, l1)]
    parts.append(_subgradient(gb, b, l1) if penalize_bias else np.abs(gb))
    return float(max(p.max() for p in parts))


def _subgradient(g, w, l1):
    if l1 == 0:
        return np.abs(g)
    return np.where(w != 0, np.abs(g + l1 * np.sign(w)), np.maximum(np.abs(g) - l1, 0.0))


# --- The peers' parameters for LogReg's (penalty, λ, r) on n rows -------------------------------------------------

def liblinear_c(penalty, lam, n):
    """LIBLINEAR's -c: -s 0 for l2, -s 6 for l1 (it has no elastic net)."""
    if penalty == "l2":
        return 1.0 / (2 * lam * n)
    if penalty == "l1":
        return 1.0 / (lam * n)
    raise ValueError(f"LIBLINEAR has no {penalty} logistic regression")


def sklearn_params(penalty, lam, n, l1_ratio=0.5):
    """LogisticRegression's C (and l1_ratio for elasticnet)."""
    if penalty == "l2":
        return {"C": 1.0 / (2 * lam * n)}
    if penalty == "l1":
        return {"C": 1.0 / (lam * n)}
    if penalty == "elasticnet":
        return {"C": 1.0 / (lam * n * (2 - l1_ratio)), "l1_ratio": l1_ratio / (2 - l1_ratio)}
    raise ValueError(penalty)


def mlnet_params(penalty, lam, n, l1_ratio=0.5):
    """ML.NET's (L1Regularization, L2Regularization)."""
    l2, l1 = strengths(penalty, lam, l1_ratio)
    return n * l1, 2 * n * l2


# --- Each peer's own objective, written as its documentation and source state it --------------------------------

def liblinear_primal(W, b, X, y, solver, C):
    """LIBLINEAR 2.3.0 with -B 1: w̃ = (w, b) on x̃ = (x, 1). -s 0: ½‖w̃‖² + C Σ ℓ; -s 6: ‖w̃‖₁ + C Σ ℓ."""
    w = np.concatenate([np.ravel(W), np.ravel(b)])
    regulariser = 0.5 * float(w @ w) if solver == 0 else float(np.abs(w).sum())
    return regulariser + C * data_loss_sum(W, b, X, y)


def sklearn_primal(W, b, X, y, penalty, C, l1_ratio=None):
    """scikit-learn's LogisticRegression objective (its user guide): the intercept is not penalised."""
    W = np.asarray(W, dtype=np.float64)
    squares, absolutes = float((W * W).sum()), float(np.abs(W).sum())
    regulariser = {
        "l2": 0.5 * squares,
        "l1": absolutes,
        "elasticnet": None if l1_ratio is None else (1 - l1_ratio) / 2 * squares + l1_ratio * absolutes,
    }[penalty]
    return regulariser + C * data_loss_sum(W, b, X, y)


def mlnet_objective(W, b, X, y, l1_weight, l2_weight):
    """ML.NET's L-BFGS trainers: (Σ ℓ + ½ L2 ‖W‖²) / n from DifferentiableFunction, plus the L1Optimizer's
    (L1 / n) ‖W‖₁; biases excluded from both."""
    W = np.asarray(W, dtype=np.float64)
    n = len(y)
    return (data_loss_sum(W, b, X, y) + 0.5 * l2_weight * float((W * W).sum()) + l1_weight * float(np.abs(W).sum())) / n


def native_scale(peer, penalty, lam, n, l1_ratio=0.5):
    """The factor with native(W, b) = factor · F(W, b) under the mapping above."""
    if peer == "liblinear":
        return liblinear_c(penalty, lam, n) * n
    if peer == "sklearn":
        return sklearn_params(penalty, lam, n, l1_ratio)["C"] * n
    if peer == "mlnet":
        return 1.0
    raise ValueError(peer)
