#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# policies/hypercall_filter.bpf.c as an operator uses it: attached to a running VMM with
# kvmexit and --set rules, rules changed with kvmexit rule while the guest waits between
# phases of calls, its audit log read with kvmexit log, a dry run, its defaults, its
# counters read with bpftool from the maps kvmexit pins. The guest
# (tests/guest/hvc_filter.c) checks every answer in each phase, the VMM (kvmexit-testvmm
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
	got=$(bpftool -j map lookup pinned $PINS/hypercall_filter-filter_counts key $(le32 $1) 2>&1 |
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

# A device keeps one VM's state: pl011 and pl031 attach to a VM only, not to the host.
for device in pl011 pl031; do
	expect 4 "/usr/lib/kvmexit/policies/$device.bpf.o keeps one VM's state (a device): \
attach it to a VM (--pid or --vm-name), not to the host" \
		kvmexit attach --host /usr/lib/kvmexit/policies/$device.bpf.o
done

# A policy's syscall programs and maps are pinned beside its link, in the VM's directory
# (PID-FD-START-VMID), and go with it.
vm_fd=$(vm_fd_of $vmm)
kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o >/dev/null || not_ok "attach pl011"
PINS=$(echo /sys/fs/bpf/kvmexit/$vmm-$vm_fd-*)
pinned=$(ls $PINS)
[ "$(echo $pinned)" = "pl011 pl011-_bss_state_lock pl011-_rodata_cst8 pl011-console_in pl011-console_input pl011-console_out pl011-pl011_bss pl011-pl011_data pl011-pl011_rodata" ] &&
	bpftool prog show pinned $PINS/pl011-console_input |
	grep -q "syscall.*console_input" &&
	echo "ok: pl011's console_input and maps pinned beside its link: $(echo $pinned)" ||
	not_ok "pins of pl011: '$(echo $pinned)'"
kvmexit detach --pid $vmm >/dev/null || not_ok "detach pl011"
pinned=$(ls /sys/fs/bpf/kvmexit/ | grep "^$vmm-")
[ -z "$pinned" ] && echo "ok: detached, nothing left pinned" || not_ok "left pinned: $pinned"

# The filter's pinned maps: its globals (.bss, as libbpf names it after the object).
BSS=hypercall_filter-hypercal_bss

# expect_globals NAME=VALUE...: the filter's globals, from its pinned .bss.
expect_globals() {
	dump=$(bpftool -j map dump pinned $PINS/$BSS 2>&1)
	bad=
	for pair in "$@"; do
		got=$(echo "$dump" | grep -o "\"${pair%=*}\":[0-9]*" | cut -d: -f2)
		[ "$got" = "${pair#*=}" ] || bad="$bad ${pair%=*}=$got"
	done
	[ -z "$bad" ] && echo "ok: the filter's globals $*" ||
		not_ok "the filter's globals:$bad, expected $*"
}

# log_text: kvmexit log without each record's time, x4..x6 and PC (the guest's calls set
# x1..x3 only), and its drop counts.
log_text() {
	kvmexit log --pid $vmm "$@" 2>&1 | untimed
}

# untimed: log records without their time, x4..x6 and PC.
untimed() {
	sed -E 's/^[0-9]+\.[0-9]{6} //; s/ x4=[^ ]* x5=[^ ]* x6=[^ ]* pc=[^ ]*$//'
}

# expect_text WHAT EXPECTED GOT: GOT is EXPECTED, line for line.
expect_text() {
	[ "$3" = "$2" ] && echo "ok: $1:" && printf '%s\n' "$3" | sed 's/^/    /' && return
	not_ok "$1:"
	printf '%s\n' "$3" | sed 's/^/    got:      /'
	printf '%s\n' "$2" | sed 's/^/    expected: /'
}

# stats_hvc HANDLED TO_USER DEFAULTED: KVM's hvc counters of the VM (no error, none refused).
expect_stats() {
	stats=$(kvmexit stats --pid $vmm --json)
	echo "$stats" | grep -q "\"hvc\":{\"handled\":$1,\"to_user\":$2,\"injected\":0,\"defaulted\":$3,\"errors\":0,\"refused\":0}" &&
		echo "ok: kvmexit stats: hvc handled $1, to_user $2, defaulted $3, no errors, none refused" ||
		not_ok "stats (expected hvc handled $1 to_user $2 defaulted $3): $stats"
}

# next_phase N: let the guest run phase N, and wait until it finished it.
next_phase() {
	kill -USR1 $vmm
	wait_log "finished phase $1"
}

expect 5 "VM $vmm/$vm_fd: no policy attached by kvmexit" kvmexit rule show --pid $vmm
expect 5 "VM $vmm/$vm_fd: no policy attached by kvmexit" kvmexit log --pid $vmm

# CPU_ON targets are MPIDR_EL1 values, bit 31 set, up to the zeros kvmexit fills the rest
# with: an affinity alone (0x100), a 0 meant as MPIDR 0, a list longer than the policy's
# array are refused, and nothing is attached.
for targets in 0x100 0 0,0x80000100 0x80000000,0,0x80000100; do
	expect 4 "cpu_on_targets: MPIDR_EL1 values, bit 31 set, no 0 among them" \
		kvmexit attach --pid $vmm $POLICY --set cpu_on_targets=$targets
done
# A range list with a lone FIRST (its LAST would be the 0 filled in) or a reversed pair would
# leave its ids unfiltered: refused too.
for ranges in "deny_ranges=0x84000050" "allow_ranges=0x84000000,0x8400001f,0xc4000000" \
	      "forward_ranges=0xc300010f,0xc3000100"; do
	expect 4 "deny, forward, allow_ranges: pairs FIRST,LAST, FIRST <= LAST" \
		kvmexit attach --pid $vmm $POLICY --set $ranges
done
expect 4 "too many elements" kvmexit attach --pid $vmm $POLICY \
	--set cpu_on_targets=0x80000000,0x80000001,0x80000002,0x80000003,0x80000004,0x80000005,0x80000006,0x80000007,0x80000008
kvmexit list --json | grep -q "\"pid\":$vmm,.*\"policy\":null" &&
	echo "ok: none of them attached" || not_ok "a refused filter is attached"

# Phase 1: attach-time rules. FWD+1 denied though in the allowed range, FWD+3 forwarded
# by the policy, CPU_ON (SMC32 and SMC64 alike) allowed for MPIDRs 0 and 0x100 only, the
# rest denied; the information call on. (--verbose: a verifier rejection shows its whole
# log.)
out=$(kvmexit attach --pid $vmm $POLICY --set deny_ids=$((FWD + 1)) \
	--set forward_ids=$((FWD + 3)) --set allow_ids=0x84000003,0xc4000003 \
	--set allow_ranges=$FWD,$((FWD + 15)) --set default_deny=1 \
	--set cpu_on_targets=0x80000000,0x80000100 --set info_fid=0xc6000040 --verbose 2>&1)
if [ $? -ne 0 ]; then
	not_ok "attach: $(printf '%s\n' "$out" | tail -n 60)"
	kill $vmm
	exit 1
fi
echo "ok: $out"
PINS=$(echo /sys/fs/bpf/kvmexit/$vmm-$vm_fd-*)
pinned=$(ls $PINS | tr '\n' ' ')
[ "$pinned" = "hypercall_filter hypercall_filter-filter_counts hypercall_filter-filter_log hypercall_filter-filter_ranges hypercall_filter-filter_rules hypercall_filter-filter_vms hypercall_filter-hypercal_bss hypercall_filter-hypercal_rodata " ] &&
	echo "ok: the filter's maps pinned beside its link: $pinned" || not_ok "pins of the filter: $pinned"
next_phase 1

# Every denied and forwarded call, in order: vCPU, conduit, id, name, x1..x3; x4..x6 of
# the first (set by the guest too).
raw=$(kvmexit log --pid $vmm 2>&1)
echo "$raw" | grep -q " hvc 0xc3000101 - denied x1=0x1 x2=0x2 x3=0x3 x4=0x4 x5=0x5 x6=0x6 pc=0x4" &&
	echo "ok: x1..x6 logged: $(echo "$raw" | head -n1)" || not_ok "x1..x6 of the first record: $raw"
expect_text "kvmexit log after phase 1" "$(cat <<EOT
vCPU 0 hvc 0xc3000101 - denied x1=0x1 x2=0x2 x3=0x3
vCPU 0 smc 0xc3000103 - forwarded x1=0x7 x2=0x8 x3=0x9
vCPU 0 hvc 0x84000000 PSCI_VERSION denied x1=0 x2=0 x3=0
vCPU 0 hvc 0xc4000003 PSCI_CPU_ON denied x1=0x1 x2=0x40000000 x3=0
vCPU 0 hvc 0x84000003 PSCI_CPU_ON denied x1=0x1 x2=0x40000000 x3=0
0 records dropped (rate limit), 0 lost (log full)
EOT
)" "$(echo "$raw" | untimed)"
expect_text "kvmexit log read again: each record is read once" \
	"0 records dropped (rate limit), 0 lost (log full)" "$(log_text)"
