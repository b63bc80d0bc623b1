#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kvmexit CLI against a running VMM (kvmexit-testvmm serve): list, attach with
# parameters, stats, replace, detach, the failures a user can act on, and a policy ejected
# for bad verdicts. The VMM checks at the end that KVM counted every call a policy answered.
P=/usr/lib/kvmexit/tests
failures=0
. /tests/serve-lib.sh

start_serve /tmp/serve.log
vmm=$served

expect 0 "VM $vmm/.*kvmexit-testvmm serve" kvmexit list
expect 0 "\"pid\":$vmm,.*\"vcpus\":1,\"policy\":null" kvmexit list --json
expect 0 "attached live_policy to VM $vmm/" \
	kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
expect 0 "policies live_policy (vm)" kvmexit list
wait_handled_above $vmm 0
expect 5 "already has a policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o
# A second policy on the VM's chain, placed ahead of the first (it declines every call).
expect 0 "attached chain_policy to VM $vmm/" \
	kvmexit attach --pid $vmm --before live_policy $P/chain_policy.bpf.o
expect 0 "policies chain_policy (vm), live_policy (vm)" kvmexit list
expect 0 '"policies":\[{"name":"chain_policy","id":[0-9]*,"from":"vm"},{"name":"live_policy",' \
	kvmexit list --json --pid $vmm
expect 5 "has 2 policies attached by kvmexit: name one" kvmexit detach --pid $vmm
expect 5 "has no policy nosuch attached by kvmexit" kvmexit detach --pid $vmm nosuch
expect 5 "has no policy nosuch attached by kvmexit" \
	kvmexit attach --pid $vmm --after nosuch $P/hvc_policy.bpf.o
expect 1 "one place" kvmexit attach --pid $vmm --first --after live_policy $P/hvc_policy.bpf.o
expect 1 "one target" kvmexit attach --pid $vmm --host $P/hvc_policy.bpf.o
expect 0 "detached chain_policy from VM $vmm/" kvmexit detach --pid $vmm chain_policy
expect 0 "policies live_policy (vm)" kvmexit list
before=$(handled "$vmm")
expect 0 "replaced the policy live_policy of VM $vmm/[0-9]* with live_policy" \
	kvmexit replace --pid $vmm $P/live_policy.bpf.o --set tag=0xbbbb
wait_handled_above $vmm "$before"
expect 0 "detached" kvmexit detach --pid $vmm
expect_unanswered $vmm "detached: the VMM answers again"
expect 5 "no policy attached" kvmexit detach --pid $vmm
expect 5 "no policy" kvmexit replace --pid $vmm $P/live_policy.bpf.o
expect 5 "no policy attached by kvmexit" kvmexit console --pid $vmm

# What a user can get wrong, and is told.
expect 2 "no process 999999" kvmexit attach --pid 999999 $P/live_policy.bpf.o
expect 2 "process 1 has no VM" kvmexit attach --pid 1 $P/live_policy.bpf.o
expect 2 "no VM at fd 0" kvmexit attach --pid $vmm --vm 0 $P/live_policy.bpf.o
expect 3 "no ptrace rights" as-nobody kvmexit attach --pid $vmm $P/live_policy.bpf.o
expect 0 "processes not inspected (no ptrace rights over them): their VMs are not listed" \
	as-nobody kvmexit list
expect 4 "has no struct kvm_arm_exit_ops" kvmexit attach --pid $vmm $P/no_ops.bpf.o
expect 4 "cannot open" kvmexit attach --pid $vmm /bin/busybox
expect 4 "the verifier rejected.*cannot write into ptr_kvm_arm_exit_ctx" \
	kvmexit attach --pid $vmm $P/rejected.bpf.o
