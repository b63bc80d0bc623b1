#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run the fuzz-cli libFuzzer target for SECONDS on the seed corpus plus what earlier runs
# found (kept in WORK_DIR/corpus); fails on any crash, sanitizer report or leak, whose
# input is left in WORK_DIR. Prints the executions and the corpus size.
#
#   run-fuzz.sh FUZZ_BIN POLICY_OBJECT SEED_CORPUS WORK_DIR SECONDS
set -euo pipefail

bin=$(realpath "$1") policy=$(realpath "$2") seeds=$(realpath "$3") work=$4 seconds=$5
mkdir -p "$work/corpus"
work=$(realpath "$work")
cd "$work"
set +e
# -close_fd_mask=3: the parsers explain every refusal, millions of lines; libFuzzer and the
# sanitizers keep their own copy of stderr.
KVMEXIT_FUZZ_POLICY=$policy "$bin" -max_total_time="$seconds" -print_final_stats=1 \
	-close_fd_mask=3 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" "$work/corpus" "$seeds" \
	>"$work/fuzz.log" 2>&1
rc=$?
set -e
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
echo "fuzz-cli: ${runs:-?} inputs in ${seconds}s, corpus $(ls "$work/corpus" | wc -l) inputs," \
     "exit $rc (log: $work/fuzz.log)"
if [ "$rc" -ne 0 ]; then
	grep -E -A30 "ERROR: |runtime error|Deadly signal|crash-|leak-|timeout-" "$work/fuzz.log" |
		head -n 60
	exit 1
fi
# A fuzzer that ran nothing found nothing: not a pass.
if ! [ "${runs:-0}" -gt 0 ] 2>/dev/null; then
	echo "fuzz-cli: no inputs were run" >&2
	tail -n 20 "$work/fuzz.log" >&2
	exit 1
fi
