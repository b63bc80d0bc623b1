#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Turn the bench runs' console logs into RESULTS/bench.csv and RESULTS/bench.md.
#   bench-report.sh RESULTS_DIR [BASELINE_RESULTS_DIR]
# With a baseline (the same guest on the kernel without the series), also compare the
# paths measured with no policy attached against it.
set -euo pipefail
dir=$1 base=${2:-}
log=$dir/console.log
grep -q '^bench: ' "$log" || { echo "bench-report: no results in $log" >&2; exit 1; }

value() {	# value LOG ID: ticks per exit of benchmark ID
	sed -n "s/^bench: $2,\\([^,]*\\),.*/\\1/p" "$1"
}

{
	echo "kernel,id,counter_ticks_per_exit,path"
	sed -n 's/^bench: /patched,/p' "$log"
	[ -n "$base" ] && sed -n 's/^bench: /baseline,/p' "$base/console.log"
} >"$dir/bench.csv"
{
	echo "Guest-timed, 512 exits per path, QEMU -icount shift=0: the counter advances per"
	echo "executed instruction (guest, host kernel and VMM), so figures are instruction"
	echo "counts, not cycles."
	echo
	echo "| path | ticks per exit |"
	echo "|---|---:|"
	sed -n 's/^bench: [0-9]*,\([^,]*\),\(.*\)$/| \2 | \1 |/p' "$log"
	echo
	echo "| ratio | value | |"
	echo "|---|---:|---|"
	sed -n 's/^bench-ratio: \(.*\): \([0-9.]*\) (\(.*\))$/| \1 | \2 | \3 |/p' "$log"
	if [ -n "$base" ]; then
		for id in 15 11 12 13 14; do
			awk -v p="$(value "$log" $id)" -v b="$(value "$base/console.log" $id)" \
			    -v name="$(sed -n "s/^bench: $id,[^,]*,//p" "$log")" \
			    'BEGIN { printf "| %s: series without policy / without series | %.4f | target < 1.01 |\n", name, p / b }'
		done
	fi
} >"$dir/bench.md"
cat "$dir/bench.md"
