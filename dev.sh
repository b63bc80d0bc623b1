#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The two entry points of kvmexit:
#   ./dev.sh demo   install what is missing, build, boot the emulated host, run the demo
#   ./dev.sh test   install what is missing, build, run every test suite
# Downloads, the kernel tree, ccache and build trees live in $KVMEXIT_CACHE
# (default ~/.cache/kvmexit) and are reused by later runs.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cache=${KVMEXIT_CACHE:-$HOME/.cache/kvmexit}
# One build tree per checkout; the kernel build in the cache is shared.
build=$cache/build/$(basename "$top")-$(echo "$top" | sha1sum | cut -c1-8)

case ${1:-} in
demo|test) ;;
*)	echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

t0=$(date +%s)
"$top/tests/machine/install-deps.sh"
t1=$(date +%s)
cmake -S "$top" -B "$build" -DKVMEXIT_CACHE="$cache" >/dev/null
cmake --build "$build" -j"$(nproc)"
t2=$(date +%s)
echo "dev.sh: setup $((t1 - t0))s, build $((t2 - t1))s"

if [ "$1" = demo ]; then
	exec cmake --build "$build" --target demo
fi

set +e
rm -f "$build/junit.xml"
ctest --test-dir "$build" --output-on-failure --output-junit "$build/junit.xml"
set -e
t3=$(date +%s)
echo "dev.sh: tests $((t3 - t2))s, total $((t3 - t0))s"
# The closing line CI reads: counted from ctest's own report, where a test that was not
# run (its machine failed to boot) is a failure.
total=0 bad=0
[ -f "$build/junit.xml" ] || { echo "0 passed, 1 failed (ctest wrote no report)"; exit 1; }
total=$(grep -m1 -o 'tests="[0-9]*"' "$build/junit.xml" | tr -dc 0-9)
bad=$(grep -c '<testcase .*status="\(fail\|notrun\|disabled\)"' "$build/junit.xml" || true)
echo "$((total - bad)) passed, $bad failed"
[ "$bad" -eq 0 ] && [ "$total" -gt 0 ]
