#!/usr/bin/env python3
"""The same training as `logreg bench`, in NumPy and in PyTorch (CPU), for side-by-side epoch timings; and an epoch of
scikit-learn's SGDClassifier (log loss, per-sample steps, one-vs-rest for softmax: its only way, so not the same steps).

MNIST pixels / 255, zero initial weights and bias, plain mini-batch SGD with the mean loss over each batch, the training
set shuffled every epoch. softmax: 10 classes, cross-entropy. logistic: digit 0 against the rest, binary cross-entropy.
Prints one JSON object per line per implementation: median/min/max epoch seconds (shuffle and every step, no
evaluation) over every timed epoch, and the test accuracy after the last epoch.
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import numpy as np


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"error: {folder}: no {name}[.gz]")


def load(folder, model):
    x_train = read_idx(find(folder, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    y_train = read_idx(find(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    x_test = read_idx(find(folder, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    y_test = read_idx(find(folder, "t10k-labels-idx1-ubyte")).astype(np.int64)
    if model == "logistic":
        y_train, y_test = (y_train == 0).astype(np.int64), (y_test == 0).astype(np.int64)
    return x_train, y_train, x_test, y_test


def numpy_run(x, y, xt, yt, model, batch, lr, epochs, seed):
    n, d = x.shape
    k = 10 if model == "softmax" else 1
    w = np.zeros((d, k), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            xb, yb = x[idx], y[idx]
            z = xb @ w + b
            if model == "softmax":
                z -= z.max(axis=1, keepdims=True)
                p = np.exp(z)
                p /= p.sum(axis=1, keepdims=True)
                p[np.arange(len(idx)), yb] -= 1
                delta = p
            else:
                delta = 1 / (1 + np.exp(-z)) - yb[:, None]
            delta /= len(idx)
            w -= lr * (xb.T @ delta)
            b -= lr * delta.sum(axis=0)
        times.append(time.perf_counter() - start)
    z = xt @ w + b
    predicted = z.argmax(axis=1) if model == "softmax" else (z[:, 0] >= 0).astype(np.int64)
    return times, float((predicted == yt).mean())


def torch_run(x, y, xt, yt, model, batch, lr, epochs, seed):
    import torch
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(seed)
    x, xt = torch.from_numpy(x), torch.from_numpy(xt)
    k = 10 if model == "softmax" else 1
    linear = torch.nn.Linear(784, k)
    torch.nn.init.zeros_(linear.weight)
    torch.nn.init.zeros_(linear.bias)
    if model == "softmax":
        y = torch.from_numpy(y)
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        y = torch.from_numpy(y).float().unsqueeze(1)
        loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(linear.parameters(), lr=lr)
    n = x.shape[0]
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            optimizer.zero_grad()
            loss = loss_fn(linear(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        z = linear(xt)
        predicted = z.argmax(dim=1).numpy() if model == "softmax" else (z[:, 0] >= 0).long().numpy()
    return times, float((predicted == yt).mean())


def sklearn_run(x, y, xt, yt, model, batch, lr, epochs, seed):
    """SGDClassifier, plain constant-step SGD on the log loss, one sample per step whatever `batch` (it has no
    mini-batches), one-vs-rest over all cores for 10 classes. An epoch is one partial_fit over the shuffled set."""
    from sklearn.linear_model import SGDClassifier
    x, xt = x.astype(np.float64), xt.astype(np.float64)  # its input type: no conversion inside the timed epochs
    clf = SGDClassifier(loss="log_loss", penalty=None, learning_rate="constant", eta0=lr, shuffle=True, random_state=seed,
                        n_jobs=os.cpu_count())
    classes = np.unique(y)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        clf.partial_fit(x, y, classes=classes)
        times.append(time.perf_counter() - start)
    return times, float((clf.predict(xt) == yt).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--model", choices=["softmax", "logistic"], default="softmax")
    parser.add_argument("--batch-size", type=int, default=128, help="0 = full batch")
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--impl", choices=["numpy", "torch", "sklearn", "both"], default="both", help="both: NumPy and PyTorch")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    x, y, xt, yt = load(args.data, args.model)
    batch = args.batch_size if args.batch_size > 0 else len(x)
    runs = {"numpy": numpy_run, "torch": torch_run, "sklearn": sklearn_run}
    for name in (["numpy", "torch"] if args.impl == "both" else [args.impl]):
        times, accuracy = runs[name](x, y, xt, yt, args.model, batch, args.lr, args.epochs, args.seed)
        print(json.dumps({
            "impl": name, "model": args.model, "batch_size": args.batch_size, "epochs_timed": len(times),
            "median_epoch_s": statistics.median(times), "min_epoch_s": min(times), "max_epoch_s": max(times),
            "test_accuracy": accuracy,
        }), flush=True)


if __name__ == "__main__":
    main()
