#!/usr/bin/env bash
# Runs every runnable example in examples/ (C# file-based apps: dotnet run examples/NAME.cs) and checks what each one
# prints. The examples on MNIST read $LOGREG_DATA_DIR/mnist (default ../shared/datasets beside the repository); without
# it they are skipped, saying so, except in CI (CI=true), where that is a failure. Called by .ci/run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [ -z "${LOGREG_DATA_DIR:-}" ] && [ -d "$repo/../shared/datasets" ]; then
  export LOGREG_DATA_DIR="$(cd "$repo/../shared/datasets" && pwd)"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fail() { echo "FAIL $name: $*" >&2; failures=$((failures + 1)); }
# run NAME [ARGS...]: runs examples/NAME.cs, keeps its output in $out and shows it.
run() {
  name="$1"
  shift
  local start=$SECONDS
  if ! out="$(dotnet run "examples/$name.cs" -- "$@" 2>&1)"; then
    fail "exit code $?: $out"
    out=""
    return 1
  fi
  echo "== examples/$name.cs ($((SECONDS - start)) s, build included)"
  echo "$out"
}
# expect REGEX: a line of the output matches the extended regex.
expect() { grep -qE "$1" <<<"$out" || fail "no line matches /$1/"; }
# at_least MIN REGEX: the number captured by the regex's last field is at least MIN on every matching line.
at_least() {
  local values
  values="$(grep -oE "$2" <<<"$out" | grep -oE '[0-9]+\.[0-9]+$' || true)"
  [ -n "$values" ] || { fail "no value for /$2/"; return; }
  awk -v min="$1" '$1 < min { bad = 1 } END { exit bad }' <<<"$values" || fail "a value of /$2/ is below $1: $(tr '\n' ' ' <<<"$values")"
}

# The quick start prints exactly what the README shows under "$ dotnet run examples/QuickStart.cs".
if run QuickStart; then
  readme="$(awk '/^\$ dotnet run examples\/QuickStart.cs$/ { on = 1; next } on && /^```/ { exit } on' README.md)"
  [ -n "$readme" ] || fail "README.md has no output block for examples/QuickStart.cs"
  [ "$out" = "$readme" ] || fail "output differs from the README's: $(diff <(echo "$readme") <(echo "$out") || true)"
fi

mnist="${LOGREG_DATA_DIR:-}/mnist"
if [ -z "${LOGREG_DATA_DIR:-}" ] || [ ! -f "$mnist/train-images-idx3-ubyte.gz" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: MNIST not found under \$LOGREG_DATA_DIR (${LOGREG_DATA_DIR:-unset}); the examples on images need it" >&2
    exit 1
  fi
  echo "skipping the examples on MNIST: no $mnist/train-images-idx3-ubyte.gz (set LOGREG_DATA_DIR)"
else
  if run ImagesFromIdx "$mnist"; then
    expect '^2000 training images, L2 λ 0.001: Lbfgs Converged after [0-9]+ in [0-9.]+ s; test accuracy 0\.[0-9]{4} on 10000 images$'
    expect '^10000 training images, L2 λ 0.0001: Lbfgs Converged after [0-9]+ in [0-9.]+ s; test accuracy 0\.[0-9]{4} on 10000 images$'
    at_least 0.85 'test accuracy [0-9.]+'
  fi

  if run CrossValidation "$mnist"; then
    for lambda in 0.0001 0.0010 0.0100; do
      expect "^lambda $lambda: fold accuracies 0\.[0-9]{3} 0\.[0-9]{3} 0\.[0-9]{3}, mean 0\.[0-9]{3}$"
    done
    expect '^best lambda 0\.0[0-9]{3} \(mean validation accuracy 0\.[0-9]{3}\); test accuracy 0\.[0-9]{3} on 2000 images$'
    at_least 0.80 'mean 0\.[0-9]+'
    at_least 0.80 'test accuracy 0\.[0-9]+'
  fi

  if run IncrementalFit "$mnist"; then
    for n in 500 1000 1500 2000 2500 3000 3500 4000; do
      expect "^after $n images: batch loss [0-9.]+, test accuracy 0\.[0-9]{3}$"
    done
    expect '^8 PartialFit calls, 10 classes$'
    # The last batches: a model that learns incrementally, not one left at its first batch.
    out="$(grep -E '^after (3500|4000) images' <<<"$out")" at_least 0.80 'test accuracy 0\.[0-9]+'
  fi

  if run WeightImages "$mnist" "$work/weights.pgm"; then
    expect "^wrote $work/weights.pgm: 280x28 pixels, classes 0 1 2 3 4 5 6 7 8 9, largest \|weight\| [0-9.]+$"
    expect '^class 0: most positive weight at row [0-9]+, column [0-9]+; most negative at row [0-9]+, column [0-9]+$'
    header="$(head -c 14 "$work/weights.pgm" | tr '\n' ' ')"
    [ "$header" = "P5 280 28 255 " ] || fail "weights.pgm's header is '$header'"
    [ "$(stat -c %s "$work/weights.pgm")" -eq $((14 + 280 * 28)) ] || fail "weights.pgm is not 14 + 280 x 28 bytes"
  fi
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures example check(s) failed" >&2
  exit 1
fi
echo "every example ran and printed what it should"
