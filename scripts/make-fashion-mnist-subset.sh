#!/usr/bin/env bash
# Builds the Fashion-MNIST subset that ships inside the driftlab jar, so that the experiments run on real data
# on a machine without Debian's dataset-fashion-mnist package:
#
#   the first 5000 training images and labels, the first 1000 test images and labels,
#   as gzip-compressed IDX files (the format and byte layout of the originals, with N rewritten in the header),
#   plus the data set's MIT licence notice and SHA256SUMS of the uncompressed IDX contents.
#
# 5000/1000 covers every catalogue experiment at its default and --quick sizes (at most 1000 training and 1000
# test images; tests/CatalogueTest checks this) with room for users' own runs.
#
# Source: the full set as installed by Debian's dataset-fashion-mnist (scripts/install-native.sh), or any
# directory holding the four original files. The script refuses a source whose content differs from the
# published Fashion-MNIST (SHA-256 of the uncompressed files, below), so the output is the same on every machine.
# The checksums it writes cover the uncompressed IDX bytes, not the .gz files, so they do not depend on the
# gzip implementation; driftlab verifies them each time it loads the embedded subset.
#
# Usage: scripts/make-fashion-mnist-subset.sh [SOURCE_DIR] [OUT_DIR]
#   SOURCE_DIR  default /usr/share/datasets/fashion-mnist
#   OUT_DIR     default core/src/main/resources/org/driftlab/data/fashion-mnist (relative to the repository root)
# Needs bash, coreutils (head, tail, sha256sum) and gzip.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${1:-/usr/share/datasets/fashion-mnist}"
OUT="${2:-$ROOT/core/src/main/resources/org/driftlab/data/fashion-mnist}"
TRAIN_N=5000
TEST_N=1000

# SHA-256 of the uncompressed originals (Zalando's release, as packaged by Debian).
declare -A SOURCE_SHA256=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

die() { echo "make-fashion-mnist-subset.sh: $*" >&2; exit 1; }

# The uncompressed bytes of SRC/NAME(.gz), written to FILE (whole files, so that no pipe is cut short by head).
#   $1 name, $2 file
uncompress() {
  if [ -f "$SRC/$1.gz" ]; then gzip -dc "$SRC/$1.gz" > "$2"
  elif [ -f "$SRC/$1" ]; then cat "$SRC/$1" > "$2"
  else die "$SRC/$1(.gz) not found; install Debian's dataset-fashion-mnist (scripts/install-native.sh)"
  fi
}

# A 32-bit big-endian integer as 4 raw bytes (the IDX header's byte order).
be32() {
  printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(( ($1 >> 24) & 255 )) $(( ($1 >> 16) & 255 )) \
    $(( ($1 >> 8) & 255 )) $(( $1 & 255 )))"
}

# The first N examples of an IDX file: magic, N, the remaining dimensions unchanged, then N rows of the payload.
#   $1 name, $2 N, $3 header bytes (16 for images [N, 28, 28], 8 for labels [N]), $4 bytes per example
subset() {
  local name=$1 n=$2 header=$3 row=$4
  local full="$TMP/$name.full"
  uncompress "$name" "$full"
  local got
  got=$(sha256sum < "$full" | cut -d' ' -f1)
  [ "$got" = "${SOURCE_SHA256[$name]}" ] || die "$SRC/$name: SHA-256 $got is not the published Fashion-MNIST's"
  {
    head -c 4 "$full"
    be32 "$n"
    head -c "$header" "$full" | tail -c +9
    head -c $(( header + n * row )) "$full" | tail -c +$(( header + 1 ))
  } > "$TMP/$name"
  rm "$full"
  local want=$(( header + n * row ))
  [ "$(wc -c < "$TMP/$name")" -eq "$want" ] || die "$name: wrote $(wc -c < "$TMP/$name") bytes, expected $want"
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
subset train-images-idx3-ubyte "$TRAIN_N" 16 784
subset train-labels-idx1-ubyte "$TRAIN_N" 8 1
subset t10k-images-idx3-ubyte "$TEST_N" 16 784
subset t10k-labels-idx1-ubyte "$TEST_N" 8 1

mkdir -p "$OUT"
( cd "$TMP" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte \
    t10k-labels-idx1-ubyte ) > "$OUT/SHA256SUMS"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  # -n: no file name or time stamp in the header, so the same input gives the same .gz with the same gzip
  gzip -n -9 -c "$TMP/$f" > "$OUT/$f.gz"
done

cat > "$OUT/LICENSE" <<'EOF'
Fashion-MNIST subset embedded in driftlab: the first 5000 training and the first 1000 test images and labels
of Fashion-MNIST (https://github.com/zalandoresearch/fashion-mnist), byte for byte as released, with the
example count in each IDX header rewritten. Built by scripts/make-fashion-mnist-subset.sh.

The MIT License (MIT) Copyright © [2017] Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the “Software”), to deal in the Software without restriction, including without limitation
the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and
to permit persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of
the Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO
THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
IN THE SOFTWARE.
EOF
echo "make-fashion-mnist-subset.sh: wrote $OUT"
cat "$OUT/SHA256SUMS"
