"""scikit-learn's LogisticRegression() defaults (lbfgs, C = 1) on the same cases as Defaults.cs, and the objective check.

  python3 sklearn_defaults.py DATA_DIR CASE...                 one JSON line per case (accuracy, iterations, time)
  python3 sklearn_defaults.py --objective DATA_DIR WEIGHTS_DIR CASE[:tol]...
      for each case, LogReg's fitted weights (written by Defaults.cs into WEIGHTS_DIR, with the same CASE[:tol]) and
      scikit-learn's optimum fitted with tol 1e-10 (and, for scale, scikit-learn's default fit, tol 1e-4) are put
      through one formula, the L2 objective LogReg minimises,
          f(W, b) = (1/n) Σ -log softmax(W x_i + b)[y_i] + λ ‖W‖²,  λ = 1 / (2 n C), C = 1,
      which is scikit-learn's C Σ loss + ½ ‖W‖² divided by C n; prints both values and their relative difference.

A CASE is dataset:rows:pool: the first `rows` training images, pixels / 255, each pool x pool block averaged; pool may be
written pool@crop to take the central crop x crop square first (3@24: 28x28 -> central 24x24 -> 8x8).
Every case uses max_iter=10000 so lbfgs runs to its convergence test (scikit-learn's default max_iter=100 stops short
on these sizes and warns).
"""
import gzip
import json
import os
import struct
import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def features(images, pool, rows, crop=None):
    images = images[:rows].astype(np.float32)
    if crop is not None:
        # the central crop x crop square (28 -> 24 drops 2 pixels on each side), so that pool divides it
        margin = (images.shape[1] - crop) // 2
        images = images[:, margin:margin + crop, margin:margin + crop]
    n, h, w = images.shape
    side = h // pool
    pooled = images.reshape(n, side, pool, side, pool).sum(axis=(2, 4)) / np.float32(255 * pool * pool)
    return pooled.reshape(n, side * side).astype(np.float64)


def load(data_dir, case):
    dataset, rows, pool = case.split(":")[:3]
    pool, _, crop = pool.partition("@")
    rows, pool, crop = int(rows), int(pool), (int(crop) if crop else None)
    folder = os.path.join(data_dir, dataset)
    x = features(read_idx(os.path.join(folder, "train-images-idx3-ubyte.gz")), pool, rows, crop)
    y = read_idx(os.path.join(folder, "train-labels-idx1-ubyte.gz"))[: x.shape[0]]
    tx = features(read_idx(os.path.join(folder, "t10k-images-idx3-ubyte.gz")), pool, 10**9, crop)
    ty = read_idx(os.path.join(folder, "t10k-labels-idx1-ubyte.gz"))
    return x, y, tx, ty


def objective(x, y, weights, intercept, lam):
    z = x @ weights.T + intercept
    z -= z.max(axis=1, keepdims=True)
    log_softmax = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -log_softmax[np.arange(len(y)), y].mean() + lam * (weights ** 2).sum()


def main(argv):
    if argv[0] == "--objective":
        data_dir, weights_dir, cases = argv[1], argv[2], argv[3:]
        optima = {}
        for case in cases:
            parts = case.split(":")
            data = ":".join(parts[:3])
            x, y, _, _ = load(data_dir, data)
            lam = 1.0 / (2 * len(y))
            if data not in optima:
                # The reference optimum (tol 1e-10), and where scikit-learn's own default (tol 1e-4) stops, for scale.
                start = time.time()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tight = LogisticRegression(tol=1e-10, max_iter=100000).fit(x, y)
                seconds = round(time.time() - start, 1)
                default = LogisticRegression(max_iter=10000).fit(x, y)
                f_opt = objective(x, y, tight.coef_, tight.intercept_, lam)
                f_default = objective(x, y, default.coef_, default.intercept_, lam)
                optima[data] = f_opt
                print(json.dumps({"case": data, "sklearn_objective": f_opt, "sklearn_iterations": int(tight.n_iter_[0]),
                                  "sklearn_seconds": seconds, "sklearn_default_objective": f_default,
                                  "sklearn_default_relative_difference": (f_default - f_opt) / f_opt,
                                  "sklearn_default_iterations": int(default.n_iter_[0])}), flush=True)
            name = "_".join(parts[:3]) + ("_tol" + parts[3] if len(parts) > 3 else "")
            ours = np.loadtxt(os.path.join(weights_dir, name + ".csv"), delimiter=",", ndmin=2)
            f_ours = objective(x, y, ours[:, 1:], ours[:, 0], lam)
            print(json.dumps({"case": case, "logreg_objective": f_ours, "sklearn_objective": optima[data],
                              "relative_difference": (f_ours - optima[data]) / optima[data]}), flush=True)
        return

    data_dir, cases = argv[0], argv[1:]
    for case in cases:
        x, y, tx, ty = load(data_dir, case)
        start = time.time()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = LogisticRegression(max_iter=10000).fit(x, y)
        seconds = time.time() - start
        print(json.dumps({"case": case, "rows": len(y), "features": x.shape[1], "iterations": int(model.n_iter_[0]),
                          "converged": not any("converge" in str(w.message) for w in caught),
                          "seconds": round(seconds, 2), "train_accuracy": round(model.score(x, y), 4),
                          "test_accuracy": round(model.score(tx, ty), 4)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
