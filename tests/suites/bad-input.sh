#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad input, refused with a clear error and without effect on a running VM: programs the
# verifier must reject (besides cli.sh's context write and forged context), broken policy
# objects, bad --set values and bad numbers on kvmexit's command line. Through all of it
# the VM has no policy and its guest runs on; the VMM's own check at the end holds.
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
