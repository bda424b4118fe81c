#!/usr/bin/env bash
# Interleaved A/B of two logreg builds: runs `logreg bench --json [options]` with each binary in turn, ROUNDS times,
# and prints per configuration the median of the runs' median epochs, the best median and the fastest epoch.
# Interleaving spreads the host's noise over both builds (on a shared VM a run can be 20-50 % slow).
#   bench/compare-builds.sh ROUNDS BIN_A BIN_B [bench options...]
# Build an older commit with: git worktree add /tmp/old COMMIT && (cd /tmp/old && bash scripts/publish.sh)
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 ROUNDS BIN_A BIN_B [bench options...]" >&2
  exit 2
fi
rounds=$1 a=$2 b=$3
shift 3
for bin in "$a" "$b"; do
  [ -x "$bin" ] || { echo "error: $bin: not an executable" >&2; exit 2; }
done
for _ in $(seq "$rounds"); do
  for bin in "$a" "$b"; do
    "$bin" bench --json "$@" | sed "s|^|$bin\t|"
  done
done | /usr/bin/env python3 -c '
import statistics, sys
sys.path.insert(0, sys.argv[1])
from bench_rows import read_tagged_rows
order, rows = read_tagged_rows(sys.stdin)
runs = {key: {b: [(r["median_epoch_s"] * 1000, r["min_epoch_s"] * 1000) for r in rs] for b, rs in rows[key].items()} for key in order}
print("%-9s %5s  %-40s %18s %12s %8s" % ("model", "batch", "build", "median of medians", "best median", "fastest"))
for key in order:
    for binary, values in runs[key].items():
        medians = [m for m, _ in values]
        print("%-9s %5s  %-40s %15.1f ms %9.1f ms %5.1f ms" % (key[0], key[1], binary[-40:], statistics.median(medians), min(medians), min(f for _, f in values)))
' "$(dirname "${BASH_SOURCE[0]}")"
