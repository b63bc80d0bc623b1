#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The demo's verdict (./dev.sh demo, and the ctest test demo.transcript): the transcript of
# tests/suites/demo.sh, checked step by step with the values each step must show, and the
# chart of its exit costs. Ends with "demo: PASS" or "demo: FAIL", and the paths of both.
#
#   demo-check.sh RESULTS_DIR
#	Check the demo whose boot left RESULTS_DIR (run-suite.sh's).
#   demo-check.sh --run SUITE_FILE IMAGE INITRD RESULTS_DIR
#	Boot it first (run-suite.sh --stream: the whole console on stdout), then check.
set -euo pipefail

machine=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)
if [ "${1:-}" = --run ]; then
	"$machine/run-suite.sh" --stream "$2" "$3" "$4" "$5" || true	# judged below
	shift 4
fi
results=${1:?usage: demo-check.sh [--run SUITE_FILE IMAGE INITRD] RESULTS_DIR}
transcript=$results/transcript.txt
chart=$results/exit-costs.svg

checks=0 failed=0
ok() {
	checks=$((checks + 1))
	echo "demo-check: ok: $*"
}
not_ok() {
	checks=$((checks + 1)) failed=$((failed + 1))
	echo "demo-check: not ok: $*"
}
# expect WHAT TEXT PATTERN: a line of TEXT matches PATTERN (grep -E).
expect() {
	local line
	if line=$(grep -m1 -E -e "$3" <<<"$2"); then
		ok "$1: $line"
	else
		not_ok "$1: no line matching '$3'"
	fi
}
# step N: the transcript's lines of step N ("=== N. ..." up to the next step).
step() {
	awk -v n="$1" '/^=== [0-9]+\. / { on = ($2 == n ".") } on' "$transcript"
}
# number TEXT PATTERN: the first number after PATTERN (grep -E) in TEXT; empty if none.
number() {
	grep -m1 -o -E -e "$2 *-?[0-9.]+" <<<"$1" | grep -o -E -e '-?[0-9.]+$' || true
}
# stats_row TEXT EXIT: the counters of EXIT in kvmexit stats' table: handled to_user
# injected defaulted errors refused.
stats_row() {
	awk -v e="$2" '$1 == e && NF == 7 { $1 = ""; print substr($0, 2); exit }' <<<"$1"
}

"$machine/run-suite.sh" --check "$results" demo >"$transcript" 2>&1 || true
if [ ! -s "$transcript" ] || ! grep -q '^=== 1\. ' "$transcript"; then
	not_ok "no transcript: the demo did not run (see $results/console.log)"
fi

s=$(step 1)
expect "KVM in the host" "$s" '^kvm \[1\]: VHE mode initialized successfully$'
host_date=$(grep -A1 -m1 '^host# date -u$' <<<"$s" | tail -n1 || true)
expect "the host's clock" "$s" '^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} UTC 20[0-9]{2}$'

s=$(step 2)
expect "the filter on the cgroup" "$s" '^attached hypercall_filter to cgroup /sys/fs/cgroup/vms'

s=$(step 3)
expect "QEMU started in the cgroup" "$s" '^host# echo \$\$ >/sys/fs/cgroup/vms/cgroup.procs; qemu-system-aarch64 -accel kvm .* -S '

s=$(step 4)
# QEMU's pid, as kvmexit names its VM attaching pl011: pl031 and the list must name the same.
pid=$(grep -m1 -o -E 'attached pl011 to VM [0-9]+' <<<"$s" | grep -o '[0-9]*$' || true)
expect "pl011 on the VM" "$s" "^attached pl011 to VM ${pid:-PID}/[0-9]+"
expect "pl031 on the VM" "$s" "^attached pl031 to VM ${pid:-PID}/[0-9]+"

s=$(step 5)
expect "kvmexit list names the VM" "$s" "^VM ${pid:-PID}/[0-9]+  name demo  qemu-system-aarch64 "
expect "kvmexit list shows the chain" "$s" \
	' policies hypercall_filter \(cgroup\), pl011 \(vm\), pl031 \(vm\)$'

