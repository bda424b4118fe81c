#!/usr/bin/env bash
# The vector-widths table of bench/RESULTS.md in one command: `logreg bench --json --width W` for Vector512, Vector256,
# Vector128 and scalar, interleaved round after round (a shared host's noise then falls on every width alike), printed
# as Markdown: per configuration the best median epoch of each width over the rounds (and the median of medians), and
# whether any width is slower than the next narrower one. About 2-3 minutes on a quiet 2-core host with the defaults.
#   bench/widths.sh [--rounds N] [--bin PATH] [logreg bench options...]
# Defaults: 3 rounds of every configuration `logreg bench` runs by default (softmax and logistic; B = 1, 64, 128, 256
# and full batch) at 2 epochs x 2 runs. Widths the machine does not accelerate run emulated: check the header line.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ -z "$bin" ]; then
  bash "$repo/scripts/publish.sh"
  bin="$repo/artifacts/logreg/logreg"
fi
[ -x "$bin" ] || { echo "error: $bin: not an executable" >&2; exit 2; }
options=("$@")
if [ ${#options[@]} -eq 0 ]; then
  options=(--epochs 2 --repeats 2)
fi

isa=avx2
grep -q -w avx512f /proc/cpuinfo && isa=avx512f
grep -q -w avx2 /proc/cpuinfo || isa="no avx2"
machine="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, $isa"
start="$(date -u '+%Y-%m-%d %H:%M UTC')"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$rounds"); do
  for width in vector512 vector256 vector128 scalar; do
    "$bin" bench --json --width "$width" "${options[@]}" | sed "s|^|$width\t|"
  done
done | /usr/bin/env python3 -c '
import statistics, sys
machine, start, load_before, rounds, options, here = sys.argv[1:7]
sys.path.insert(0, here)
from bench_rows import read_tagged_rows
widths = ["vector512", "vector256", "vector128", "scalar"]
names = {"vector512": "Vector512", "vector256": "Vector256", "vector128": "Vector128", "scalar": "scalar"}
order, rows = read_tagged_rows(sys.stdin)
runs = {key: {w: [r["median_epoch_s"] * 1000 for r in rows[key][w]] for w in widths} for key in order}
kernels = {w: rows[key][w][-1]["kernel"] for key in order for w in widths if rows[key][w]}
load_after = " ".join(open("/proc/loadavg").read().split()[:3])
print(f"machine: {machine}; {start}; load average {load_before} before, {load_after} after")
print(f"command: bench/widths.sh --rounds {rounds} {options}".rstrip())
print("kernels: " + ", ".join(kernels[w] for w in widths if w in kernels))
print()
print("best median epoch over the rounds, ms (median of the medians in brackets)")
print()
print("| model | batch | " + " | ".join(names[w] for w in widths) + " | narrower faster? |")
print("| --- | ---: | " + " | ".join("---:" for _ in widths) + " | --- |")
slower = 0
for key in order:
    best = {w: min(runs[key][w]) for w in widths if runs[key][w]}
    cells = []
    for w in widths:
        values = runs[key][w]
        cells.append(f"{min(values):.1f} ({statistics.median(values):.1f})" if values else "-")
    flags = [f"{names[a]} > {names[b]}" for a, b in zip(widths, widths[1:]) if a in best and b in best and best[a] > best[b]]
    slower += len(flags)
    print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " | " + (", ".join(flags) if flags else "no") + " |")
print()
print(f"{slower} case(s) where a width was slower than the next narrower one (best medians)")
' "$machine" "$start" "$load_before" "$rounds" "${options[*]}" "$(dirname "${BASH_SOURCE[0]}")"
