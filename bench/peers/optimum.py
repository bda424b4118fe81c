#!/usr/bin/env python3
"""Time to the optimum: LogReg against LIBLINEAR, scikit-learn and ML.NET on the same data and the same objective.

Problems (MNIST, pixels / 255, the first N training images, the whole 10,000-image test split):
  binary-l2   8 against the rest, L2 λ (default 1e-4)
  softmax-l2  10 classes, multinomial, L2 λ (LIBLINEAR has no softmax: its one-vs-rest -s 0 is shown apart)
  binary-l1   8 against the rest, L1 λ (default 2e-4: about 72 % of the weights zero on 60,000 images)
  binary-en   8 against the rest, elastic net λ, l1 ratio 0.5
Every solver is run tight, its weights are read back (LogReg: `logreg export --npz`; LIBLINEAR: its model file;
scikit-learn: coef_; ML.NET: bench/peers/mlnet writes them), and one formula (objectives.py) scores them all: the
objective, its relative gap to the best solver of the same objective, test accuracy and nonzero weights. LIBLINEAR
penalises its bias (-B 1), so it is compared with LogReg --penalize-bias on that objective ("bias penalised"); the
others leave the bias free. Times: loading/parsing apart from optimisation. Prints a Markdown table.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import objectives as obj  # noqa: E402
from peers import find, read_idx  # noqa: E402

GAP = 1e-6


def load_mnist(folder):
    x = read_idx(find(folder, "train-images-idx3-ubyte")).reshape(-1, 784)
    y = read_idx(find(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    xt = read_idx(find(folder, "t10k-images-idx3-ubyte")).reshape(-1, 784)
    yt = read_idx(find(folder, "t10k-labels-idx1-ubyte")).astype(np.int64)
    return x, y, xt, yt


class Problem:
    def __init__(self, name, kind, penalty, lam, l1_ratio, rows, data, work):
        self.name, self.kind, self.penalty, self.lam, self.l1_ratio = name, kind, penalty, lam, l1_ratio
        x, y, xt, yt = data
        self.n = min(rows, len(x))
        self.pixels = x[:self.n]
        self.X = self.pixels.astype(np.float64) / 255
        self.Xt = xt.astype(np.float64) / 255
        if kind == "logistic":
            self.y, self.yt = (y[:self.n] == 8).astype(np.int64), (yt == 8).astype(np.int64)
        else:
            self.y, self.yt = y[:self.n], yt
        self.classes = 2 if kind == "logistic" else 10
        self.work = os.path.join(work, name)
        os.makedirs(self.work, exist_ok=True)
        self._libsvm = None
        self._raw = None

    def objective(self, W, b, penalize_bias):
        return obj.logreg_objective(W, b, self.X, self.y, self.penalty, self.lam, self.l1_ratio, penalize_bias)

    def accuracy(self, W, b):
        z = obj.scores(W, b, self.Xt)
        predicted = (z[:, 0] >= 0).astype(np.int64) if z.shape[1] == 1 else z.argmax(axis=1)
        return float((predicted == self.yt).mean())

    def libsvm_file(self):
        """LIBLINEAR's text input: `label index:value ...` with the nonzero pixels / 255, 1-based indices."""
        if self._libsvm is None:
            self._libsvm = os.path.join(self.work, "train.txt")
            with open(self._libsvm, "w") as f:
                for row, label in zip(self.pixels, self.y):
                    nz = np.nonzero(row)[0]
                    f.write(f"{label} " + " ".join(f"{j + 1}:{row[j] / 255:.17g}" for j in nz) + "\n")
        return self._libsvm

    def raw_files(self):
        """The ML.NET runner's input: float32 features (row-major) and int32 labels."""
        if self._raw is None:
            features, labels = os.path.join(self.work, "features.f32"), os.path.join(self.work, "labels.i32")
            self.X.astype(np.float32).tofile(features)
            self.y.astype(np.int32).tofile(labels)
            self._raw = (features, labels)
        return self._raw


