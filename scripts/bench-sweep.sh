#!/usr/bin/env bash
# Sweep-engine benchmark (issue #16): the 8 one-thread members of scripts/bench/sweep-8.yaml
#   sequential  : the local engine, one member at a time (--parallel 1)
#   local       : the local engine, members side by side (default: cores / 1 thread)
#   spark       : Spark embedded, --engine spark --master local[2]
# in interleaved rounds (the machine is shared and noisy). For each sweep it prints the sweep's own wall time
# (provenance.json start..end: members only) and the whole command's; Spark's start-up is the difference it adds
# before the sweep starts (its "started in X s"). Usage: scripts/bench-sweep.sh [ROUNDS] (default 2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
spec="$here/scripts/bench/sweep-8.yaml"
seconds() { # ISO-8601 instant -> seconds since the epoch
  date -d "$1" +%s.%N
}
calc() { # arithmetic on decimals (awk is on every machine; bc is not)
  awk "BEGIN { printf \"%.6f\", $1 }"
}
field() { # field NAME provenance.json -> the string value
  sed -n "s/^  \"$1\": \"\\(.*\\)\",\\{0,1\\}$/\\1/p" "$2" | head -1
}
"$here/driftlab" list >/dev/null                       # build the core jar outside the timings
"$here/driftlab" sweep --help --engine spark >/dev/null # and the spark module
declare -A total
for r in $(seq 1 "$rounds"); do
  for mode in sequential local spark; do
    case "$mode" in
      sequential) args=(--parallel 1) ;;
      local) args=() ;;
      spark) args=(--engine spark --master 'local[2]') ;;
    esac
    dir="$out/$mode-$r"
    t0=$(date +%s.%N)
    "$here/driftlab" sweep "$spec" "${args[@]}" --out "$dir" > "$dir.log" 2>&1
    t1=$(date +%s.%N)
    start=$(seconds "$(field start "$dir/provenance.json")")
    end=$(seconds "$(field end "$dir/provenance.json")")
    sweep=$(calc "$end - $start")
    cmd=$(calc "$t1 - $t0")
    engine=$(field engine "$dir/provenance.json")
    printf 'round %d %-10s sweep %7.1f s   command %7.1f s   (%s)\n' "$r" "$mode" "$sweep" "$cmd" "$engine"
    total[$mode]=$(calc "${total[$mode]:-0} + $sweep")
    total[$mode-cmd]=$(calc "${total[$mode-cmd]:-0} + $cmd")
  done
done
printf 'local throughput / sequential: %.2f x (sweep wall times summed over %d rounds)\n' \
  "$(calc "${total[sequential]} / ${total[local]}")" "$rounds"
printf 'spark local[2] / local: %.3f (sweep), %.3f (whole command, with Spark start-up)\n' \
  "$(calc "${total[spark]} / ${total[local]}")" "$(calc "${total[spark-cmd]} / ${total[local-cmd]}")"