expect 0 '"records":\[\],"dropped":0,"lost":0}' kvmexit log --pid $vmm --json

# Phase 2: while the guest waits, run-time rules with kvmexit rule: FWD+1 allowed and
# FWD+2 denied by id, FWD+4..FWD+5 denied by a range; UNFILTERED forwarded, though the
# VMM's SMCCC filter does not forward it: ctx->verdicts says so, and the filter denies it.
expect 0 "set 0xc3000101 allow in hypercall_filter of VM $vmm/$vm_fd" \
	kvmexit rule add --pid $vmm $(printf '%#x' $((FWD + 1))) allow
expect 0 "set 0xc3000102 deny" kvmexit rule add --pid $vmm $((FWD + 2)) deny
expect 0 "set 0xc3000200 forward" kvmexit rule add --pid $vmm $UNFILTERED forward
expect 0 "set 0xc3000104-0xc3000105 deny" kvmexit rule add --pid $vmm 0xc3000104-0xc3000105 deny
expect 0 '"set":{"ids":\[3271557383\],"name":null,"action":"deny"}' \
	kvmexit rule add --pid $vmm 0xc3000107 deny --json
expect 0 "deleted 0xc3000107 in" kvmexit rule del --pid $vmm 0xc3000107
expect 5 "has no run-time rule for 0xc3000107" kvmexit rule del --pid $vmm 0xc3000107
expect 1 "9: not an action (allow, deny, forward)" kvmexit rule add --pid $vmm 0xc3000105 9
expect 1 "PSCI_CPU_ONN: no such SMCCC name" kvmexit rule add --pid $vmm PSCI_CPU_ONN deny
expect 1 "0xc3000105-0xc3000104: the range ends before it starts" \
	kvmexit rule add --pid $vmm 0xc3000105-0xc3000104 deny