expect 4 "at ; .*smccc_fid = 0" kvmexit attach --pid $vmm $P/rejected.bpf.o
expect 4 "the verifier rejected.*forged_ctx.bpf.o" kvmexit attach --pid $vmm $P/forged_ctx.bpf.o
expect 4 "no such variable" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set nosuch=1
expect 4 "not an integer" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=xyz
expect 1 "expected NAME=VALUE" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag
expect 1 "no command" kvmexit frobnicate
expect 0 "exit codes" kvmexit --help
expect 0 "^kvmexit 0\.4 (libkvmexit 0\.4)$" kvmexit --version
expect 0 "^\[{\"pid\":$vmm," kvmexit --json --pid $vmm list
expect 1 "unexpected argument extra" kvmexit list extra
expect 1 "unexpected argument two" kvmexit detach --pid $vmm one two

# Policies by name ($KVMEXIT_POLICY_PATH, then the installed ones), their parameters from
# BTF, pins that name the VMM by pid and start time, JSON for errors too, -p.
expect 0 "^tag  *u64  *43690$" kvmexit params $P/live_policy.bpf.o
expect 0 '^\[{"name":"tag","type":"u64","default":"43690"}\]$' kvmexit params -j $P/live_policy.bpf.o
expect 0 "^deny_ranges  *u32\[16\]  *0$" kvmexit params hypercall_filter
expect 4 "no policy nosuch: no nosuch.bpf.o in /usr/lib/kvmexit/policies" kvmexit params nosuch
expect 0 "attached live_policy to VM $vmm/[0-9]* (link /sys/fs/bpf/kvmexit/$vmm-[0-9]*-$(awk '{ print $22 }' /proc/$vmm/stat)-[0-9]*/live_policy" \
	env KVMEXIT_POLICY_PATH=/nonexistent:$P kvmexit attach --pid $vmm live_policy --set tag=0xaaaa
expect 0 '^{"detached":"live_policy","from":"VM '$vmm'/[0-9]*","vmm_gone":false}$' \
	kvmexit detach --json --pid $vmm
expect 2 '^{"error":"no process 999999","exit_code":2}$' \
	kvmexit --json attach --pid 999999 $P/live_policy.bpf.o
expect 0 '^    "pid": '$vmm',$' kvmexit -p list --pid $vmm
expect 1 "one target: --pid, --vm-name, --cgroup or --host" \
	kvmexit attach --pid $vmm --vm-name x live_policy
expect 4 '^{"error":"the verifier rejected [^"]*rejected.bpf.o: [^"]*cannot write into ptr_kvm_arm_exit_ctx[^"]* at ; [^"]*smccc_fid = 0[^"]*","exit_code":4}$' \
	kvmexit --json attach --pid $vmm $P/rejected.bpf.o
expect 1 '^{"error":"--pid abc: not a process id","exit_code":1}$' kvmexit -j --pid abc list
expect 1 '^{"error":"no command (see kvmexit --help)","exit_code":1}$' kvmexit --json

# A VM created by another thread of its VMM: KVM names its debugfs directory after that
# thread, where kvmexit finds its chain and counters all the same.
kvmexit-testvmm serve-thread >/tmp/serve-thread.log 2>&1 &
threaded=$!
wait_for_vm $threaded
expect 0 "attached live_policy to VM $threaded/" \
	kvmexit attach --pid $threaded $P/live_policy.bpf.o --set tag=0xaaaa
wait_handled_above $threaded 0
expect 0 "policies live_policy (vm)$" kvmexit list --pid $threaded
expect 0 "detached live_policy" kvmexit detach --pid $threaded
kill -USR1 $threaded
wait $threaded && echo "ok: serve-thread: $(tail -n 1 /tmp/serve-thread.log)" ||
	not_ok "serve-thread: $(tail -n 3 /tmp/serve-thread.log)"

# A VM its VMM creates at the fd of one it destroyed is another VM: the first one's pins
# (PID-FD-START-VMID) never pass for its own, so a rule edit does not go to the dead VM's
# filter, and an attach is not refused for it.
kvmexit-testvmm serve-recreate >/tmp/serve-recreate.log 2>&1 &
renewed=$!
said() { grep -q "$1" /tmp/serve-recreate.log; }
wait_until said "waits for SIGUSR1" || not_ok "serve-recreate never waited"
expect 0 "attached hypercall_filter to VM $renewed/" kvmexit attach --pid $renewed hypercall_filter
kill -USR1 $renewed
wait_until said "VM fd [0-9]* made again$" || not_ok "serve-recreate never made its VM again"
expect 5 "VM $renewed/.*: no policy attached by kvmexit" \
	kvmexit rule add --pid $renewed 0xc3000107 deny
