#!/usr/bin/env bash
# Side-by-side epoch timings: LogReg, NumPy and PyTorch (CPU), same data, batch, epochs, learning rate and zero init,
# in one invocation. Installs Debian's python3-numpy and python3-torch when missing (needs root or sudo).
#   bench/peers/run.sh [DATA_DIR_WITH_MNIST] [compare.py options...]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:-${LOGREG_DATA_DIR:-$repo/../shared/datasets}/mnist}"
shift || true
python=/usr/bin/python3
if ! "$python" -c "import numpy, torch" 2>/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "installing python3-numpy and python3-torch (Debian)" >&2
  $sudo apt-get install -y -q python3-numpy python3-torch >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q python3-numpy python3-torch >/dev/null; }
fi
bash "$repo/scripts/publish.sh"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(grep -o -m1 -w 'avx512f' /proc/cpuinfo || echo 'no AVX-512'); NumPy $("$python" -c 'import numpy; print(numpy.__version__)'), PyTorch $("$python" -c 'import torch; print(torch.__version__)')"
exec "$python" "$repo/bench/peers/compare.py" --logreg "$repo/artifacts/logreg/logreg" --data "$data" "$@"