expect 1 "PSCI_CPU_ON-0xc4000010: a range's ends are single ids (PSCI_CPU_ON names 2)" \
	kvmexit rule add --pid $vmm PSCI_CPU_ON-0xc4000010 deny
# An action kvmexit would not write (9): FWD+5's rule (struct filter_rule: its lock, id and
# action), with bpftool on the pinned map; the filter counts it and ignores it.
bpftool map update pinned $PINS/hypercall_filter-filter_rules key $(le32 $((FWD + 5))) \
	value 0 0 0 0 $(le32 $((FWD + 5))) 9 0 0 0 && echo "ok: an invalid rule written with bpftool" ||
	not_ok "bpftool map update pinned $PINS/hypercall_filter-filter_rules"
# A file with an error changes nothing, not even its good lines before the error.
before=$(kvmexit rule show --pid $vmm)
printf '0xc3000106 deny\n# the TRNG\nPSCI_CPU_ONN deny\n' >/tmp/bad.rules
expect 4 "/tmp/bad.rules:3: PSCI_CPU_ONN: no such SMCCC name" \
	kvmexit rule load --pid $vmm /tmp/bad.rules
printf 'PSCI_VERSION allow\n0xc3000101-0xc3000101 deny\nPSCI_VERSION deny\n' >/tmp/twice.rules
expect 4 "/tmp/twice.rules:3: PSCI_VERSION: line 1 has a rule for it already" \
	kvmexit rule load --pid $vmm /tmp/twice.rules