s=$(step 6)
zero_rows=$(grep -c -E '^  (mmio|nisv|ldst64b|sea|hvc|vncr) +0 +0 +0 +0 +0 +0$' <<<"$s" || true)
[ "$zero_rows" = 6 ] && ok "kvmexit stats before: every counter of the 6 exits 0" ||
	not_ok "kvmexit stats before: $zero_rows of 6 exits with every counter 0"

s=$(step 7)
expect "the guest booted on the BPF UART" "$s" \
	'^  guest\| .*ttyAMA0 .*(MMIO:? ?)0x0*9000000 .* is a PL011'
expect "the guest's RTC is the BPF PL031" "$s" '^  guest\| .*rtc-pl031 9010000\.pl031: registered as rtc0'
expect "Linux set its clock from it" "$s" \
	'^  guest\| .*rtc-pl031 9010000\.pl031: setting system clock to 20[0-9-]{8}T'
expect "the filter denied the TRNG" "$s" '^  guest\| SMCCC-TRNG absent$'
expect "the guest's shell" "$s" '^  guest\| GUEST-READY '

boot=$(number "$(step 7)" "QEMU's cont to the guest's shell:")
s=$(step 8)
host_now=$(grep -A1 -m1 '^host# date +%s$' <<<"$s" | tail -n1 || true)
guest_now=$(grep -m1 -E '^  guest\| [0-9]{10}$' <<<"$s" | grep -o '[0-9]*$' || true)
# pl031 takes the host's wall clock at its reset and counts from there, as QEMU's PL031:
# the guest's clock is the host's, less the second the RTC's whole seconds and Linux's half
# second may take; the boot's length bounds what the emulated timer may lag under load.
if [[ $host_now =~ ^[0-9]{10}$ ]] && [ -n "$guest_now" ] && [ -n "$boot" ] &&
   awk "BEGIN { d = $host_now - $guest_now; exit !(d >= -1 && d <= $boot + 2) }"; then
	ok "the guest's date +%s $guest_now, the host's $host_now: $((host_now - guest_now)) s behind, the boot took $boot s"
else
	not_ok "the guest's date +%s '$guest_now', the host's '$host_now' (boot '$boot' s)"
fi
expect "the guest's date -u" "$s" "^  guest\| [A-Z][a-z]{2} ${host_date:4:6} .* UTC ${host_date: -4}$"
expect "hwclock reads the BPF RTC" "$s" \
	"^  guest\| [A-Z][a-z]{2} ${host_date:4:6} [0-9:]{8} ${host_date: -4} +0\.000000 seconds$"

s=$(step 9)
before=$(grep -m1 -E '^  guest\| +[0-9]+: +[0-9]+ .*rtc-pl031$' <<<"$s" | awk '{ print $3 }' || true)
after=$(grep -E '^  guest\| +[0-9]+: +[0-9]+ .*rtc-pl031$' <<<"$s" | sed -n 2p | awk '{ print $3 }' || true)
[ -n "$before" ] && [ "$after" = $((before + 1)) ] &&
	ok "the RTC's interrupts in the guest: $before, then $after" ||
	not_ok "the RTC's interrupts in the guest: '$before', then '$after' (one more expected)"
# /dev/rtc0 reads the interrupts since the last read: 1 << 8, RTC_IRQF | RTC_AF.
expect "the alarm woke the read of /dev/rtc0" "$s" '^  guest\|  a0 01 00 00 00 00 00 00$'
# The guest's uptime when it set the alarm and when the read of /dev/rtc0 returned. Whole
# seconds again: an alarm 3 s ahead comes 2 to 3 s after it is set (from 1.9: never early);
# 6 s bounds a loaded machine.
woken=$(grep -E '^  guest\| [0-9.]+ [0-9.]+$' <<<"$s" | awk 'NR == 1 { t0 = $2 } NR == 2 { print $2 - t0 }')
if [ -n "$woken" ] && awk "BEGIN { exit !($woken >= 1.9 && $woken <= 6) }"; then
	ok "the alarm woke the guest $woken s after it was set 3 s ahead (the RTC's whole seconds)"
else
	not_ok "the alarm woke the guest '$woken' s after it was set, expected 1.9 to 6"
