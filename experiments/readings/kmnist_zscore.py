#!/usr/bin/env python3
"""Seed 000's z-score, read each way it can be read, on the same protocol (issue 14: the audit's open readings).

The document (sec. 3.3) scales with f(x) = (x - mu) / sigma and does not say over what mu and sigma are taken, nor on
which images they are fitted. This script runs the document's training procedure (zero weights, a constant learning
rate, shuffled mini-batches stepping by the *sum* of the batch's per-example gradients, 100 epochs, k folds keeping
each fold's best epoch by validation accuracy, that model tested on the full test set) once per reading:

  pixel-fold     per pixel, fitted on each fold's training part (LogReg's zscore, the preset's reading)
  pixel-all      per pixel, fitted on all training images before the folds are cut (the preprocessing section
                 comes before the cross-validation in sec. 3.3)
  global-fold    one mu and sigma over every pixel of the fold's training part
  global-all     one mu and sigma over every pixel of all training images
  image          each image by its own mu and sigma (x = one image)

The test images are scaled with the statistics fitted on the training images (for "image": their own). Float64
NumPy, so the numbers are this script's, not LogReg's; the pixel-fold reading is the check that the two agree.

usage: /usr/bin/python3 experiments/readings/kmnist_zscore.py DATA_DIR/kmnist-partial [pair|softmax] [folds] [lr,...] [reading,...]
"""
import gzip
import struct
import sys
import time

import numpy as np


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def scale(reading, train, others):
    """train: float64 (n, 784); returns scaled train and each of others."""
    if reading == "image":
        def per_image(x):
            mu = x.mean(axis=1, keepdims=True)
            sd = x.std(axis=1, keepdims=True)
            return (x - mu) / np.where(sd == 0, 1, sd)
        return per_image(train), [per_image(o) for o in others]
    if reading.startswith("pixel"):
        mu, sd = train.mean(axis=0), train.std(axis=0)
        sd = np.where(sd == 0, 1, sd)
    else:
        mu, sd = train.mean(), train.std()
    return (train - mu) / sd, [(o - mu) / sd for o in others]


def stratified_folds(labels, k, rng):
    fold_of = np.empty(len(labels), dtype=int)
    nxt = 0
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        rng.shuffle(members)
        for i in members:
            fold_of[i] = nxt
            nxt = (nxt + 1) % k
    return fold_of


def probabilities(x, w, binary):
    s = x @ w
    if binary:
        return 1 / (1 + np.exp(-np.clip(s[:, 0], -500, 500)))
    s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def evaluate(x, y, w, binary):
    p = probabilities(x, w, binary)
    if binary:
        q = np.clip(np.where(y == 1, p, 1 - p), 1e-15, 1)
        return float(np.mean((p >= 0.5) == (y == 1))), float(-np.mean(np.log(q)))
    q = np.clip(p[np.arange(len(y)), y], 1e-15, 1)
    return float(np.mean(p.argmax(axis=1) == y)), float(-np.mean(np.log(q)))


def train_fold(xt, yt, xv, yv, lr, batch, epochs, binary, classes, rng):
    xt = np.hstack([np.ones((len(xt), 1)), xt])
    xv = np.hstack([np.ones((len(xv), 1)), xv])
    w = np.zeros((xt.shape[1], 1 if binary else classes))
    target = yt[:, None].astype(float) if binary else np.eye(classes)[yt]
    best = (-1.0, w.copy())
    for _ in range(epochs):
        order = rng.permutation(len(xt))
        for start in range(0, len(xt), batch):
            b = order[start:start + batch]
            p = probabilities(xt[b], w, binary)
            p = p[:, None] if binary else p
            w -= lr * (xt[b].T @ (p - target[b]))  # the summed batch gradient (Algorithm 1)
        acc, _ = evaluate(xv, yv, w, binary)
        if acc > best[0]:
            best = (acc, w.copy())
    return best


def main():
    folder = sys.argv[1]
    problem = sys.argv[2] if len(sys.argv) > 2 else "pair"
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    lrs = [float(v) for v in sys.argv[4].split(",")] if len(sys.argv) > 4 else [0.1, 0.01, 0.001]
    batch, epochs = 64, 100
    images = idx(f"{folder}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64)
    labels = idx(f"{folder}/train-labels-idx1-ubyte.gz")[: len(images)].astype(int)
    test_images = idx(f"{folder}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float64)
    test_labels = idx(f"{folder}/t10k-labels-idx1-ubyte.gz").astype(int)
    pairs = {"0v6": (0, 6), "2v6": (2, 6)} if problem == "pair" else {"softmax": None}
    readings = sys.argv[5].split(",") if len(sys.argv) > 5 else ["pixel-fold", "pixel-all", "global-fold", "global-all", "image"]
    print(f"{len(images)} training images, {k} folds, batch {batch}, {epochs} epochs; mean over folds")
    print("| Problem | Reading | lr | Val accuracy | Test accuracy | Test loss | Largest |w| |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, pair in pairs.items():
        if pair is None:
            x, y, tx, ty, binary, classes = images, labels, test_images, test_labels, False, 10
        else:
            keep, tkeep = np.isin(labels, pair), np.isin(test_labels, pair)
            x, y = images[keep], (labels[keep] == pair[1]).astype(int)
            tx, ty = test_images[tkeep], (test_labels[tkeep] == pair[1]).astype(int)
            binary, classes = True, 2
        fold_of = stratified_folds(y, k, np.random.default_rng(0))
        for reading in readings:
            if reading.endswith("-all"):
                x_all, (tx_all,) = scale(reading, x, [tx])
            for lr in lrs:
                started = time.time()
                vals, tests, losses, wmax = [], [], [], []
                for f in range(k):
                    tr, va = fold_of != f, fold_of == f
                    if reading.endswith("-all"):
                        xt, xv, xs = x_all[tr], x_all[va], tx_all
                    else:
                        xt, (xv, xs) = scale(reading, x[tr], [x[va], tx])
                    val, w = train_fold(xt, y[tr], xv, y[va], lr, batch, epochs, binary, classes, np.random.default_rng(f))
                    acc, loss = evaluate(np.hstack([np.ones((len(xs), 1)), xs]), ty, w, binary)
                    vals.append(val), tests.append(acc), losses.append(loss), wmax.append(np.abs(w).max())
                print(f"| {name} | {reading} | {lr:g} | {np.mean(vals):.4f} | {np.mean(tests):.4f} ± {np.std(tests):.4f} | "
                      f"{np.mean(losses):.4f} | {np.mean(wmax):.3g} |  ({time.time() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
