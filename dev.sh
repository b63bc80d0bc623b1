#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The entry points of kvmexit:
#   ./dev.sh demo                 install what is missing, build, boot the emulated host, run
#                                 the demo (a narrated transcript, checked; ends PASS or FAIL)
#   ./dev.sh demo --interactive   the same set-up, then the guest's shell on the BPF console
#                                 (Ctrl-] leaves it for the host's shell, where kvmexit runs)
#   ./dev.sh test                 install what is missing, build, run every test
#   ./dev.sh clean                remove everything the project cached (all checkouts')
# Downloads, the kernel tree, ccache and build trees live in $KVMEXIT_CACHE
# (default ~/.cache/kvmexit) and are reused by later runs.
set -euo pipefail

top=$(cd "$(dirname "$0")" && pwd)
cache=${KVMEXIT_CACHE:-$HOME/.cache/kvmexit}
# One build tree per checkout; the kernel build in the cache is shared.
build=$cache/build/$(basename "$top")-$(echo "$top" | sha1sum | cut -c1-8)
# What the project puts in the cache (CMakeLists.txt, tests/machine/*.sh): clean removes
# these names only, so a KVMEXIT_CACHE pointing at a directory of other files loses none.
CACHED=(dl src kbuild kbuild-baseline kbuild-debug kbuild-stamps ccache qemu-arm64 build)

usage() {
	echo "usage: $0 demo [--interactive] | test | clean" >&2
	echo "  this checkout's build tree: $build" >&2
	exit 2
}

clean() {
	local name found=()
	for name in "${CACHED[@]}"; do
		[ -e "$cache/$name" ] && found+=("$cache/$name")
	done
	if [ ${#found[@]} -eq 0 ]; then
		echo "dev.sh: nothing cached in $cache"
		return
	fi
	echo "dev.sh: removing what kvmexit cached (every checkout's, the next build starts cold):"
	du -sh "${found[@]}" | sed 's/^/  /'
	rm -rf "${found[@]}"
	# The cache directory itself, if nothing else is in it.
	rmdir "$cache" 2>/dev/null || echo "dev.sh: kept $cache: it holds other files"
}

case "${1:-} ${2:-}" in
"demo "|"demo --interactive"|"test "|"clean ") ;;
*)	usage ;;
esac
if [ "$1" = clean ]; then
	clean
	exit
fi

echo "dev.sh: build tree $build"
t0=$(date +%s)
"$top/tests/machine/install-deps.sh"
t1=$(date +%s)
cmake -S "$top" -B "$build" -DKVMEXIT_CACHE="$cache" >/dev/null
cmake --build "$build" -j"$(nproc)"
t2=$(date +%s)
echo "dev.sh: setup $((t1 - t0))s, build $((t2 - t1))s"

if [ "$1" = demo ]; then
	if [ "${2:-}" = --interactive ]; then
		exec cmake --build "$build" --target demo-interactive
	fi
	exec cmake --build "$build" --target demo
fi

set +e
rm -f "$build/junit.xml"
ctest --test-dir "$build" --output-on-failure --output-junit "$build/junit.xml"
set -e
t3=$(date +%s)
echo "dev.sh: tests $((t3 - t2))s, total $((t3 - t0))s (build tree $build)"
# The closing line CI reads: counted from ctest's own report, where a test that was not
# run (its machine failed to boot) is a failure.
total=0 bad=0
[ -f "$build/junit.xml" ] || { echo "0 passed, 1 failed (ctest wrote no report)"; exit 1; }
total=$(grep -m1 -o 'tests="[0-9]*"' "$build/junit.xml" | tr -dc 0-9)
bad=$(grep -c '<testcase .*status="\(fail\|notrun\|disabled\)"' "$build/junit.xml" || true)
echo "$((total - bad)) passed, $bad failed"
[ "$bad" -eq 0 ] && [ "$total" -gt 0 ]
