#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Run suites on the debug kernel (kernel-hooks/debug.config: KASAN, lockdep, ...), each in
# its own boot, all of them even when one fails; then one line per suite and a verdict.
# A suite fails on a failed or missing test, a crash or hang, or any splat in its console
# log (the debug options' reports among them: run-suite.sh's scan).
#
#   debug-tests.sh IMAGE INITRD RESULTS_DIR SUITE_FILE...
set -uo pipefail

image=$1 initrd=$2 results=$3
shift 3
run_suite=$(dirname "$0")/run-suite.sh
summary=() failed=0
mkdir -p "$results"

if [ ! -f "$image" ]; then
	echo "debug-tests: no debug kernel at $image" >&2
	exit 1
fi
for suite_file in "$@"; do
	suite=$(basename "$suite_file" .suite)
	"$run_suite" "$suite_file" "$image" "$initrd" "$results/$suite" | tee "$results-$suite.out"
	rc=${PIPESTATUS[0]}
	line=$(sed -n "s/^run-suite: $suite: \(boot-to-init.*\)/\1/p" "$results-$suite.out")
	counts=$(sed -n "s/^run-suite: $suite: \([0-9]* passed, [0-9]* failed\).*/\1/p" \
		 "$results-$suite.out")
	splats=$(wc -l <"$results/$suite/splats" 2>/dev/null || echo "?")
	# run-suite.sh fails for the host (a crash, a hang, a splat); a failed or missing
	# test inside the suite fails it here too.
	failed_tests=$(echo "$counts" | sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p')
	verdict=PASS
	[ "$rc" -eq 0 ] && [ "${failed_tests:-1}" -eq 0 ] || verdict=FAIL
	summary+=("$suite: $verdict (${counts:-no result}; splat lines $splats; $line)")
	[ "$verdict" = PASS ] || failed=$((failed + 1))
	rm -f "$results-$suite.out"
done
grep -h "KernelAddressSanitizer\|Lock dependency validator" "$results"/*/console.log |
	sed 's/^\[[^]]*\] *//' | sort -u | sed 's/^/debug-tests: kernel: /'
printf 'debug-tests: %s\n' "${summary[@]}"
echo "debug-tests: $(( $# - failed )) suites passed, $failed failed"
[ "$failed" -eq 0 ]