expect 0 "attached hypercall_filter to VM $renewed/" kvmexit attach --pid $renewed hypercall_filter
expect 0 "detached hypercall_filter" kvmexit detach --pid $renewed
kill -USR1 $renewed
wait $renewed && echo "ok: serve-recreate: $(tail -n 1 /tmp/serve-recreate.log)" ||
	not_ok "serve-recreate: $(tail -n 3 /tmp/serve-recreate.log)"
# The destroyed VM's pins, which its VMM's exit leaves alone, go with a detach.
expect 0 "detached hypercall_filter from VM $renewed/.* (its VMM is gone)" \
	kvmexit detach --pid $renewed

# Two policies whose names extend one another: what is pinned beside one is never taken
# for the other's, by detach or by attach.
expect 0 "attached live_policy_b to" \
	kvmexit attach --pid $vmm $P/live_policy_b.bpf.o --set tag=0xaaaa
expect 0 "attached live_policy to" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
expect 0 "detached live_policy from" kvmexit detach --pid $vmm live_policy
expect 0 "policies live_policy_b (vm)$" kvmexit list --pid $vmm
pinned=$(ls /sys/fs/bpf/kvmexit/$vmm-*/)
[ "$(echo $pinned)" = "live_policy_b live_policy_b-live_pol_bss live_policy_b-live_pol_rodata" ] &&
	echo "ok: live_policy_b's pins kept: $(echo $pinned)" ||
	not_ok "live_policy_b's pins after live_policy's detach: $(echo $pinned)"
expect 0 "detached live_policy_b" kvmexit detach --pid $vmm

# A policy ejected for forbidden verdicts: KVM detached its link, the VM says why, and
# takes another.
expect 0 "attached bad_verdict" kvmexit attach --pid $vmm $P/bad_verdict.bpf.o
ejected() { kvmexit list | grep -q "ejected: forbidden verdicts"; }
wait_until ejected
expect 0 "policies none (ejected: forbidden verdicts)" kvmexit list
# The kernel names the VMM by its process id, and the hook and verdict by name.
expect 0 "kvm: pid $vmm: exit policy returned INJECT (3), which its hvc hook never allows" dmesg
expect 0 "kvm: pid $vmm: exit policy (map id [0-9]*) ejected after 64 errors" dmesg
expect 0 "\"ejected\":\"forbidden verdicts\"" kvmexit stats --pid $vmm --json
expect 5 "ejected" kvmexit replace --pid $vmm $P/live_policy.bpf.o
expect 0 "detached" kvmexit detach --pid $vmm
expect 0 "attached live_policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
expect 4 "no policy of VM $vmm/[0-9]* has a ring buffer" kvmexit console --pid $vmm
before=$(handled "$vmm")
wait_handled_above $vmm "$before"
expect 0 "detached" kvmexit detach --pid $vmm

# kvmexit console follows the one policy it found: it ends, saying so, when that one is
# replaced (exit 5), and quietly when it is detached (exit 0). The second console's stdin is
# the write end of a FIFO with no reader left, which poll() reports as POLLERR on every
# pass: the console must stop reading it, not spin. Measured against a busy loop run
# beside it for the same second: a spinning console takes about as much CPU time as the
# loop, a waiting one nearly none, however fast the machine runs.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# following PID: has the console PID opened the policy's maps (and so noted which it follows)?
following() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q "bpf-map"; }
expect 0 "attached pl011" kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o
kvmexit console --pid $vmm </dev/null >/tmp/console.out 2>/tmp/console.err &
console=$!
wait_until following $console || not_ok "kvmexit console never opened the policy's maps"
expect 0 "replaced the policy pl011 of VM $vmm/[0-9]* with pl011" \
	kvmexit replace --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o
wait $console
rc=$?
[ $rc -eq 5 ] && grep -q "policy of VM $vmm/[0-9]* was replaced: its console ended" /tmp/console.err &&
	echo "ok: kvmexit console ended with 5 when its policy was replaced: $(cat /tmp/console.err)" ||
	{ echo "not ok: console after replace: exit $rc, $(cat /tmp/console.err)"; failures=$((failures + 1)); }
