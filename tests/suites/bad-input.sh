#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input, refused with a clear error and without effect on a running VM: programs the
# verifier must reject (besides cli.sh's context write and forged context), struct_ops the
# kernel must refuse, broken policy objects, bad --set values, bad numbers on kvmexit's
# command line, bad targets, and replaces into another target. Through all of it no policy
# answers the guest (one that answers with verdicts outside the enum is ejected), and its
# guest runs on; the VMM's own check at the end holds.
# (Kfunc arguments out of range at run time: the policy-hvc scenario. Attach refusals for
# a non-VM fd, a closed fd, a second policy: policy-lifetime; no ptrace rights: cli.sh.)
P=/usr/lib/kvmexit/tests
failures=0
. /tests/serve-lib.sh

start_serve /tmp/bad-input-serve.log
vmm=$served

# The verifier: kfuncs are for exit policies, and for GPL-compatible programs only.
expect 4 "the verifier rejected.*cannot call kernel function from non-GPL compatible program" \
	kvmexit attach --pid $vmm $P/nongpl_kfunc.bpf.o
expect 255 "calling kernel function bpf_kvm_exit_get_reg is not allowed" \
	bpftool prog load $P/kfunc_syscall.bpf.o /sys/fs/bpf/kfunc_syscall
expect 255 "calling kernel function bpf_kvm_exit_get_reg is not allowed" \
	bpftool struct_ops register $P/kfunc_tcp_ca.bpf.o
if [ -e /sys/fs/bpf/kfunc_syscall ]; then
	echo "not ok: a rejected program was pinned"
	failures=$((failures + 1))
fi

# What the kernel refuses of a struct_ops, each named: a sleepable callback (callbacks run
# in the vCPU thread, under RCU), flag bits no kernel defines, an anchor without a place
# (as bpftool registers an object; libkvmexit sets the place and anchor itself).
expect 4 "the verifier rejected .*sleepable.bpf.o: its callback sleepable_hvc is sleepable" \
	kvmexit attach --pid $vmm $P/sleepable.bpf.o
expect 4 "the kernel refused .*unknown_flags.bpf.o: .* .flags 0x80 has unknown bits (0x80)" \
	kvmexit attach --pid $vmm $P/unknown_flags.bpf.o
expect 255 "can't register struct_ops unknown_flags: Invalid argument" \
	bpftool struct_ops register $P/unknown_flags.bpf.o /sys/fs/bpf
expect 255 "can't register struct_ops anchor_only: Invalid argument" \
	bpftool struct_ops register $P/anchor_only.bpf.o /sys/fs/bpf

# Verdicts outside the enum (-1, 1000): errors, as a verdict the hook never allows, and 64
# of them eject the policy. (The kernel's message is rate limited: 5 s apart.)
ejected() { kvmexit list --pid $vmm | grep -q "ejected: forbidden verdicts"; }
for verdict in -1 1000; do
	sleep 5
	expect 0 "attached bad_verdict" \
		kvmexit attach --pid $vmm $P/bad_verdict.bpf.o --set verdict=$verdict
	wait_until ejected || not_ok "verdict $verdict: bad_verdict never ejected"
	expect 0 "pid $vmm: exit policy returned out of range ($verdict), which its hvc hook" dmesg
	expect 0 "detached bad_verdict" kvmexit detach --pid $vmm
done

# Targets that are not: a directory outside cgroupfs (the kernel's EBADF), a file.
expect 2 "/tmp is not a cgroup v2 directory" kvmexit attach --cgroup /tmp $P/chain_policy.bpf.o
expect 2 "cgroup /tests/bad-input.sh: Not a directory" \
	kvmexit attach --cgroup /tests/bad-input.sh $P/chain_policy.bpf.o
[ -z "$(ls /sys/fs/bpf/kvmexit 2>/dev/null)" ] &&
	echo "ok: nothing left pinned by the refused attaches" ||
	not_ok "left pinned by refused attaches: $(ls /sys/fs/bpf/kvmexit)"

# A replace keeps its target: the kernel refuses a policy aimed at another VM, or at another
# cgroup, through a pinned link (kvmexit replace never asks that: replace-pinned does).
kvmexit-testvmm serve >/tmp/bad-input-other.log 2>&1 &
other=$!
wait_for_vm $other
expect 0 "attached live_policy" kvmexit attach --pid $vmm $P/live_policy.bpf.o
expect 22 "Invalid argument" replace-pinned /sys/fs/bpf/kvmexit/$vmm-*/live_policy \
	$P/live_policy.bpf.o vm $other "$(vm_fd_of $other)"
expect 0 "detached live_policy" kvmexit detach --pid $vmm
kill -USR1 $other
wait $other || not_ok "the other VMM's check failed"
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/kvmexit-a /sys/fs/cgroup/kvmexit-b
expect 0 "attached chain_policy" kvmexit attach --cgroup /sys/fs/cgroup/kvmexit-a \
	$P/chain_policy.bpf.o
