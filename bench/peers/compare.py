#!/usr/bin/env python3
"""Runs the same training in LogReg, NumPy and PyTorch in one invocation and prints per-epoch medians, ratios and test
accuracies. Rounds are interleaved (LogReg, NumPy, PyTorch, LogReg, ...) so a slow spell of a shared machine hits all
three alike; medians are over every timed epoch of every round. scikit-learn's SGDClassifier is timed beside them per
model (it steps one sample at a time, one-vs-rest for softmax: the epoch a scikit-learn user gets, not the same steps,
so its accuracy is shown but not compared).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def run(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--logreg", required=True, help="path to the logreg executable")
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--configs", default="softmax:128,softmax:0,logistic:128", help="model:batch pairs (0 = full batch)")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines too")
    parser.add_argument("--no-sklearn", action="store_true", help="leave out scikit-learn's SGDClassifier")
    args = parser.parse_args()
    data_parent = os.path.dirname(os.path.abspath(args.data.rstrip("/")))
    dataset = os.path.basename(args.data.rstrip("/"))
    rows = []
    sklearn_epochs = {}
    for config in args.configs.split(","):
        model, batch = config.split(":")
        samples = {"logreg": [], "numpy": [], "torch": []}
        accuracy = {}
        for _ in range(args.rounds):
            for record in run([args.logreg, "bench", "--json", "--data-dir", data_parent, "--dataset", dataset, "--no-download",
                               "--models", model, "--batch-sizes", batch, "--epochs", str(args.epochs), "--repeats", "1",
                               "--lr", str(args.lr)]):
                samples["logreg"].append(record["median_epoch_s"])
                accuracy["logreg"] = record["test_accuracy"]
                kernel = record["kernel"]
            for impl in ("numpy", "torch"):
                for record in run([sys.executable, os.path.join(HERE, "peers.py"), "--data", args.data, "--impl", impl,
                                   "--model", model, "--batch-size", batch, "--epochs", str(args.epochs), "--lr", str(args.lr)]):
                    samples[impl].append(record["median_epoch_s"])
                    accuracy[impl] = record["test_accuracy"]
            if not args.no_sklearn and len(sklearn_epochs.get(model, ([], 0))[0]) < args.rounds:
                for record in run([sys.executable, os.path.join(HERE, "peers.py"), "--data", args.data, "--impl", "sklearn",
                                   "--model", model, "--epochs", str(args.epochs), "--lr", str(args.lr)]):
                    times, _ = sklearn_epochs.setdefault(model, ([], 0))
                    times.append(record["median_epoch_s"])
                    sklearn_epochs[model] = (times, record["test_accuracy"])
        medians = {k: statistics.median(v) for k, v in samples.items()}
        spread = max(accuracy.values()) - min(accuracy.values())
        rows.append({
            "model": model, "batch_size": int(batch), "logreg_median_epoch_s": medians["logreg"],
            "numpy_median_epoch_s": medians["numpy"], "torch_median_epoch_s": medians["torch"],
            "numpy_over_logreg": medians["numpy"] / medians["logreg"], "torch_over_logreg": medians["torch"] / medians["logreg"],
            "test_accuracy": accuracy, "accuracies_agree": spread <= 0.005, "kernel": kernel,
        })
        if model in sklearn_epochs:
            times, sk_accuracy = sklearn_epochs[model]
            rows[-1].update({"sklearn_sgd_median_epoch_s": statistics.median(times),
                             "sklearn_sgd_over_logreg": statistics.median(times) / medians["logreg"],
                             "sklearn_sgd_test_accuracy": sk_accuracy})

    print(f"{'configuration':<18}{'LogReg':>10}{'NumPy':>10}{'PyTorch':>10}{'NumPy/LogReg':>14}{'PyTorch/LogReg':>16}   test accuracy LogReg / NumPy / PyTorch")
    for r in rows:
        batch = "full" if r["batch_size"] == 0 else f"B={r['batch_size']}"
        acc = r["test_accuracy"]
        agree = "agree" if r["accuracies_agree"] else "DIFFER by more than 0.5 %"
        print(f"{r['model'] + ' ' + batch:<18}{r['logreg_median_epoch_s'] * 1000:>8.1f}ms{r['numpy_median_epoch_s']:>9.3f}s"
              f"{r['torch_median_epoch_s']:>9.3f}s{r['numpy_over_logreg']:>13.1f}x{r['torch_over_logreg']:>15.1f}x   "
              f"{acc['logreg']:.4f} / {acc['numpy']:.4f} / {acc['torch']:.4f} ({agree})")
    if any("sklearn_sgd_median_epoch_s" in r for r in rows):
        print(f"{'configuration':<18}{'scikit-learn SGDClassifier epoch':>34}{'/LogReg':>10}   test accuracy")
        for r in rows:
            if "sklearn_sgd_median_epoch_s" in r:
                batch = "full" if r["batch_size"] == 0 else f"B={r['batch_size']}"
                print(f"{r['model'] + ' ' + batch:<18}{r['sklearn_sgd_median_epoch_s']:>33.3f}s{r['sklearn_sgd_over_logreg']:>9.1f}x   "
                      f"{r['sklearn_sgd_test_accuracy']:.4f} (per-sample steps{', one-vs-rest' if r['model'] == 'softmax' else ''})")
    print(f"Per-epoch medians over {args.rounds} rounds x {args.epochs} epochs; epoch = shuffle + every step, no evaluation; "
          f"lr {args.lr}, zero init, plain SGD, mean loss; LogReg kernel {rows[0]['kernel']}.")
    if args.json:
        for r in rows:
            print(json.dumps(r))
    if not all(r["accuracies_agree"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