rm -f /tmp/console.in
mkfifo /tmp/console.in
sleep 60 </tmp/console.in &
reader=$!
kvmexit console --pid $vmm 0>/tmp/console.in >/tmp/console.out 2>/tmp/console.err &
console=$!
wait_until following $console || not_ok "kvmexit console never opened the policy's maps"
kill $reader
wait $reader
sleep 0.5
(while :; do :; done) &
spinner=$!
c0=$(cpu_ticks $console) s0=$(cpu_ticks $spinner)
sleep 1
c1=$(cpu_ticks $console) s1=$(cpu_ticks $spinner)
kill $spinner
wait $spinner 2>/dev/null
spun=$((s1 - s0)) used=$((c1 - c0))
if [ "$spun" -ge 10 ] && [ $((used * 10)) -lt "$spun" ]; then
	echo "ok: console with a broken stdin: $used ticks of CPU, a busy loop beside it $spun"
else
	not_ok "console with a broken stdin: $used ticks of CPU, a busy loop beside it $spun (expected under a tenth, of at least 10)"
fi
expect 0 "detached" kvmexit detach --pid $vmm
wait $console
rc=$?
[ $rc -eq 0 ] && echo "ok: kvmexit console ended with 0 when its policy was detached" ||
	{ echo "not ok: console after detach: exit $rc, $(cat /tmp/console.err)"; failures=$((failures + 1)); }

# The host-wide policy, through bpftool: vm_fd stays -1 in the object.
mkdir -p /sys/fs/bpf/hostwide
# register_hostwide: register live_policy with bpftool; its link id in $link_id.
register_hostwide() {
	out=$(bpftool struct_ops register $P/live_policy.bpf.o /sys/fs/bpf/hostwide 2>&1)
	link_id=$(printf '%s\n' "$out" | sed -n 's/.*link id \([0-9]*\).*/\1/p')
	if printf '%s\n' "$out" | grep -q "Registered kvm_arm_exit_ops live_policy" &&
	   [ -n "$link_id" ]; then
		echo "ok: bpftool struct_ops register: $out"
	else
		not_ok "bpftool struct_ops register: $out"
	fi
}
register_hostwide
expect 0 "live_policy" bpftool struct_ops show
expect 0 "live_policy" bpftool struct_ops dump name live_policy
before=$(handled "$vmm")
wait_handled_above $vmm "$before"
# Unpinned, the link is released by a work item: wait until it is gone.
link_gone() { ! bpftool link show id "$1" >/dev/null 2>&1; }
expect 0 "" rm /sys/fs/bpf/hostwide/live_policy
wait_until link_gone "$link_id" || not_ok "link $link_id still there after unpinning"
expect_unanswered $vmm "no policy after unpinning"

# ... and again, removed with bpftool link detach (the pin stays, orphaned).
register_hostwide
before=$(handled "$vmm")
wait_handled_above $vmm "$before"
expect 0 "" bpftool link detach id "$link_id"
expect_unanswered $vmm "no policy after bpftool link detach"
rm -f /sys/fs/bpf/hostwide/live_policy

# stats --watch repeats until interrupted, then exits 0.
kvmexit stats --pid $vmm --watch=1 >/tmp/watch.out &
watch=$!
tables() { [ "$(grep -c "^VM $vmm/" /tmp/watch.out)" -ge "$1" ]; }
wait_until tables 2
kill -INT $watch
wait $watch
rc=$?
tables=$(grep -c "^VM $vmm/" /tmp/watch.out)
[ $rc -eq 0 ] && [ "$tables" -ge 2 ] && echo "ok: stats --watch printed $tables tables" ||
	{ echo "not ok: stats --watch: exit $rc, $tables tables"; failures=$((failures + 1)); }

