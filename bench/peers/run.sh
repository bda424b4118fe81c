#!/usr/bin/env bash
# LogReg beside its peers, in one invocation each. Installs what it needs from Debian when missing (needs root or sudo).
#
#   bench/peers/run.sh [DATA_DIR_WITH_MNIST] [compare.py options...]
#     Epoch timings: LogReg, NumPy and PyTorch (CPU) on the same data, batch, epochs, learning rate and zero init, and
#     an epoch of scikit-learn's SGDClassifier (python3-numpy, python3-torch, python3-sklearn).
#
#   bench/peers/run.sh optimum [DATA_DIR_WITH_MNIST] [optimum.py options...]
#     Time to the optimum: LogReg against LIBLINEAR (liblinear-tools), scikit-learn (python3-sklearn) and ML.NET
#     (bench/peers/mlnet, Microsoft.ML from NuGet, built here) on the same objective; prints a Markdown table.
#     `--binary-rows N --softmax-rows N` bound the run time (defaults 60000 and 10000: about 10 minutes on 2 quiet cores);
#     `--quick` is 20000, 5000 and 50 saga epochs.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mode=epochs
if [ "${1:-}" = optimum ]; then
  mode=optimum
  shift
fi
data="${1:-${LOGREG_DATA_DIR:-$repo/../shared/datasets}/mnist}"
shift || true
python=/usr/bin/python3
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"

# Installs Debian packages ($@) unless $check succeeds, updating the package lists once if a first try fails.
ensure() {
  local check="$1"
  shift
  if ! eval "$check" >/dev/null 2>&1; then
    echo "installing $* (Debian)" >&2
    $sudo apt-get install -y -q "$@" >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "$@" >/dev/null; }
  fi
}

bash "$repo/scripts/publish.sh"
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(grep -o -m1 -w 'avx512f' /proc/cpuinfo || echo 'no AVX-512'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$mode" = epochs ]; then
  ensure "$python -c 'import numpy, torch, sklearn'" python3-numpy python3-torch python3-sklearn
  echo "machine: $machine; NumPy $("$python" -c 'import numpy; print(numpy.__version__)'), PyTorch $("$python" -c 'import torch; print(torch.__version__)'), scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)')"
  exec "$python" "$repo/bench/peers/compare.py" --logreg "$repo/artifacts/logreg/logreg" --data "$data" "$@"
fi

ensure "$python -c 'import numpy, scipy, sklearn'" python3-numpy python3-scipy python3-sklearn
ensure "command -v liblinear-train" liblinear-tools
mlnet="$repo/artifacts/mlnet-peer"
dotnet build "$repo/bench/peers/mlnet/MlNetPeer.csproj" -c Release -o "$mlnet" --nologo -v quiet >/dev/null
echo "machine: $machine; .NET $(dotnet --version), scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)'), NumPy $("$python" -c 'import numpy; print(numpy.__version__)'), LIBLINEAR $(dpkg-query -W -f '${Version}' liblinear-tools), Microsoft.ML 5.0.1; $(date -u '+%Y-%m-%d %H:%M UTC'), LogReg $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
exec "$python" "$repo/bench/peers/optimum.py" --logreg "$repo/artifacts/logreg/logreg" --mlnet "$mlnet/MlNetPeer.dll" --data "$data" "$@"
