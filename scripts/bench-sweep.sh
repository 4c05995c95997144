#!/usr/bin/env bash
# Sweep-engine benchmark (issue #16): the 8 one-thread members of scripts/bench/sweep-8.yaml
#   sequential  : the local engine, one member at a time (--parallel 1)
#   local       : the local engine, members side by side (default: cores / 1 thread)
#   spark       : Spark embedded, --engine spark --master local[2]
# in interleaved rounds (the machine is shared and noisy). For each sweep it prints the sweep's own wall time
# (provenance.json start..end: members only) and the whole command's; Spark's start-up is the difference it adds
# before the sweep starts (its "started in X s"). It also prints the CPU seconds (user + system) each command used:
# on a machine shared with other work the wall times say little, while 2 × CPU(sequential) / CPU(local) is what the
# throughput ratio on two otherwise idle cores would be (extra work from two members contending for caches and
# memory shows up as CPU time too). Usage: scripts/bench-sweep.sh [ROUNDS] (default 2).
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
    TIMEFORMAT='%U %S'
    { time "$here/driftlab" sweep "$spec" "${args[@]}" --out "$dir" > "$dir.log" 2>&1 ; } 2> "$dir.cpu"
    t1=$(date +%s.%N)
    cpu=$(awk '{ printf "%.6f", $1 + $2 }' "$dir.cpu")
    start=$(seconds "$(field start "$dir/provenance.json")")
    end=$(seconds "$(field end "$dir/provenance.json")")
    sweep=$(calc "$end - $start")
    cmd=$(calc "$t1 - $t0")
    engine=$(field engine "$dir/provenance.json")
    printf 'round %d %-10s sweep %7.1f s   command %7.1f s   cpu %7.1f s   (%s; load %s)\n' "$r" "$mode" "$sweep" \
      "$cmd" "$cpu" "$engine" "$(cut -d' ' -f1 /proc/loadavg)"
    total[$mode]=$(calc "${total[$mode]:-0} + $sweep")
    total[$mode-cmd]=$(calc "${total[$mode-cmd]:-0} + $cmd")
    total[$mode-cpu]=$(calc "${total[$mode-cpu]:-0} + $cpu")
  done
done
printf 'local throughput / sequential: %.2f x (sweep wall times summed over %d rounds)\n' \
  "$(calc "${total[sequential]} / ${total[local]}")" "$rounds"
printf 'CPU proxy on idle cores: local throughput / sequential = 2 x cpu(sequential) / cpu(local) = %.2f x\n' \
  "$(calc "2 * ${total[sequential-cpu]} / ${total[local-cpu]}")"
printf 'CPU: spark local[2] / local = %.3f\n' "$(calc "${total[spark-cpu]} / ${total[local-cpu]}")"
printf 'spark local[2] / local: %.3f (sweep), %.3f (whole command, with Spark start-up)\n' \
  "$(calc "${total[spark]} / ${total[local]}")" "$(calc "${total[spark-cmd]} / ${total[local-cmd]}")"
