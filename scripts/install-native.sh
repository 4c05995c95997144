#!/usr/bin/env bash
# Installs driftlab's OPTIONAL native and peer dependencies on Debian/Ubuntu.
#
# Everything in driftlab works without this script: GEMM then runs on the pure-Java Vector API kernel
# (typically 75-90% of OpenBLAS speed per core) and the PyTorch cross-checks are skipped.
#
#   libopenblas0-pthread   netlib (dev.ludovic.netlib) opens libblas.so.3 / liblapack.so.3; this package
#                          registers OpenBLAS as their Debian alternative, enabling DRIFTLAB_BLAS=native.
#                          Run driftlab with OPENBLAS_NUM_THREADS=1 (the launcher exports it): driftlab
#                          splits work across threads itself and nested OpenBLAS threads would oversubscribe.
#   dataset-fashion-mnist  the full Fashion-MNIST (60000 + 10000 images); without it driftlab uses the first
#                          5000 + 1000 embedded in its jar (scripts/make-fashion-mnist-subset.sh builds them).
#   python3-torch python3-numpy python3-scipy
#                          the reference "peer" implementation used to cross-check gradients and dynamics.
#   python3-pandas         the interop tests (PythonIoTest): metrics.csv read back exactly by pandas, and
#                          scripts/python/driftlab_io.py (NumPy) writing the .npz data driftlab reads.
#
# Idempotent: apt-get skips packages that are already installed, so re-running is harmless.
# Usage: sudo scripts/install-native.sh             (or run as root; sudo is used only when needed)
#        sudo scripts/install-native.sh --oracles   only the test-time oracles (PyTorch, NumPy, SciPy, pandas), as CI does
set -euo pipefail

ORACLES=(python3-torch python3-numpy python3-scipy python3-pandas)
case "${1:-}" in
  "") PACKAGES=(libopenblas0-pthread dataset-fashion-mnist "${ORACLES[@]}") ;;
  --oracles) PACKAGES=("${ORACLES[@]}") ;;
  *) echo "install-native.sh: unknown option '$1' (use --oracles or nothing)" >&2; exit 2 ;;
esac

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-native.sh: must run as root or with sudo available" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-native.sh: apt-get not found; install OpenBLAS (providing libblas.so.3) with your package manager" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-native.sh: all optional packages already installed"
else
  echo "install-native.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  ${SUDO[@]+"${SUDO[@]}"} apt-get update
  ${SUDO[@]+"${SUDO[@]}"} apt-get install -y "${missing[@]}"
fi

# libblas.so.3 must now resolve (through the alternatives system) to OpenBLAS.
if [ "${1:-}" != --oracles ] && command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --query "libblas.so.3-$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)" \
    2>/dev/null | grep -E '^Value:' || true
fi
echo "install-native.sh: done; check with DRIFTLAB_BLAS=native (driftlab bench prints the backend in use)"
