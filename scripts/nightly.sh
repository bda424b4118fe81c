#!/usr/bin/env bash
# The nightly-style run: the whole test suite with the fuzz tests at 10,000 mutated files per reader (the normal test
# command, and CI, run 1,000). A failure prints LOGREG_FUZZ_SEED=... to replay it.
set -euo pipefail
export LOGREG_FUZZ_CASES="${LOGREG_FUZZ_CASES:-10000}"
exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" "$@"