expect_text "rules unchanged by the bad files" "$before" "$(kvmexit rule show --pid $vmm)"
# SMCCC names: PSCI_CPU_ON is both its ids.
printf '# PSCI for the guest\nPSCI_VERSION allow\n\n  PSCI_CPU_ON\tdeny   # SMC32 and SMC64\n' \
	>/tmp/good.rules
expect 0 "loaded 2 rules from /tmp/good.rules into hypercall_filter of VM $vmm/$vm_fd" \
	kvmexit rule load --pid $vmm /tmp/good.rules
expect_text "kvmexit rule show" "$(cat <<EOT
0x84000000 allow  # PSCI_VERSION
0x84000003 deny  # PSCI_CPU_ON
0xc3000101 allow
0xc3000102 deny
# 0xc3000105: invalid action 9 (ignored)
0xc3000200 forward
0xc4000003 deny  # PSCI_CPU_ON
0xc3000104-0xc3000105 deny
EOT
)" "$(kvmexit rule show --pid $vmm 2>&1)"
expect 0 '{"ids":\[2214592515\],"name":"PSCI_CPU_ON","action":"deny"}' \
	kvmexit rule show --pid $vmm --json
# elements PATH: how many elements bpftool dumps from the map pinned at PATH (each key
# twice: as bytes, and formatted by its BTF).
elements() {
	bpftool -j map dump pinned $1 | grep -o '"key":\[' | wc -l
}

# bpftool reads the pinned map as well.
out=$(bpftool -j map dump pinned $PINS/hypercall_filter-filter_rules 2>&1)
[ "$(elements $PINS/hypercall_filter-filter_rules)" = 7 ] &&
	echo "ok: bpftool map dump pinned $PINS/hypercall_filter-filter_rules: 7 elements" ||
	not_ok "bpftool map dump pinned: $out"
next_phase 2
expect_text "kvmexit log after phase 2" "$(cat <<EOT
vCPU 0 hvc 0xc3000102 - denied x1=0xd x2=0xe x3=0xf
vCPU 0 hvc 0xc3000104 - denied x1=0x13 x2=0x14 x3=0x15
vCPU 0 hvc 0xc3000105 - denied x1=0x16 x2=0x17 x3=0x18
vCPU 0 hvc 0xc3000200 - denied x1=0x19 x2=0x1a x3=0x1b
vCPU 0 hvc 0x84000003 PSCI_CPU_ON denied x1=0 x2=0x40000000 x3=0
vCPU 0 hvc 0xc4000003 PSCI_CPU_ON denied x1=0 x2=0x40000000 x3=0
0 records dropped (rate limit), 0 lost (log full)
EOT
)" "$(log_text)"

# The counts, while the VM exists: allowed, denied, forwarded, answered per id.
expect_count $((FWD + 1)) 1,1,0,0
expect_count $((FWD + 2)) 1,1,0,0
expect_count $((FWD + 3)) 0,0,1,0
expect_count $((FWD + 4)) 1,1,0,0
expect_count $((FWD + 5)) 0,1,0,0
expect_count $UNFILTERED 0,1,0,0
expect_count 0x84000000 1,1,0,0
expect_count 0x84000003 1,2,0,0
expect_count 0xc4000003 2,2,0,0
expect_count 0xc6000040 0,0,0,2
# Not found, and nothing else: bpftool -j prints null for ENOENT alone (an error object for
# any other failure, such as no such map).
out=$(bpftool -j map lookup pinned $PINS/hypercall_filter-filter_counts key $(le32 0x80000000) 2>&1)
rc=$?
[ $rc -ne 0 ] && [ "$out" = null ] &&
	echo "ok: no count for the Arm Architecture Call (bpftool: not found)" ||
	not_ok "the filter's count for the Arm Architecture Call: bpftool exit $rc, $out"
expect_globals allowed=9 denied=10 forwarded=1 answered=2 untracked=0 bad_rules=1 \
	unforwardable=1 log_dropped=0 log_lost=0
expect_stats 12 1 9

