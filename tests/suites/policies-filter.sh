#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# policies/hypercall_filter.bpf.c as an operator uses it: attached to a running VMM with
# kvmexit and --set rules, rules changed with bpftool while the guest waits between two
# phases of calls, the per-id counters read with bpftool. The guest
# (tests/guest/hvc_filter.c) checks every answer in both phases, the VMM (kvmexit-testvmm
# filter-serve) what reached it and KVM's counts. The other deployable policies are
# attached with their parameters too.
POLICY=/usr/lib/kvmexit/policies/hypercall_filter.bpf.o
FWD=0xc3000100
UNFILTERED=0xc3000200
failures=0
. /tests/serve-lib.sh

# wait_log PATTERN: until the VMM's log has PATTERN.
logged() { grep -q "$1" /tmp/filter.log; }
wait_log() {
	wait_until logged "$1" || not_ok "the VMM never logged '$1'"
}

# le32 ID: the bytes of a little-endian u32, as bpftool takes a key.
le32() {
	printf '0x%02x 0x%02x 0x%02x 0x%02x' $(($1 & 0xff)) $((($1 >> 8) & 0xff)) \
		$((($1 >> 16) & 0xff)) $((($1 >> 24) & 0xff))
}

# expect_count ID ALLOWED,DENIED,FORWARDED,ANSWERED: the filter's counters for ID.
expect_count() {
	got=$(bpftool -j map lookup name filter_counts key $(le32 $1) 2>&1 |
	      sed -n 's/.*"calls":\[\([0-9,]*\)\].*/\1/p')
	id=$(printf '%#x' $1)
	[ "$got" = "$2" ] && echo "ok: filter_counts[$id] = $got" ||
		not_ok "filter_counts[$id] = '$got', expected $2"
}

kvmexit-testvmm filter-serve >/tmp/filter.log 2>&1 &
vmm=$!
wait_for_vm $vmm

