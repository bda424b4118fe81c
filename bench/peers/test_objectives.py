#!/usr/bin/env python3
"""Tests of objectives.py: each peer's own objective is a fixed multiple of LogReg's under the written mapping (on the
same weights), and the peers' solutions on small data are optima of LogReg's objective under it (its subgradient
vanishes there), while a wrong mapping leaves it far from zero. scikit-learn and LIBLINEAR parts skip when missing,
unless CI=true. Run: /usr/bin/python3 bench/peers/test_objectives.py [-v]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import objectives as obj  # noqa: E402

REQUIRED = os.environ.get("CI") == "true"


def problem(kind, n=240, d=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    classes = 1 if kind == "logistic" else 3
    truth = rng.normal(size=(classes, d))
    z = X @ truth.T + rng.normal(scale=1.0, size=(n, classes))
    y = (z[:, 0] > 0).astype(np.int64) if kind == "logistic" else z.argmax(axis=1)
    return X, y, classes


def random_weights(classes, d, seed=1):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(classes, d))
    W[:, ::3] = 0  # some exact zeros, where |w| and its subgradient differ
    return W, rng.normal(size=classes)


def require(available, why):
    if not available:
        if REQUIRED:
            raise AssertionError(f"{why}; CI=true requires it (.ci/run installs it)")
        raise unittest.SkipTest(why)


class NativeObjectivesAreMultiplesOfLogRegs(unittest.TestCase):
    """On the same weights, native = scale · F for every peer and penalty: the mapping written out in objectives.py."""

    lam, r = 3e-3, 0.4

    def check(self, native, F, scale):
        self.assertAlmostEqual(native / F, scale, delta=1e-10 * scale)

    def test_liblinear_l2_and_l1_with_the_bias_penalised(self):
        for kind in ("logistic",):
            X, y, k = problem(kind)
            W, b = random_weights(k, X.shape[1])
            for solver, penalty in ((0, "l2"), (6, "l1")):
                C = obj.liblinear_c(penalty, self.lam, len(y))
                F = obj.logreg_objective(W, b, X, y, penalty, self.lam, penalize_bias=True)
                self.check(obj.liblinear_primal(W, b, X, y, solver, C), F, obj.native_scale("liblinear", penalty, self.lam, len(y)))
                # The free-bias objective is another function: LIBLINEAR's bias penalty is not a constant factor of it.
                free = obj.logreg_objective(W, b, X, y, penalty, self.lam, penalize_bias=False)
                self.assertGreater(abs(obj.liblinear_primal(W, b, X, y, solver, C) / free - C * len(y)), 1e-6)

    def test_sklearn_every_penalty_binary_and_multinomial(self):
        for kind in ("logistic", "softmax"):
            X, y, k = problem(kind)
            W, b = random_weights(k, X.shape[1])
            for penalty in ("l2", "l1", "elasticnet"):
                params = obj.sklearn_params(penalty, self.lam, len(y), self.r)
                F = obj.logreg_objective(W, b, X, y, penalty, self.lam, self.r)
                native = obj.sklearn_primal(W, b, X, y, penalty, params["C"], params.get("l1_ratio"))
                self.check(native, F, obj.native_scale("sklearn", penalty, self.lam, len(y), self.r))

    def test_mlnet_every_penalty(self):
        for kind in ("logistic", "softmax"):
            X, y, k = problem(kind)
            W, b = random_weights(k, X.shape[1])
            for penalty in ("l2", "l1", "elasticnet"):
                l1, l2 = obj.mlnet_params(penalty, self.lam, len(y), self.r)
                F = obj.logreg_objective(W, b, X, y, penalty, self.lam, self.r)
                self.check(obj.mlnet_objective(W, b, X, y, l1, l2), F, 1.0)

    def test_a_wrong_mapping_does_not_agree(self):
        X, y, k = problem("logistic")
        W, b = random_weights(k, X.shape[1])
        F = obj.logreg_objective(W, b, X, y, "l2", self.lam)
        wrong_C = 1.0 / (self.lam * len(y))  # the L1 mapping used for L2: off by the ½ of ½‖w‖²
        self.assertGreater(abs(obj.sklearn_primal(W, b, X, y, "l2", wrong_C) / F - wrong_C * len(y)), 1e-3)


class ResidualIsZeroOnlyAtTheOptimum(unittest.TestCase):
    def test_gradient_matches_finite_differences(self):
        for kind in ("logistic", "softmax"):
            X, y, k = problem(kind, n=60, d=4)
            W, b = random_weights(k, 4)
            gW, gb = obj.data_gradient_sum(W, b, X, y)
            h = 1e-6
            for i in range(k):
                for j in range(4):
                    Wp, Wm = W.copy(), W.copy()
                    Wp[i, j] += h
                    Wm[i, j] -= h
                    numeric = (obj.data_loss_sum(Wp, b, X, y) - obj.data_loss_sum(Wm, b, X, y)) / (2 * h)
                    self.assertAlmostEqual(gW[i, j], numeric, delta=1e-5 * max(1, abs(numeric)))
                bp, bm = b.copy(), b.copy()
                bp[i] += h
                bm[i] -= h
                numeric = (obj.data_loss_sum(W, bp, X, y) - obj.data_loss_sum(W, bm, X, y)) / (2 * h)
                self.assertAlmostEqual(gb[i], numeric, delta=1e-5 * max(1, abs(numeric)))

    def test_random_weights_are_not_optimal(self):
        X, y, k = problem("logistic")
        W, b = random_weights(k, X.shape[1])
        self.assertGreater(obj.optimality_residual(W, b, X, y, "l1", 1e-2), 1e-2)


class PeerSolutionsAreLogRegOptima(unittest.TestCase):
    """Fitted with the mapped parameters, each peer lands on a point where LogReg's objective has a zero (sub)gradient;
    with the parameter off by 2x it does not."""

    lam, r, tight = 2e-2, 0.5, 1e-5

    def sklearn(self):
        try:
            from sklearn.linear_model import LogisticRegression
        except ImportError:
            LogisticRegression = None
        require(LogisticRegression is not None, "scikit-learn is not installed (Debian python3-sklearn)")
        return LogisticRegression

    def test_sklearn_lbfgs_and_saga(self):
        LogisticRegression = self.sklearn()
        cases = [("logistic", "l2", "lbfgs"), ("softmax", "l2", "lbfgs"), ("logistic", "l1", "saga"), ("logistic", "elasticnet", "saga"),
                 ("softmax", "l1", "saga")]
        for kind, penalty, solver in cases:
            with self.subTest(kind=kind, penalty=penalty, solver=solver):
                X, y, _ = problem(kind)
                params = obj.sklearn_params(penalty, self.lam, len(y), self.r)
                extra = {"multi_class": "multinomial"} if kind == "softmax" else {}
                fit = LogisticRegression(penalty=penalty, solver=solver, tol=1e-12, max_iter=100000, **params, **extra).fit(X, y)
                residual = obj.optimality_residual(fit.coef_, fit.intercept_, X, y, penalty, self.lam, self.r)
                self.assertLess(residual, self.tight)
                # The same weights under twice the λ: not an optimum, so the residual above measures the mapping.
                self.assertGreater(obj.optimality_residual(fit.coef_, fit.intercept_, X, y, penalty, 2 * self.lam, self.r), 10 * self.tight)

    def test_liblinear_s0_and_s6_with_the_bias_penalised(self):
        exe = shutil.which("liblinear-train")
        require(exe is not None, "liblinear-train is not installed (Debian liblinear-tools)")
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from optimum import read_liblinear_model
        X, y, _ = problem("logistic", d=6)
        with tempfile.TemporaryDirectory() as work:
            train, model = os.path.join(work, "train.txt"), os.path.join(work, "model")
            with open(train, "w") as f:
                for row, label in zip(X, y):
                    f.write(f"{label} " + " ".join(f"{j + 1}:{v:.17g}" for j, v in enumerate(row)) + "\n")
            for solver, penalty in ((0, "l2"), (6, "l1")):
                with self.subTest(solver=solver):
                    C = obj.liblinear_c(penalty, self.lam, len(y))
                    subprocess.run([exe, "-s", str(solver), "-c", repr(C), "-B", "1", "-e", "1e-10", "-q", train, model], check=True)
                    W, b = read_liblinear_model(model, 2, features=X.shape[1])
                    self.assertLess(obj.optimality_residual(W, b, X, y, penalty, self.lam, penalize_bias=True), self.tight)
                    self.assertGreater(obj.optimality_residual(W, b, X, y, penalty, 2 * self.lam, penalize_bias=True), 10 * self.tight)
                    # LIBLINEAR's -B 1 bias is a penalised weight: with the bias free this is not the optimum.
                    self.assertGreater(obj.optimality_residual(W, b, X, y, penalty, self.lam, penalize_bias=False), 10 * self.tight)


if __name__ == "__main__":
    unittest.main()