# kvmexit console without a NAME follows the one policy with ring buffers among several,
# whichever bpffs lists first (live_policy has none), until it is detached.
# console_beside WHAT: a console of $vmm follows pl011 and ends with 0 at its detach.
# (Following once it polls its ring buffer, an epoll fd: it holds maps while it looks too.)
console_beside() {
	kvmexit console --pid $vmm </dev/null >/tmp/console.out 2>/tmp/console.err &
	console=$!
	polling() { ls -l /proc/$console/fd 2>/dev/null | grep -q eventpoll; }
	started() { polling || ! kill -0 $console 2>/dev/null; }
	wait_until started
	polling && expect 0 "detached pl011" kvmexit detach --pid $vmm pl011
	wait $console
	rc=$?
	[ $rc -eq 0 ] && ! [ -s /tmp/console.err ] &&
		echo "ok: kvmexit console with $1: followed pl011 until it was detached" ||
		not_ok "kvmexit console with $1: exit $rc, $(cat /tmp/console.err)"
	kvmexit detach --pid $vmm pl011 >/dev/null 2>&1
}
expect 0 "attached pl011" kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o
expect 0 "attached live_policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
console_beside "live_policy attached after pl011"
expect 0 "attached pl011" kvmexit attach --pid $vmm /usr/lib/kvmexit/policies/pl011.bpf.o
console_beside "live_policy attached before pl011"
expect 4 "the policy live_policy of VM $vmm/[0-9]* has no ring buffer to follow" \
	kvmexit console --pid $vmm live_policy
expect 5 "VM $vmm/[0-9]* has no policy pl011 attached by kvmexit" kvmexit console --pid $vmm pl011
expect 0 "detached live_policy" kvmexit detach --pid $vmm live_policy

# Attaches of one policy name to one VM at once: the target's pin directory is locked from
# the check to the pin, so exactly one attaches and the others are told the name is taken.
round=1
while [ $round -le 3 ]; do
	for i in 1 2 3; do
		kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa \
			>/tmp/race-$i.out 2>&1 &
		eval "racer_$i=$!"
	done
	attached=0 taken=0
	for i in 1 2 3; do
		eval "wait \$racer_$i"
		rc=$?
		[ $rc -eq 0 ] && attached=$((attached + 1))
		[ $rc -eq 5 ] && grep -q "already has a policy named live_policy" /tmp/race-$i.out &&
			taken=$((taken + 1))
	done
	what="3 attaches of live_policy at once (round $round)"
	[ $attached -eq 1 ] && [ $taken -eq 2 ] &&
		echo "ok: $what: 1 attached, 2 told the name was taken" ||
		not_ok "$what: $attached attached, $taken told the name was taken: $(cat /tmp/race-*.out)"
	kvmexit detach --pid $vmm live_policy >/dev/null
	round=$((round + 1))
done
expect 0 "policies none" kvmexit list --pid $vmm

# A replace takes the same lock (as rule edits do): it waits for whoever holds it.
expect 0 "attached live_policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
hold-lock /sys/fs/bpf/kvmexit/$vmm-*-* 4 >/tmp/hold.out &
holder=$!
wait_until grep -q locked /tmp/hold.out || not_ok "hold-lock never took the lock"
expect 0 "replaced the policy live_policy" \
	kvmexit replace --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
grep -q released /tmp/hold.out &&
	echo "ok: kvmexit replace waited for the target's lock" ||
	not_ok "kvmexit replace did not wait for the target's lock"
wait $holder
expect 0 "detached live_policy" kvmexit detach --pid $vmm

# A VM's own policies come after the operator's on its chain: one cannot be placed by an
# operator's policy, and kvmexit says so (the kernel only finds no such policy among the VM's).
# (live_policy answers the guest meanwhile: the host's chain_policy declines every call.)
expect 0 "attached live_policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa
expect 0 "attached chain_policy to the host" kvmexit attach --host $P/chain_policy.bpf.o
host_id=$(kvmexit list --json --pid $vmm |
	  sed -n 's/.*{"name":"chain_policy","id":\([0-9]*\),"from":"host"},.*/\1/p')
expect 5 "policy $host_id is the operator's (host): a VM's policy cannot be placed before or after" \
	kvmexit attach --pid $vmm --before "$host_id" $P/chain_policy.bpf.o