# Phase 3: kvmexit replace with the same filter and no --set keeps what the operator set and
# the filter counted: the run-time rules and ranges (their maps shared), the attach-time
# parameters (.rodata, by name), the counts and the log (.bss, the ring buffer). The guest
# calls ids the rules decide, both ends of the run-time range, and the information call (on
# by a kept parameter), whose counts go on.
rules=$(kvmexit rule show --pid $vmm 2>&1)
params=$(bpftool -j map dump pinned $PINS/hypercall_filter-hypercal_rodata 2>&1)
expect 0 "replaced the policy hypercall_filter of VM $vmm/$vm_fd with hypercall_filter" \
	kvmexit replace --pid $vmm $POLICY
expect_text "kvmexit rule show after the replace" "$rules" "$(kvmexit rule show --pid $vmm 2>&1)"
got=$(bpftool -j map dump pinned $PINS/hypercall_filter-hypercal_rodata 2>&1)
[ -n "$params" ] && [ "$got" = "$params" ] &&
	echo "ok: the parameters after the replace are those before" ||
	not_ok "parameters before the replace: $params; after: $got"
expect_globals allowed=9 denied=10 forwarded=1 answered=2 untracked=0 bad_rules=1 \
	unforwardable=1 log_dropped=0 log_lost=0
next_phase 3
expect_text "kvmexit log after phase 3" "$(cat <<EOT
vCPU 0 hvc 0xc3000102 - denied x1=0x25 x2=0x26 x3=0x27
vCPU 0 hvc 0xc3000104 - denied x1=0x28 x2=0x29 x3=0x2a
vCPU 0 hvc 0xc3000105 - denied x1=0x2b x2=0x2c x3=0x2d
vCPU 0 hvc 0xc4000003 PSCI_CPU_ON denied x1=0 x2=0x40000000 x3=0
0 records dropped (rate limit), 0 lost (log full)
EOT
)" "$(log_text)"
expect_globals allowed=10 denied=14 forwarded=1 answered=3 bad_rules=2
expect_count $((FWD + 5)) 0,2,0,0
expect_stats 17 1 10
# A parameter given with --set wins over the replaced policy's; the others are kept.
expect 0 "replaced the policy hypercall_filter" kvmexit replace --pid $vmm $POLICY \
	--set log_burst=21
got=$(bpftool -j map dump pinned $PINS/hypercall_filter-hypercal_rodata 2>&1)
[ "$(echo "$got" | grep -o '"log_burst":[0-9]*')" = '"log_burst":21' ] &&
	[ "$(echo "$got" | grep -o '"info_fid":[0-9]*')" = '"info_fid":3321888832' ] &&
	echo "ok: replaced with --set log_burst=21: log_burst 21, info_fid kept" ||
	not_ok "parameters after a replace with --set log_burst=21: $got"
# A map whose definition changed cannot carry its entries over: refused, nothing replaced.
expect 4 "the running policy's map filter_rules has key and value 4 and 12 bytes, the new \
policy's 4 and 4" kvmexit replace --pid $vmm /usr/lib/kvmexit/tests/filter_v0.bpf.o

# Phase 4: a dry run, in place of the filter, started fresh (no rule, count or parameter
# of the replaced one). The guest gets KVM's answers; the log says what the filter would have
# done, and so do its counts. A kvmexit log --follow of the replaced filter ends, saying so.
kvmexit log --pid $vmm --follow >/tmp/follow-replaced.txt 2>&1 &
follow=$!
# Following once it holds the filter's maps: its rules, ranges, log and globals.
following() { [ "$(ls -l /proc/$follow/fd 2>/dev/null | grep -c 'anon_inode:bpf-map')" -ge 4 ]; }
wait_until following || not_ok "kvmexit log --follow never opened the filter's maps"
expect 0 "replaced the policy hypercall_filter of VM $vmm/$vm_fd" kvmexit replace --pid $vmm \
	--fresh $POLICY --set dry_run=1 --set default_deny=1 --set forward_ids=$((FWD + 3)) \
	--set cpu_on_targets=0x80000000
ended() { ! kill -0 $follow 2>/dev/null; }
wait_until ended || kill $follow
wait $follow
rc=$?
[ $rc -eq 5 ] && grep -q "hypercall_filter of VM $vmm/$vm_fd was replaced: its log ended" \
	/tmp/follow-replaced.txt &&
	echo "ok: kvmexit log --follow ended with 5 when its filter was replaced" ||
	not_ok "kvmexit log --follow across a replace: exit $rc, $(cat /tmp/follow-replaced.txt)"