def result(solver, group, W, b, load_s, opt_s, flags, note=""):
    return {"solver": solver, "group": group, "W": np.atleast_2d(np.asarray(W, dtype=np.float64)),
            "b": np.atleast_1d(np.asarray(b, dtype=np.float64)), "load_s": load_s, "opt_s": opt_s, "flags": flags,
            "note": note}


def skipped(solver, group, why):
    return {"solver": solver, "group": group, "skipped": why}


# --- LogReg -------------------------------------------------------------------------------------------------------

def logreg_optimizers(logreg):
    out = subprocess.run([logreg, "train", "--help"], capture_output=True, text=True).stdout
    line = next((l for l in out.splitlines() if "--optimizer" in l), "")
    return {name for name in ("sgd", "lbfgs", "newton", "owlqn", "cdn") if name in line}


def run_logreg(args, p, optimizer, penalize_bias, available):
    group = "bias penalised" if penalize_bias else "bias free"
    label = f"LogReg {optimizer}" + (" --penalize-bias" if penalize_bias else "")
    if optimizer not in available:
        return skipped(label, group, "not in this build")
    out = os.path.join(p.work, f"logreg-{optimizer}{'-pb' if penalize_bias else ''}")
    shutil.rmtree(out, ignore_errors=True)
    data_parent = os.path.dirname(os.path.abspath(args.data.rstrip("/")))
    dataset = os.path.basename(args.data.rstrip("/"))
    command = [args.logreg, "train", "--data-dir", data_parent, "--dataset", dataset, "--no-download",
               "--train-first", str(p.n), "--test-first", "1", "--optimizer", optimizer, "--penalty", p.penalty,
               "--lambda", repr(p.lam), "--out", out, "--no-report"]
    if p.kind == "logistic":
        command += ["--positive", "8"]
    if p.penalty == "elasticnet":
        command += ["--l1-ratio", repr(p.l1_ratio)]
    if penalize_bias:
        command += ["--penalize-bias"]
    tol = args.newton_tol if optimizer == "newton" and args.newton_tol else args.logreg_tol
    tight = ["--tol", repr(tol), "--loss-tol", repr(args.logreg_loss_tol), "--max-iter", "5000"]
    start = time.perf_counter()
    run = subprocess.run(command + tight, capture_output=True, text=True)
    if run.returncode == 2 and ("--tol" in run.stderr or "--loss-tol" in run.stderr):
        # An optimizer that takes other stopping options than L-BFGS's: its own defaults.
        tight = ["--max-iter", "5000"]
        start = time.perf_counter()
        run = subprocess.run(command + tight, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        return skipped(label, group, f"failed (exit {run.returncode}): {run.stderr.strip().splitlines()[-1:]}")
    with open(os.path.join(out, "metrics.json")) as f:
        metrics = json.load(f)
    npz = os.path.join(out, "model.npz")
    subprocess.run([args.logreg, "export", os.path.join(out, "model.json"), "--npz", npz], check=True, capture_output=True)
    model = np.load(npz)
    W, b = model["coef"].astype(np.float64), model["intercept"].astype(np.float64)
    # Weights apply to (pixels - offset) * scale; with divide255 that is pixels / 255, the features scored here.
    assert np.allclose(model["scaler_offset"], 0) and np.allclose(model["scaler_scale"], 1 / 255, rtol=1e-6), "not divide255"
    if p.kind == "logistic" and W.shape[0] == 2:
        W, b = W[1:] - W[:1], b[1:] - b[:1]
    r = result(label, group, W, b, wall - metrics["train_seconds"], metrics["train_seconds"], " ".join(tight[:-2] or ["(defaults)"]),
               f"{metrics['epochs_run']} iterations, {metrics['stop_reason']}")
    # LogReg's own training loss against the script's formula on its exported weights: the same objective.
    r["own_loss_gap"] = abs(metrics["train_loss"] - obj.data_loss_sum(r["W"], r["b"], p.X, p.y) / p.n)
    return r


# --- LIBLINEAR ----------------------------------------------------------------------------------------------------

def read_liblinear_model(path, classes, features=784):
    with open(path) as f:
        lines = f.read().split("\n")
    header = {}
    i = 0
    while lines[i] != "w":
        key, *values = lines[i].split()
        header[key] = values
        i += 1
    labels = [int(v) for v in header["label"]]
    rows = np.array([[float(v) for v in line.split()] for line in lines[i + 1:] if line.strip()])
    bias_value = float(header["bias"][0])
    # nr_feature is the largest index seen; pixels never lit in the training rows have no weight line: zero.
    W = np.zeros((rows.shape[1], features))
    W[:, :rows.shape[0] - 1] = rows[:-1].T
    b = rows[-1] * bias_value
    if classes == 2:
        # One weight vector, for the first label of the file: orient it to class 1.
        sign = 1.0 if labels[0] == 1 else -1.0
        return sign * W[:1], sign * b[:1]
    order = np.argsort(labels)
    return W[order], b[order]


def run_liblinear(args, p, solver):
    label = f"LIBLINEAR -s {solver}" + (" (one-vs-rest)" if p.kind != "logistic" else "")
    group = "bias penalised" if p.kind == "logistic" else "one-vs-rest (another objective)"
    exe = shutil.which("liblinear-train")
    if exe is None:
        return skipped(label, group, "liblinear-train not installed (Debian liblinear-tools)")
    if p.penalty == "elasticnet":
        return skipped(label, group, "LIBLINEAR has no elastic net")
    train = p.libsvm_file()
    c = obj.liblinear_c(p.penalty, p.lam, p.n)
    model = os.path.join(p.work, f"liblinear-s{solver}.model")
    # Parsing alone: the same command stopped at once (-e 1e9: TRON stops before its first Newton step, after one
    # gradient), the median of three.
    parse = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([exe, "-s", "0", "-c", repr(c), "-B", "1", "-e", "1e9", "-q", train, model], check=True, capture_output=True)
        parse.append(time.perf_counter() - start)
    flags = f"-s {solver} -c {c:.6g} -B 1 -e {args.liblinear_eps:g}"
    start = time.perf_counter()
    subprocess.run([exe, "-s", str(solver), "-c", repr(c), "-B", "1", "-e", repr(args.liblinear_eps), "-q", train, model],
                   check=True, capture_output=True)
    total = time.perf_counter() - start
    load = float(np.median(parse))
    W, b = read_liblinear_model(model, p.classes)
    return result(label, group, W, b, load, total - load, flags)


# --- scikit-learn -------------------------------------------------------------------------------------------------

def run_sklearn(args, p, solver):
    label = f"scikit-learn {solver}"
    group = "bias free"
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        return skipped(label, group, "scikit-learn not installed (Debian python3-sklearn)")
    if solver == "lbfgs" and p.penalty != "l2":
        return skipped(label, group, f"lbfgs has no {p.penalty}")
    if solver == "saga" and p.kind != "logistic" and args.skip_softmax_saga:
        return skipped(label, group, "skipped (--skip-softmax-saga)")
    import warnings
    params = obj.sklearn_params(p.penalty, p.lam, p.n, p.l1_ratio)
    tol = args.sklearn_tol if solver == "lbfgs" else args.saga_tol
    max_iter = args.sklearn_max_iter if solver == "lbfgs" else args.saga_max_iter
    extra = {"multi_class": "multinomial"} if p.kind != "logistic" else {}
    model = LogisticRegression(penalty=p.penalty, solver=solver, tol=tol, max_iter=max_iter, **params, **extra)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(p.X, p.y)
        elapsed = time.perf_counter() - start
    stopped = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    iterations = int(np.max(model.n_iter_))
    note = f"{iterations} iterations" + (" (hit max_iter)" if stopped else "")
    shown = ", ".join(f"{k}={v:.6g}" for k, v in params.items())
    return result(label, group, model.coef_, model.intercept_, 0.0, elapsed, f"{shown}, tol={tol:g}, max_iter={max_iter}", note)


# --- ML.NET -------------------------------------------------------------------------------------------------------

def run_mlnet(args, p, trainer):
    label = f"ML.NET {'LbfgsLogisticRegression' if trainer == 'lbfgs-logistic' else 'LbfgsMaximumEntropy'}"
    group = "bias free"
    if not args.mlnet or not os.path.exists(args.mlnet):
        return skipped(label, group, "bench/peers/mlnet not built (run.sh builds it)")
    features, labels = p.raw_files()
    l1, l2 = obj.mlnet_params(p.penalty, p.lam, p.n, p.l1_ratio)
    weights = os.path.join(p.work, f"mlnet-{trainer}.txt")
    run = subprocess.run(["dotnet", args.mlnet, trainer, features, labels, str(p.n), "784", str(p.classes), repr(l1), repr(l2),
                          repr(args.mlnet_tol), str(args.mlnet_max_iter), weights], capture_output=True, text=True)
    if run.returncode != 0:
        return skipped(label, group, f"failed (exit {run.returncode}): {run.stderr.strip().splitlines()[-1:]}")
    times = json.loads(next(l for l in run.stdout.splitlines() if l.startswith("{")))
    rows = np.loadtxt(weights, ndmin=2)
    flags = f"L1Regularization={l1:.6g}, L2Regularization={l2:.6g}, OptimizationTolerance={args.mlnet_tol:g}"
    return result(label, group, rows[:, 1:], rows[:, 0], times["load_s"], times["train_s"], flags)


# --- The table ----------------------------------------------------------------------------------------------------

def score(p, rows):
    for r in rows:
        if "skipped" in r:
            continue
        penalize = r["group"] == "bias penalised"
        r["objective"] = p.objective(r["W"], r["b"], penalize) if not r["group"].startswith("one-vs-rest") else None
        r["accuracy"] = p.accuracy(r["W"], r["b"])
        r["nonzero"] = int(np.count_nonzero(r["W"]))
        r["weights"] = r["W"].size
    for group in {r["group"] for r in rows}:
        members = [r for r in rows if r["group"] == group and r.get("objective") is not None]
        if not members:
            continue
        best = min(r["objective"] for r in members)
        for r in members:
            r["gap"] = (r["objective"] - best) / abs(best)
    # The reference for the ratios: in each objective group, LogReg's fastest run that reached the optimum.
    # A one-vs-rest peer solves another objective: it is timed against LogReg's softmax.
    for group in sorted({r["group"] for r in rows}, key=lambda g: g.startswith("one-vs-rest")):
        own = "bias free" if group.startswith("one-vs-rest") else group
        ours = [r for r in rows if r["group"] == own and r["solver"].startswith("LogReg") and "opt_s" in r and r.get("gap", 1) <= GAP]
        # No LogReg run reached the optimum: still a ratio, against its fastest, which the gap column flags.
        ours = ours or [r for r in rows if r["group"] == own and r["solver"].startswith("LogReg") and "opt_s" in r]
        if not ours:
            continue
        fastest = min(ours, key=lambda r: r["opt_s"])
        for r in rows:
            if r["group"] == group and "opt_s" in r:
                r["ratio"] = r["opt_s"] / fastest["opt_s"]
                r["ratio_to"] = fastest["solver"]


TABLE_HEADER = ["| problem | solver | objective (bias) | load s | optimisation s | × LogReg | objective | gap to best | test acc. | nonzero weights | flags |",
                "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]


def table_rows(p, rows):
    """One problem's rows of the Markdown table."""
    lines = []
    title = f"{p.name} ({p.n:,} rows, λ {p.lam:g}" + (f", l1 ratio {p.l1_ratio:g}" if p.penalty == "elasticnet" else "") + ")"
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {title} | {r['solver']} | {r['group']} | | | | {r['skipped']} | | | | |")
            continue
        objective = "—" if r["objective"] is None else f"{r['objective']:.9f}"
        gap = "—" if "gap" not in r else f"{r['gap']:.1e}" + ("" if r["gap"] <= GAP else " **not at optimum**")
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else ""
        flags = r["flags"] + (f"; {r['note']}" if r["note"] else "")
        lines.append(f"| {title} | {r['solver']} | {r['group']} | {r['load_s']:.2f} | {r['opt_s']:.2f} | {ratio} | {objective} | {gap} | "
                     f"{r['accuracy'] * 100:.2f} % | {r['nonzero']:,} / {r['weights']:,} | {flags} |")
    return lines


def ratios(problems, all_rows):
    """The peers' optimisation time over LogReg's (its fastest run at the optimum on the same objective)."""
    lines = ["| problem | peer | peer s | LogReg s (solver) | peer / LogReg | peer at the optimum |", "| --- | --- | ---: | ---: | ---: | --- |"]
    for p, rows in zip(problems, all_rows):
        for r in rows:
            if "ratio" not in r or r["solver"].startswith("LogReg"):
                continue
            ours = next(o for o in rows if o["solver"] == r["ratio_to"])
            at = "yes" if r.get("gap", 1) <= GAP else ("another objective" if r.get("objective") is None else f"no (gap {r['gap']:.1e})")
            mine = ours['solver'].removeprefix('LogReg ') + ("" if ours.get("gap", 1) <= GAP else f", gap {ours['gap']:.1e}")
            lines.append(f"| {p.name} | {r['solver']} | {r['opt_s']:.2f} | {ours['opt_s']:.2f} ({mine}) | "
                         f"**{r['ratio']:.2g}×** | {at} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logreg", required=True, help="the logreg executable")
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--mlnet", help="MlNetPeer.dll (bench/peers/mlnet), run with `dotnet`")
    parser.add_argument("--problems", default="binary-l2,softmax-l2,binary-l1,binary-en")
    parser.add_argument("--binary-rows", type=int, default=60000, help="training images for the binary problems")
    parser.add_argument("--softmax-rows", type=int, default=10000, help="training images for softmax (scikit-learn is slow)")
    parser.add_argument("--lambda-l2", type=float, default=1e-4)
    parser.add_argument("--lambda-l1", type=float, default=2e-4, help="L1 λ: about 72 %% of the weights zero on all 60,000 images")
    parser.add_argument("--lambda-en", type=float, default=2e-4)
    parser.add_argument("--l1-ratio", type=float, default=0.5)
    parser.add_argument("--logreg-tol", type=float, default=1e-7, help="LogReg --tol (largest gradient component)")
    parser.add_argument("--newton-tol", type=float, default=1e-5, help="LogReg --tol for --optimizer newton (it reached the best objective at 1e-5; at 1e-7 it ran minutes of CG steps)")
    parser.add_argument("--logreg-loss-tol", type=float, default=1e-13, help="LogReg --loss-tol")
    parser.add_argument("--liblinear-eps", type=float, default=1e-5, help="LIBLINEAR -e")
    parser.add_argument("--sklearn-tol", type=float, default=1e-10)
    parser.add_argument("--sklearn-max-iter", type=int, default=5000)
    parser.add_argument("--saga-tol", type=float, default=1e-7)
    parser.add_argument("--saga-max-iter", type=int, default=200, help="epochs; bounds the run time")
    parser.add_argument("--skip-softmax-saga", action="store_true")
    parser.add_argument("--mlnet-tol", type=float, default=1e-10)
    parser.add_argument("--mlnet-max-iter", type=int, default=10000)
    parser.add_argument("--work", help="folder for the solvers' inputs and models (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print every row as JSON too")
    parser.add_argument("--quick", action="store_true",
                        help="smaller problems for a run of a few minutes: binary on 20,000 images, softmax on 5,000, saga 50 epochs "
                             "(explicit --binary-rows, --softmax-rows, --saga-max-iter still win)")
    args = parser.parse_args()
    if args.quick:
        given = " ".join(sys.argv[1:])
        for option, value in (("binary_rows", 20000), ("softmax_rows", 5000), ("saga_max_iter", 50)):
            if "--" + option.replace("_", "-") not in given:
                setattr(args, option, value)

    work = args.work or tempfile.mkdtemp(prefix="logreg-optimum-")
    start = time.perf_counter()
    data = load_mnist(args.data)
    load_s = time.perf_counter() - start
    available = logreg_optimizers(args.logreg)
    specs = {
        "binary-l2": ("logistic", "l2", args.lambda_l2, args.binary_rows),
        "softmax-l2": ("softmax", "l2", args.lambda_l2, args.softmax_rows),
        "binary-l1": ("logistic", "l1", args.lambda_l1, args.binary_rows),
        "binary-en": ("logistic", "elasticnet", args.lambda_en, args.binary_rows),
    }
    problems, all_rows = [], []
    for name in args.problems.split(","):
        kind, penalty, lam, rows = specs[name]
        p = Problem(name, kind, penalty, lam, args.l1_ratio, rows, data, work)
        exact = "lbfgs" if penalty == "l2" else "owlqn"
        runs = [lambda: run_logreg(args, p, exact, False, available)]
        if penalty == "l2":
            runs.append(lambda: run_logreg(args, p, "newton", False, available))
        if penalty != "l2" and kind == "logistic":
            # Coordinate-descent proximal Newton (newGLMNET, as LIBLINEAR -s 6); binary and one-vs-rest, not softmax.
            runs.append(lambda: run_logreg(args, p, "cdn", False, available))
        if kind == "logistic" and penalty != "elasticnet":
            runs.append(lambda: run_logreg(args, p, exact, True, available))
            if penalty == "l2":
                runs.append(lambda: run_logreg(args, p, "newton", True, available))
            else:
                runs.append(lambda: run_logreg(args, p, "cdn", True, available))
            runs.append(lambda: run_liblinear(args, p, 0 if penalty == "l2" else 6))
        if kind == "softmax":
            runs.append(lambda: run_liblinear(args, p, 0))
        runs += [lambda: run_sklearn(args, p, "lbfgs"), lambda: run_sklearn(args, p, "saga"),
                 lambda: run_mlnet(args, p, "lbfgs-logistic" if kind == "logistic" else "lbfgs-maxent")]
        rows = []
        for run in runs:
            r = run()
            if "skipped" not in r or r["skipped"] != f"lbfgs has no {penalty}":
                rows.append(r)
            print(f"  {name}: {r['solver']}: " + (r["skipped"] if "skipped" in r else f"{r['opt_s']:.2f} s"), file=sys.stderr, flush=True)
        score(p, rows)
        problems.append(p)
        all_rows.append(rows)
        # Each problem's rows as soon as it is done, so that a run cut short still shows what it measured.
        print("\n".join(([] if len(problems) > 1 else TABLE_HEADER) + table_rows(p, rows)), flush=True)

    print()
    print(ratios(problems, all_rows))
    print(f"\nMNIST read once by Python in {load_s:.2f} s (the IDX files); each solver's own load is in `load s`: LogReg's "
          f"whole process less its training (start-up, reading, writing the model), LIBLINEAR's parse of its text input "
          f"(the same command stopped after one gradient), ML.NET's read of the raw features into an IDataView, "
          f"scikit-learn's 0 (arrays in memory). Optimisation: LogReg's train_seconds (its test split cut to 1 image so it "
          f"does not evaluate 10,000 test images per iteration; accuracy here is on all 10,000 from the exported weights), "
          f"LIBLINEAR's run less that parse, ML.NET's Fit after a warm-up fit, scikit-learn's fit. Objective: objectives.py, "
          f"mean loss + penalty, on each solver's weights in float64; gap: relative to the best solver of the same "
          f"objective; ≤ {GAP:g} counts as the optimum. Nonzero: weights (not biases) exactly 0.")
    gaps = [r.get("own_loss_gap") for rows in all_rows for r in rows if r.get("own_loss_gap") is not None]
    if gaps:
        print(f"LogReg's own training loss against this script's formula on its exported weights: largest difference {max(gaps):.1e}.")
    print(f"LogReg optimizers in this build: {', '.join(sorted(available))}.")
    if args.json:
        for p, rows in zip(problems, all_rows):
            for r in rows:
                print(json.dumps({"problem": p.name, **{k: v for k, v in r.items() if k not in ("W", "b")}}))


if __name__ == "__main__":
    main()