expect 0 "detached chain_policy from the host" kvmexit detach --host
expect 0 "detached live_policy" kvmexit detach --pid $vmm

# A VMM's arguments reach the terminal escaped (an ESC as \x1b), and JSON as they are.
esc=$(printf '\033')
ln -sf /usr/bin/kvmexit-testvmm "/tmp/vmm$esc[31mred"
"/tmp/vmm$esc[31mred" serve >/tmp/serve-esc.log 2>&1 &
escaped=$!
wait_for_vm $escaped
expect 0 "^VM $escaped/[0-9]*  /tmp/vmm\\\\x1b\[31mred serve$" kvmexit list --pid $escaped
case "$(kvmexit list --pid $escaped)" in
*"$esc"*)	not_ok "kvmexit list printed the VMM's ESC as it is" ;;
*)		echo "ok: kvmexit list printed no ESC" ;;
esac
expect 0 '"cmdline":"/tmp/vmm\\u001b\[31mred serve"' kvmexit list --json --pid $escaped
kill -USR1 $escaped
wait $escaped || not_ok "the VMM with an ESC in its name: its check failed"

# The hypercall filter's rules: what rule show prints, rule load reads back as it was (ids,
# the two ids of an SMCCC name, ranges; numbers decimal or 0x, never octal). Then a
# kvmexit log --follow of it ends when the VMM exits, saying so, with 0. (live_policy, ahead
# of the filter, answers the guest's calls: the filter would leave them to KVM, defaulted.)
start_serve /tmp/serve-filter.log
filtered=$served
expect 0 "attached live_policy" kvmexit attach --pid $filtered $P/live_policy.bpf.o
expect 0 "attached hypercall_filter to VM $filtered/" \
	kvmexit attach --pid $filtered hypercall_filter
expect 0 "set 0xa deny" kvmexit rule add --pid $filtered 010 deny
expect 0 "set 0xc3000500 forward" kvmexit rule add --pid $filtered 0xc3000500 forward
expect 0 "set 0x84000003, 0xc4000003 PSCI_CPU_ON deny" \
	kvmexit rule add --pid $filtered PSCI_CPU_ON deny
expect 0 "set 0xc3000600-0xc3000700 allow" \
	kvmexit rule add --pid $filtered 0xc3000600-0xc3000700 allow
expect 0 "set 0xc3000010-0xc3000010 deny" \
	kvmexit rule add --pid $filtered 3271557136-0xc3000010 deny
kvmexit rule show --pid $filtered >/tmp/saved.rules
saved='0xa deny
0x84000003 deny  # PSCI_CPU_ON
0xc3000500 forward
0xc4000003 deny  # PSCI_CPU_ON
0xc3000600-0xc3000700 allow
0xc3000010-0xc3000010 deny'
[ "$(cat /tmp/saved.rules)" = "$saved" ] && echo "ok: kvmexit rule show: $(cat /tmp/saved.rules)" ||
	not_ok "kvmexit rule show: $(cat /tmp/saved.rules)"
for spec in $(grep -v '^#' /tmp/saved.rules | cut -d' ' -f1); do
	kvmexit rule del --pid $filtered "$spec" >/dev/null || not_ok "kvmexit rule del $spec"
done
expect 0 "^# no run-time rules in hypercall_filter of VM $filtered/" \
	kvmexit rule show --pid $filtered
expect 0 "loaded 6 rules from /tmp/saved.rules" kvmexit rule load --pid $filtered /tmp/saved.rules
[ "$(kvmexit rule show --pid $filtered)" = "$saved" ] &&
	echo "ok: kvmexit rule load of what rule show saved: the same rules again" ||
	not_ok "kvmexit rule show after rule load of its own output: $(kvmexit rule show --pid $filtered)"
