#!/usr/bin/env bash
# The test command: builds everything and runs every test. Real-data tests read $LOGREG_DATA_DIR, which defaults to
# ../shared/datasets beside the repository when that folder exists.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [ -z "${LOGREG_DATA_DIR:-}" ] && [ -d "$repo/../shared/datasets" ]; then
  export LOGREG_DATA_DIR="$(cd "$repo/../shared/datasets" && pwd)"
fi
echo "LOGREG_DATA_DIR=${LOGREG_DATA_DIR:-<unset: real-data tests will be skipped>}"
dotnet test LogReg.slnx -c Release --nologo "$@"
