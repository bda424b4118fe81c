#!/usr/bin/env bash
# The estimators' defaults against scikit-learn's LogisticRegression() on the same data (see bench/RESULTS.md,
# "Defaults that fit any dataset"). Needs Debian's python3-sklearn (apt-get install python3-sklearn) and the datasets
# (scripts/setup.sh). Not CI-timed: scikit-learn's lbfgs takes minutes on the 60,000-image cases.
#   bash bench/defaults/run.sh [DATA_DIR]      (default $LOGREG_DATA_DIR, else ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-${LOGREG_DATA_DIR:-../shared/datasets}}"
out="${OUT:-${TMPDIR:-/tmp}/logreg-defaults}"
mkdir -p "$out/weights"
# dataset:rows:pool — the first `rows` training images, pixels / 255, pool x pool blocks averaged (28x28, 14x14, 7x7);
# pool@crop takes the central crop x crop square first (3@24: the central 24x24, 3x3-pooled to 8x8).
cases=(mnist:1000:1 mnist:1000:4 kmnist-partial:7011:1 mnist:10000:1 fashion-mnist:10000:2 mnist:60000:4 mnist:60000:2 mnist:60000:1 fashion-mnist:60000:1
       mnist:1000:3@24 fashion-mnist:1000:3@24 mnist:60000:3@24 fashion-mnist:60000:3@24)
# The objective check: LogReg at Tol 1e-7 and at its default (1e-6), against scikit-learn's optimum (tol 1e-10);
# scikit-learn's own default fit (tol 1e-4) is reported against the same optimum for scale.
objective=(mnist:1000:1 mnist:1000:1:1e-7 mnist:1000:2 mnist:1000:2:1e-7 mnist:1000:3@24 mnist:1000:3@24:1e-7
           mnist:1000:4 mnist:1000:4:1e-7 fashion-mnist:1000:3@24 fashion-mnist:1000:3@24:1e-7)

dotnet run -c Release bench/defaults/Defaults.cs -- "$data" "$out/weights" "${cases[@]}" "${objective[@]}" | tee "$out/logreg.jsonl"
/usr/bin/python3 bench/defaults/sklearn_defaults.py "$data" "${cases[@]}" | tee "$out/sklearn.jsonl"
/usr/bin/python3 bench/defaults/sklearn_defaults.py --objective "$data" "$out/weights" "${objective[@]}" | tee "$out/objective.jsonl"