kvmexit log --pid $filtered --follow >/tmp/follow-exit.txt 2>&1 &
follow=$!
log_following() { [ "$(ls -l /proc/$follow/fd 2>/dev/null | grep -c bpf-map)" -ge 4 ]; }
wait_until log_following || not_ok "kvmexit log --follow never opened the filter's maps"
kill -USR1 $filtered
wait $filtered || not_ok "the filtered VMM's check failed: $(tail -n 3 /tmp/serve-filter.log)"
wait $follow
rc=$?
[ $rc -eq 0 ] &&
	grep -q "the VMM of VM $filtered/[0-9]* exited: the log of hypercall_filter ended" \
	/tmp/follow-exit.txt &&
	echo "ok: kvmexit log --follow ended with 0 at the VMM's exit: $(tail -n 1 /tmp/follow-exit.txt)" ||
	not_ok "kvmexit log --follow across the VMM's exit: exit $rc, $(cat /tmp/follow-exit.txt)"
expect 0 "detached hypercall_filter from VM $filtered/[0-9]* (its VMM is gone)" \
	kvmexit detach --pid $filtered hypercall_filter
expect 0 "detached live_policy" kvmexit detach --pid $filtered

# The operator's policies, host-wide and cgroup ones together, are 8 at most (so that every
# VM's chain has room for them): a ninth is refused with a message that says so. Cgroup
# policies reach only VMs created later, so the VM above is not disturbed.
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
i=1
while [ $i -le 9 ]; do
	mkdir -p /sys/fs/cgroup/kvmexit-full-$i
	i=$((i + 1))
done
i=1
while [ $i -le 8 ]; do
	kvmexit attach --cgroup /sys/fs/cgroup/kvmexit-full-$i $P/chain_policy.bpf.o >/dev/null ||
		not_ok "cgroup policy $i of 8"
	i=$((i + 1))
done
expect 5 "no room: the host-wide and cgroup policies are 8 at most together" \
	kvmexit attach --cgroup /sys/fs/cgroup/kvmexit-full-9 $P/chain_policy.bpf.o
expect 5 "the host: no room" kvmexit attach --host $P/chain_policy.bpf.o
i=1
while [ $i -le 9 ]; do
	[ $i -le 8 ] && { kvmexit detach --cgroup /sys/fs/cgroup/kvmexit-full-$i >/dev/null ||
		not_ok "detach cgroup policy $i"; }
	rmdir /sys/fs/cgroup/kvmexit-full-$i
	i=$((i + 1))
done
[ -z "$(ls /sys/fs/bpf/kvmexit | grep '^cgroup-')" ] &&
	echo "ok: the 8 cgroup policies detached, nothing left pinned" ||
	not_ok "left pinned: $(ls /sys/fs/bpf/kvmexit)"

# Two more VMs with different policies at once: each guest sees only its own.
start_serve /tmp/serve-b.log
vmm_b=$served
start_serve /tmp/serve-a.log
vmm_a=$served
expect 0 "attached" kvmexit attach --pid $vmm_a $P/live_policy.bpf.o --set tag=0xaaaa
expect 0 "attached" kvmexit attach --pid $vmm_b $P/live_policy.bpf.o --set tag=0xbbbb
wait_handled_above $vmm_a 0
wait_handled_above $vmm_b 0
kill -USR1 $vmm_a $vmm_b
wait $vmm_a && wait $vmm_b || { echo "not ok: a VMM's check failed"; failures=$((failures + 1)); }
cat /tmp/serve-a.log /tmp/serve-b.log
grep -q "tag A [1-9][0-9]*, tag B 0," /tmp/serve-a.log &&
	grep -q "tag A 0, tag B [1-9][0-9]*," /tmp/serve-b.log &&
	echo "ok: each VM answered by its own policy only" ||
	{ echo "not ok: a policy answered for the other VM"; failures=$((failures + 1)); }
# Their VMMs are gone: the pins they left can still be removed.
expect 0 "detached.*its VMM is gone" kvmexit detach --pid $vmm_a
expect 0 "detached.*its VMM is gone" kvmexit detach --pid $vmm_b
expect 2 "no process" kvmexit detach --pid $vmm_a

kill -USR1 $vmm
wait $vmm
vmm_status=$?
cat /tmp/serve.log
[ $vmm_status -eq 0 ] || { echo "not ok: the VMM's own check failed"; failures=$((failures + 1)); }
echo "cli: $failures failures"
[ $failures -eq 0 ]