expect 22 "Invalid argument" replace-pinned \
	/sys/fs/bpf/kvmexit/cgroup-$(stat -c %i /sys/fs/cgroup/kvmexit-a)/chain_policy \
	$P/chain_policy.bpf.o cgroup /sys/fs/cgroup/kvmexit-b
expect 0 "detached chain_policy" kvmexit detach --cgroup /sys/fs/cgroup/kvmexit-a
rmdir /sys/fs/cgroup/kvmexit-a /sys/fs/cgroup/kvmexit-b

# Broken objects: empty, cut short at several points, corrupted; never a crash (exit 4).
obj=$P/live_policy.bpf.o
size=$(wc -c <$obj)
for cut in 0 16 64 200 $((size / 2)) $((size - 1)); do
	head -c $cut $obj >/tmp/cut.bpf.o
	expect 4 "cannot open .*: BPF object format invalid\|has no struct kvm_arm_exit_ops" \
		kvmexit attach --pid $vmm /tmp/cut.bpf.o
done
valid_corrupted=0
for at in 24 40 60 $((size / 3)) $((size / 2)) $((size - 64)); do
	cp $obj /tmp/bad.bpf.o
	printf '\377\377\377\377\377\377\377\377' |
		dd of=/tmp/bad.bpf.o bs=1 seek=$at conv=notrunc 2>/dev/null
	out=$(kvmexit attach --pid $vmm /tmp/bad.bpf.o 2>&1)
	rc=$?
	# A byte that libbpf does not read changes nothing: then it attaches, and must detach.
	if [ $rc -eq 0 ]; then
		valid_corrupted=$((valid_corrupted + 1))
		kvmexit detach --pid $vmm >/dev/null
		echo "ok: object corrupted at $at: still a valid policy (attached, detached)"
	elif [ $rc -eq 4 ]; then
		echo "ok: object corrupted at $at: refused: $(printf '%s\n' "$out" | head -n 1)"
	else
		echo "not ok: object corrupted at $at: exit $rc: $out"
		failures=$((failures + 1))
	fi
done
expect 4 "cannot open" kvmexit attach --pid $vmm /nonexistent.bpf.o
expect 4 "cannot open" kvmexit attach --pid $vmm /tmp

# --set: values that do not fit the variable (tag is a u64, seen a u32[16], bad_reg_ret
# an int), names that are not there, and an empty or missing value.
expect 4 "not an integer" kvmexit attach --pid $vmm $obj --set tag=
expect 4 "not an integer" kvmexit attach --pid $vmm $obj --set tag=0x
expect 4 "not an integer" kvmexit attach --pid $vmm $obj --set tag=12abc
expect 4 "out of range" kvmexit attach --pid $vmm $obj --set tag=-1
expect 4 "out of range" kvmexit attach --pid $vmm $obj --set tag=18446744073709551616
expect 4 "out of range" kvmexit attach --pid $vmm $obj --set tag=1,2
expect 4 "no such variable" kvmexit attach --pid $vmm $obj --set =5
expect 4 "no such variable" kvmexit attach --pid $vmm $obj --set TAG=5
expect 4 "out of range" kvmexit attach --pid $vmm $P/hvc_policy.bpf.o \
	--set seen=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
expect 4 "out of range" kvmexit attach --pid $vmm $P/hvc_policy.bpf.o --set seen=4294967296
expect 4 "out of range" kvmexit attach --pid $vmm $P/hvc_policy.bpf.o \
	--set bad_reg_ret=-2147483649
expect 4 "not an integer" kvmexit attach --pid $vmm $P/hvc_policy.bpf.o --set seen=1,,2
expect 1 "expected NAME=VALUE" kvmexit attach --pid $vmm $obj --set ""

# Numbers on the command line: out of range for their type is refused, never truncated.
expect 1 "not a process id" kvmexit attach --pid 4294967297 $obj
expect 1 "not a process id" kvmexit attach --pid "" $obj
expect 1 "not a process id" kvmexit attach --pid -5 $obj
expect 1 "not an fd number" kvmexit attach --pid $vmm --vm "" $obj
expect 1 "not an fd number" kvmexit attach --pid $vmm --vm 4294967296 $obj
expect 1 "not a number of seconds" kvmexit stats --pid $vmm --watch=0
expect 1 "not a number of seconds" kvmexit stats --pid $vmm --watch=99999999999
expect 1 "unexpected argument" kvmexit attach --pid $vmm $obj $obj

# None of it attached anything: the VMM alone answered, and its check holds.
expect 0 "\"policy\":null" kvmexit list --json --pid $vmm
kill -USR1 $vmm
wait $vmm || { echo "not ok: the VMM's check failed"; failures=$((failures + 1)); }
tail -n 2 /tmp/bad-input-serve.log
# Only a corrupted object that is still valid (attached and detached above) may answer.
if [ $valid_corrupted -eq 0 ]; then
	grep -q "tag A 0, tag B 0," /tmp/bad-input-serve.log &&
		echo "ok: no policy ever answered the guest" ||
		{ echo "not ok: a refused policy answered calls"; failures=$((failures + 1)); }
fi
echo "bad-input: $failures failures"
[ $failures -eq 0 ]