fi

s=$(step 10)
# A cgroup's filter decides for every VM created in it: each record says whose (VM ID, pid).
records=$(grep -c -E '^[0-9.]+ VM [0-9]+ \(pid [0-9]+\) vCPU [0-9]+ (hvc|smc) ' <<<"$s" || true)
[ "$records" = 1 ] && ok "the audit log has 1 record" || not_ok "the audit log has $records records, expected 1"
expect "the denied call" "$s" \
	"^[0-9.]+ VM [1-9][0-9]* \\(pid ${pid:-PID}\\) vCPU 0 hvc 0x84000050 TRNG_VERSION denied x1="
expect "nothing lost" "$s" '^0 records dropped \(rate limit\), 0 lost \(log full\)$'

s=$(step 11)
read -r mmio_handled mmio_to_user mmio_injected _ mmio_errors mmio_refused \
	<<<"$(stats_row "$s" mmio)" || true
read -r hvc_handled hvc_to_user _ _ hvc_errors hvc_refused <<<"$(stats_row "$s" hvc)" || true
pl011=$(number "$s" 'pl011 accesses')
pl031=$(number "$s" 'pl031 accesses')
denied=$(number "$s" 'hypercall_filter denied')
[ -n "$pl011" ] && [ -n "$pl031" ] && [ "$mmio_handled" = $((pl011 + pl031)) ] &&
	[ "$pl011" -gt 0 ] && [ "$pl031" -gt 0 ] &&
	ok "KVM's mmio handled $mmio_handled = pl011's $pl011 + pl031's $pl031 accesses" ||
	not_ok "KVM's mmio handled '$mmio_handled', pl011 '$pl011' + pl031 '$pl031' accesses"
[ "$mmio_to_user $mmio_injected $mmio_errors $mmio_refused" = "0 0 0 0" ] &&
	ok "no UART or RTC access reached QEMU, none failed" ||
	not_ok "mmio to_user, injected, errors, refused: $mmio_to_user $mmio_injected $mmio_errors $mmio_refused"
[ "$hvc_handled" = 1 ] && [ "$denied" = 1 ] &&
	[ "$hvc_to_user $hvc_errors $hvc_refused" = "0 0 0" ] &&
	ok "KVM's hvc handled 1 = the filter's 1 denied, nothing to QEMU, no error" ||
	not_ok "hvc handled '$hvc_handled', the filter denied '$denied'," \
	       "to_user/errors/refused '$hvc_to_user $hvc_errors $hvc_refused'"
expect "the RTC's one alarm, one interrupt" "$s" 'pl031 accesses [0-9]+ alarms 1 irq_raised 1,'

s=$(step 12)
if costs=$("$machine/bench-report.py" --exit-costs "$results" 2>&1); then
	printf '%s\n' "$costs" | grep '^exit-cost: ' >>"$transcript"
	ok "the exit costs, drawn in $chart"
	printf '%s\n' "$costs" | grep '^exit-cost: ' | sed 's/^/    /'
else
	not_ok "no exit costs: $costs"
fi
bench() { grep -m1 "^bench: $1," <<<"$s" | cut -d, -f2 || true; }
for pair in "8 7 mmio read" "5 3 hypercall"; do
	set -- $pair
	bpf=$(bench "$1") vmm=$(bench "$2")
	[ -n "$bpf" ] && [ -n "$vmm" ] && awk "BEGIN { exit !($bpf < $vmm) }" &&
		ok "$3: BPF $bpf < the VMM's $vmm (ns)" || not_ok "$3: BPF '$bpf', the VMM '$vmm'"
done
expect "the host's own checks" "$s" '^kvmexit demo: 0 failures in the host$'
expect "the demo's verdict in the host" "$(cat "$transcript")" '^PASS time=[0-9.]+s$'

echo
if [ "$failed" -eq 0 ]; then
	echo "demo: PASS ($checks checks; $(($(date +%s) - start)) s)"
else
	echo "demo: FAIL ($failed of $checks checks failed; $(($(date +%s) - start)) s)"
fi
echo "demo: transcript $transcript"
echo "demo: chart $chart"
[ "$failed" -eq 0 ]
