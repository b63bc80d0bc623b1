#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Turn the bench suite's console log into RESULTS/bench.csv and RESULTS/bench.md.
#   bench-report.sh RESULTS_DIR
set -euo pipefail
dir=$1
log=$dir/console.log
grep -q '^bench: ' "$log" || { echo "bench-report: no results in $log" >&2; exit 1; }
{
	echo "id,counter_ticks_per_exit,path"
	sed -n 's/^bench: //p' "$log"
} >"$dir/bench.csv"
{
	echo "Guest-timed, 512 exits per path, QEMU -icount shift=0: the counter advances per"
	echo "executed guest instruction, so figures are instruction counts, not cycles."
	echo
	echo "| path | ticks per exit |"
	echo "|---|---:|"
	sed -n 's/^bench: [0-9]*,\([^,]*\),\(.*\)$/| \2 | \1 |/p' "$log"
	echo
	echo "| ratio | value | |"
	echo "|---|---:|---|"
	sed -n 's/^bench-ratio: \(.*\): \([0-9.]*\) (\(.*\))$/| \1 | \2 | \3 |/p' "$log"
} >"$dir/bench.md"
cat "$dir/bench.md"