# Every deployable policy attaches with its parameters, or its defaults (the guest waits
# meanwhile), and its maps go by the names its opening comment gives.
for policy in "canonical canonica.bss,sea_events --set sea_iss=0x215 --set sea_burst=8" \
	      "vncr_observer vncr_obs.bss,vncr_log --set on_failure=1" \
	      "pl011 pl011.bss,console_in" "pl031 pl031.bss,alarm_timer"; do
	set -- $policy
	name=$1 maps=$2
	shift 2
	out=$(kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/$name.bpf.o "$@" 2>&1) &&
		echo "$out" | grep -q "attached $name to VM $vmm/" &&
		bpftool map show name ${maps%,*} >/dev/null && bpftool map show name ${maps#*,} >/dev/null &&
		echo "ok: $out, its maps $maps" || not_ok "attach $name $*: $out"
	kvmexit detach --pid $vmm >/dev/null 2>&1 || not_ok "detach $name"
done

# A policy's syscall programs are pinned beside its link, and go with it.
vm_fd=$(vm_fd_of $vmm)
kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o >/dev/null || not_ok "attach pl011"
pinned=$(ls /sys/fs/bpf/kvmexit/$vmm-$vm_fd/)
[ "$(echo $pinned)" = "pl011 pl011_console_input" ] &&
	bpftool prog show pinned /sys/fs/bpf/kvmexit/$vmm-$vm_fd/pl011_console_input |
	grep -q "syscall.*console_input" &&
	echo "ok: pl011's console_input pinned beside its link: $(echo $pinned)" ||
	not_ok "pins of pl011: '$(echo $pinned)'"
kvmexit detach --pid $vmm >/dev/null || not_ok "detach pl011"
pinned=$(ls /sys/fs/bpf/kvmexit/ | grep "^$vmm-")
[ -z "$pinned" ] && echo "ok: detached, nothing left pinned" || not_ok "left pinned: $pinned"

# A list longer than the policy's array is refused, and nothing is attached.
out=$(kvmexit attach --pid $vmm $POLICY --set cpu_on_targets=0,1,2,3,4,5,6,7,8 2>&1)
[ $? -eq 4 ] && echo "$out" | grep -q "too many elements" &&
	kvmexit list --json | grep -q "\"pid\":$vmm,.*\"policy\":null" &&
	echo "ok: 9 CPU_ON targets refused: $out" || not_ok "9 CPU_ON targets: $out"

# Phase 1: attach-time rules. FWD+1 denied though in the allowed range, FWD+3 forwarded
# by the policy, CPU_ON allowed for MPIDRs 0 and 0x100 only, the rest denied. (--verbose:
# a verifier rejection shows its whole log.)
out=$(kvmexit attach --pid $vmm $POLICY --set deny_ids=$((FWD + 1)) \
	--set forward_ids=$((FWD + 3)) --set allow_ids=0xc4000003 \
	--set allow_ranges=$FWD,$((FWD + 15)) --set default_deny=1 \
	--set cpu_on_targets=0,0x100 --set cpu_on_nr_targets=2 --verbose 2>&1)
if [ $? -ne 0 ]; then
	not_ok "attach: $(printf '%s\n' "$out" | tail -n 60)"
	kill $vmm
	exit 1
fi
echo "ok: $out"
kill -USR1 $vmm
wait_log "finished phase 1"

# Phase 2: while the guest waits, FWD+1 allowed and FWD+2 denied by run-time id rules,
# FWD+4..FWD+5 denied by a run-time range (first, last, action); FWD+5's id rule has an
# action that is none (9): counted and ignored. UNFILTERED forwarded, though the VMM's
# SMCCC filter does not forward it: ctx->verdicts says so, and the filter denies it.
bpftool map update name filter_rules key $(le32 $((FWD + 1))) value 1 0 0 0 &&
	bpftool map update name filter_rules key $(le32 $((FWD + 2))) value 2 0 0 0 &&
	bpftool map update name filter_rules key $(le32 $((FWD + 5))) value 9 0 0 0 &&
	bpftool map update name filter_rules key $(le32 $UNFILTERED) value 3 0 0 0 &&
	bpftool map update name filter_ranges key 0 0 0 0 \
		value $(le32 $((FWD + 4))) $(le32 $((FWD + 5))) 2 0 0 0 &&
	echo "ok: four rules and a range changed with bpftool" ||
	not_ok "bpftool map update filter_rules, filter_ranges"
kill -USR1 $vmm
wait_log "finished phase 2"

# The counts, while the VM exists: allowed, denied, forwarded, answered per id.
expect_count $((FWD + 1)) 1,1,0,0
expect_count $((FWD + 2)) 1,1,0,0
expect_count $((FWD + 3)) 0,0,1,0
expect_count $((FWD + 4)) 1,1,0,0
expect_count $((FWD + 5)) 0,1,0,0
expect_count $UNFILTERED 0,1,0,0
expect_count 0x84000000 0,1,0,0
expect_count 0xc4000003 2,1,0,0
expect_count 0xc6000040 0,0,0,2
# Not found, and nothing else: bpftool -j prints null for ENOENT alone (an error object for
# any other failure, such as no such map).
out=$(bpftool -j map lookup name filter_counts key $(le32 0x80000000) 2>&1)
rc=$?
[ $rc -ne 0 ] && [ "$out" = null ] &&
	echo "ok: no count for the Arm Architecture Call (bpftool: not found)" ||
	not_ok "the filter's count for the Arm Architecture Call: bpftool exit $rc, $out"
totals=$(bpftool -j map dump name hypercal.bss 2>&1)
echo "$totals" |
	grep -q '"calls":15}.*"denied":7}.*"untracked":0}.*"bad_rules":1}.*"unforwardable":1}' &&
	echo "ok: totals: 15 calls, 7 denied, none untracked, 1 bad rule, 1 unforwardable" ||
	not_ok "totals: $totals"
stats=$(kvmexit stats --pid $vmm --json)
echo "$stats" |
	grep -q '"hvc":{"handled":9,"to_user":1,"injected":0,"defaulted":5,"errors":0,"refused":0}' &&
	echo "ok: kvmexit stats: hvc handled 9, to_user 1, defaulted 5, no errors, none refused" ||
	not_ok "stats: $stats"

kill -USR1 $vmm
wait $vmm || not_ok "the VMM's check failed"
cat /tmp/filter.log
out=$(kvmexit detach --pid $vmm 2>&1) && echo "ok: $out" || not_ok "detach: $out"
echo "policies-filter: $failures failures"
[ $failures -eq 0 ]
