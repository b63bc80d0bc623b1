#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test runner: boot the emulated arm64 host in QEMU, run one suite inside, keep the
# whole console log, and turn it into results.
#
#   run-suite.sh [--stream] SUITE_FILE IMAGE INITRD RESULTS_DIR
#	Boot and run the suite. Writes RESULTS_DIR/console.log and one NAME.result per test
#	the suite file lists. Exit 0 if the machine ran the suite to its end with a clean
#	kernel log, 1 if it crashed, hung (bounded by the tests' own limits plus a boot
#	allowance) or printed a kernel splat. --stream also copies the console to stdout.
#	Results and the suite's end come through a 9p share (RESULTS_DIR/share), not the
#	console, where kernel messages may land in the middle of any line.
#   run-suite.sh --interactive SUITE_FILE IMAGE INITRD RESULTS_DIR
#	Boot it with the host's console on this terminal (input too, Ctrl-C included), for
#	as long as the suite runs; no time limit, no results.
#   run-suite.sh --check RESULTS_DIR NAME
#	Show test NAME's console output and exit 0 only if it passed; a test with no result
#	(the machine died before it) is a failure.
#
# A suite file has one test per line, "NAME TIMEOUT_SECONDS COMMAND...", run inside the
# host by tests/machine/init; "# kernel: ARGS" adds kernel command-line arguments, "# qemu:
# ARGS" QEMU arguments.
set -euo pipefail

BOOT_ALLOWANCE=120
SPLATS='BUG:|WARNING:|Oops|Kernel panic|Unable to handle kernel|Internal error:|Call trace:|INFO: task .* blocked|rcu: INFO|UBSAN:|KASAN:|refcount_t:|list_add corruption|list_del corruption'

check_one() {
	local results=$1 name=$2 log=$1/console.log
	if [ ! -f "$results/$name.result" ]; then
		echo "no result for $name: its suite did not run (see $log)"
		return 1
	fi
	# The markers are found anywhere in a line: a kernel message may precede them.
	awk -v begin="KVMEXIT-BEGIN $name" -v result="KVMEXIT-RESULT $name " '
		!on && (p = index($0, begin)) && p + length(begin) == length($0) + 1 { on = 1; next }
		on && index($0, result) { exit }
		on { print }' "$log"
	cat "$results/$name.result"
	grep -q '^PASS' "$results/$name.result"
}

if [ "${1:-}" = --check ]; then
	check_one "$2" "$3"
	exit
fi

stream=false interactive=false
if [ "${1:-}" = --stream ]; then
	stream=true
	shift
elif [ "${1:-}" = --interactive ]; then
	interactive=true
	shift
fi
suite_file=$1 image=$2 initrd=$3 results=$4
suite=$(basename "$suite_file" .suite)
log=$results/console.log

mapfile -t tests < <(grep -Ev '^\s*(#|$)' "$suite_file" | awk '{ print $1 }')
limit=$(grep -Ev '^\s*(#|$)' "$suite_file" | awk -v b=$BOOT_ALLOWANCE '{ s += $2 } END { print s + b }')
cmdline_extra=$(sed -n 's/^# kernel: *//p' "$suite_file")
read -r -a qemu_extra <<<"$(sed -n 's/^# qemu: *//p' "$suite_file")"

share=$results/share
rm -rf "$results"
mkdir -p "$share"
qemu=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1024
      -display none -monitor none -nic none -no-reboot
      -fsdev "local,id=results,path=$share,security_model=none"
      -device virtio-9p-device,fsdev=results,mount_tag=kvmexit-results
      -kernel "$image" -initrd "$initrd" "${qemu_extra[@]}"
      -append "console=ttyAMA0 panic=-1 rdinit=/init kvmexit.suite=$suite $cmdline_extra")
if $interactive; then
	# The terminal is the host's console; Ctrl-C goes to the host, not to QEMU.
	exec "${qemu[@]}" -chardev stdio,id=console,signal=off -serial chardev:console
fi
echo "run-suite: booting the emulated host for suite '$suite' (limit ${limit}s; log $log)"
start=$(date +%s.%N)
set +e
timeout -k 10 "$limit" "${qemu[@]}" -serial stdio </dev/null 2>&1 | tr -d '\r' |
	if $stream; then tee "$log"; else cat >"$log"; fi
qemu_rc=${PIPESTATUS[0]}
set -e
wall=$(echo "$(date +%s.%N) - $start" | bc)

passed=0 failed=0
for name in "${tests[@]}"; do
	if [ -s "$share/$name.result" ]; then
		cp "$share/$name.result" "$results/$name.result"
	else
		echo "MISSING: no result (the host stopped before this test; see $log)" \
			>"$results/$name.result"
	fi
	if grep -q '^PASS' "$results/$name.result"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "run-suite: $suite.$name: $(cat "$results/$name.result")"
	fi
done

healthy=true
if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
	echo "run-suite: $suite: the host did not finish within ${limit}s"
	healthy=false
elif [ "$qemu_rc" -ne 0 ]; then
	echo "run-suite: $suite: qemu-system-aarch64 exited with status $qemu_rc"
	healthy=false
fi
if [ ! -s "$share/suite-end" ]; then
	echo "run-suite: $suite: the suite did not reach its end (host crash, panic or hang)"
	grep -m5 -E '^KVMEXIT-ERROR' "$log" || true
	healthy=false
fi
if grep -E "$SPLATS" "$log" >"$results/splats"; then
	echo "run-suite: $suite: the kernel log has splats:"
	head -n 20 "$results/splats"
	healthy=false
fi

init_uptime=$(sed -n 's/.*KVMEXIT-INIT uptime=//p' "$log")
printf 'run-suite: %s: boot-to-init %ss (host uptime), whole run %.1fs wall\n' \
	"$suite" "${init_uptime:-?}" "$wall"
echo "run-suite: $suite: $passed passed, $failed failed (log: $log)"
$healthy