next_phase 4
expect_text "kvmexit log of the dry run" "$(cat <<EOT
vCPU 0 hvc 0x84000000 PSCI_VERSION would-deny x1=0 x2=0 x3=0
vCPU 0 hvc 0xc3000103 - would-forward x1=0x1c x2=0x1d x3=0x1e
vCPU 0 hvc 0xc4000003 PSCI_CPU_ON would-deny x1=0x1 x2=0x40000000 x3=0
0 records dropped (rate limit), 0 lost (log full)
EOT
)" "$(log_text)"
expect_globals allowed=0 denied=2 forwarded=1 answered=0
expect_stats 17 1 13

# Phase 5: the defaults (no information call; fresh), denying 301 distinct ids at once, the
# range's last among them: more than filter_counts holds, and than the log takes at 1 record
# a second in bursts of 8 (the guest's calls take well under a second). kvmexit log --follow
# reads meanwhile.
expect 0 "replaced the policy hypercall_filter" kvmexit replace --pid $vmm --fresh $POLICY \
	--set deny_ranges=0xc3001000,0xc3001fff --set log_rate=1 --set log_burst=8
kvmexit log --pid $vmm --follow >/tmp/follow.txt 2>&1 &
follow=$!
next_phase 5
wait_until grep -q "^293 records dropped" /tmp/follow.txt ||
	not_ok "kvmexit log --follow never reported 293 drops: $(cat /tmp/follow.txt)"
kill -INT $follow
wait $follow && echo "ok: kvmexit log --follow ended by SIGINT, exit 0" ||
	not_ok "kvmexit log --follow exit $?"
expect_text "kvmexit log --follow of 301 denied calls" "$(cat <<EOT
vCPU 0 hvc 0xc3001000 - denied x1=0 x2=0 x3=0
vCPU 0 hvc 0xc3001001 - denied x1=0x1 x2=0 x3=0
vCPU 0 hvc 0xc3001002 - denied x1=0x2 x2=0 x3=0
vCPU 0 hvc 0xc3001003 - denied x1=0x3 x2=0 x3=0
vCPU 0 hvc 0xc3001004 - denied x1=0x4 x2=0 x3=0
vCPU 0 hvc 0xc3001005 - denied x1=0x5 x2=0 x3=0
vCPU 0 hvc 0xc3001006 - denied x1=0x6 x2=0 x3=0
vCPU 0 hvc 0xc3001007 - denied x1=0x7 x2=0 x3=0
293 records dropped (rate limit), 0 lost (log full)
EOT
)" "$(grep -v 'records dropped' /tmp/follow.txt | untimed; grep 'records dropped' /tmp/follow.txt | tail -n1)"
# The totals add up whatever ids the guest calls; filter_counts keeps the latest ids.
expect_globals allowed=1 denied=301 forwarded=0 answered=0 untracked=0 log_dropped=293 log_lost=0
expect_count 0xc300112b 0,1,0,0
expect_count 0xc3001fff 0,1,0,0
counted=$(elements $PINS/hypercall_filter-filter_counts)
[ -n "$counted" ] && [ "$counted" -le 256 ] &&
	echo "ok: filter_counts holds $counted ids of the 302 called, at most its 256" ||
	not_ok "filter_counts holds '$counted' ids"
expect_stats 318 1 14

# Rules for a detached filter would decide nothing: refused. (bpftool detaches the link as
# KVM does when it ejects a policy; the pins stay until kvmexit detach.)
bpftool link detach pinned $PINS/hypercall_filter || not_ok "bpftool link detach"
expect 5 "VM $vmm/$vm_fd: the policy hypercall_filter is detached (KVM ejected it, or its VM \
is gone): its rules no longer decide anything" kvmexit rule add --pid $vmm 0xc3000107 deny

kill -USR1 $vmm
wait $vmm || not_ok "the VMM's check failed"
cat /tmp/filter.log
out=$(kvmexit detach --pid $vmm 2>&1) && echo "ok: $out" || not_ok "detach: $out"
echo "policies-filter: $failures failures"
[ $failures -eq 0 ]
