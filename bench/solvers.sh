#!/usr/bin/env bash
# The full-batch solvers side by side on MNIST: L-BFGS and Newton-CG on L2 (binary 8 vs rest, and softmax), OWL-QN on
# L1 (binary); CDN (coordinate-descent proximal Newton) on binary L1 and elastic net. Each runs to a tight tolerance (tol 1e-8, no loss-change stop); from each run's history the script takes
# the penalised objective per iteration (mean loss + λ‖w‖², λ‖w‖₁ or the elastic net's mix, from history.csv's norms) and reports the time
# and iteration at which it first came within 1e-6 (relative) of the best objective any solver reached on that problem.
# The history's clock includes the test-split evaluation logreg train makes after every iteration.
#
#   bench/solvers.sh [LOGREG_DATA_DIR] [--quick]
#
# --quick runs the binary problems only. Needs python3 (for reading the JSON and CSV files).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LOGREG_DATA_DIR="${1:-${LOGREG_DATA_DIR:-$repo/../shared/datasets}}"
quick="${2:-}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

run() { # problem name args...
  local problem=$1 name=$2
  shift 2
  "$repo/logreg" train --no-report --out "$out/$problem-$name" --tol 1e-8 --loss-tol 0 --max-iter 1000 "$@" > "$out/$problem-$name.log" 2>&1 \
    || { echo "error: $problem $name failed:" >&2; tail -3 "$out/$problem-$name.log" >&2; exit 1; }
  echo "$problem $name $*" >> "$out/runs"
}

run binary-l2 lbfgs --positive 8 --optimizer lbfgs --penalty l2 --lambda 1e-4
run binary-l2 newton --positive 8 --optimizer newton --penalty l2 --lambda 1e-4
run binary-l1 owlqn --positive 8 --optimizer owlqn --penalty l1 --lambda 1e-3
run binary-l1 cdn --positive 8 --optimizer cdn --penalty l1 --lambda 1e-3
run binary-en owlqn --positive 8 --optimizer owlqn --penalty elasticnet --l1-ratio 0.5 --lambda 2e-4
run binary-en cdn --positive 8 --optimizer cdn --penalty elasticnet --l1-ratio 0.5 --lambda 2e-4
if [ "$quick" != "--quick" ]; then
  run softmax-l2 lbfgs --optimizer lbfgs --penalty l2 --lambda 1e-4
  run softmax-l2 newton --optimizer newton --penalty l2 --lambda 1e-4
  run softmax-l1 owlqn --optimizer owlqn --penalty l1 --lambda 1e-4
fi

python3 - "$out" <<'PY'
import csv, json, sys
out = sys.argv[1]
runs = [line.split() for line in open(f"{out}/runs")]
rows = []
for problem, name, *args in runs:
    lam = float(args[args.index("--lambda") + 1]); penalty = args[args.index("--penalty") + 1]
    r = float(args[args.index("--l1-ratio") + 1]) if "--l1-ratio" in args else 1.0
    objective = ((lambda loss, l1, l2: loss + lam * l2 * l2) if penalty == "l2" else (lambda loss, l1, l2: loss + lam * l1) if penalty == "l1"
                 else (lambda loss, l1, l2: loss + lam * (r * l1 + (1 - r) * l2 * l2)))
    metrics = json.load(open(f"{out}/{problem}-{name}/metrics.json"))
    trace = [(int(r["epoch"]), float(r["elapsed_seconds"]), objective(float(r["train_loss"]), float(r["l1_norm"]), float(r["l2_norm"])))
             for r in csv.DictReader(open(f"{out}/{problem}-{name}/history.csv"))]
    rows.append((problem, name, metrics, trace))
best = {}
for problem, name, metrics, trace in rows:
    best[problem] = min(best.get(problem, float("inf")), min(f for _, _, f in trace))
print(f"{'problem':<11} {'solver':<7} {'iterations':>10} {'seconds':>8} {'to 1e-6: it':>12} {'seconds':>8} {'objective':>14} {'zero weights':>13} {'test acc.':>9}")
for problem, name, metrics, trace in rows:
    hit = next(((e, t) for e, t, f in trace if (f - best[problem]) / best[problem] <= 1e-6), (None, None))
    zeros = metrics["zero_weights"]
    print(f"{problem:<11} {name:<7} {metrics['epochs_run']:>10} {metrics['train_seconds']:>8.2f} {str(hit[0]):>12} {hit[1] if hit[1] is None else round(hit[1], 2):>8} {trace[-1][2]:>14.10f} {zeros:>13} {metrics['test_accuracy']:>9.4f}")
PY
