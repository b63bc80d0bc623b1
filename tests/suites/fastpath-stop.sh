#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A VMM whose vCPU exits flat out through the fast path (kernel-hooks patch 8) can still be
# stopped, continued and killed: job control and a fatal signal reach the vCPU's thread,
# whose KVM_RUN never returns to userspace on its own here.
. /tests/serve-lib.sh
failures=0

# fast PID: the exits PID's VM took through the fast path.
fast() {
	cat /sys/kernel/debug/kvm/$1-*/exit_bpf_fastpath 2>/dev/null || echo 0
}
# state PID: R, S, T... from /proc/PID/stat (the main thread runs vCPU 0).
state() {
	sed 's/^.*) \(.\).*/\1/' /proc/$1/stat 2>/dev/null
}
is_stopped() {
	[ "$(state "$1")" = T ]
}
is_gone() {
	! kill -0 "$1" 2>/dev/null
}
vm_gone() {
	! ls -d /sys/kernel/debug/kvm/$1-* >/dev/null 2>&1
}

kvmexit-testvmm policy-fastpath-spin &
vmm=$!
wait_until above fast $vmm 10000 || not_ok "fewer than 10000 fast-path exits: $(fast $vmm)"

kill -STOP $vmm
wait_until is_stopped $vmm || not_ok "SIGSTOP: the VMM is in state $(state $vmm), not T"
at_stop=$(fast $vmm)
echo "fastpath-stop: stopped after $at_stop fast-path exits"

kill -CONT $vmm
wait_until above fast $vmm $((at_stop + 10000)) ||
	not_ok "SIGCONT: fast-path exits stuck at $(fast $vmm) (stopped at $at_stop)"

kill -KILL $vmm
wait_until is_gone $vmm || not_ok "SIGKILL: the VMM is still there, state $(state $vmm)"
wait $vmm
status=$?
[ $status -eq 137 ] || not_ok "the VMM exited with $status, expected 137 (SIGKILL)"
wait_until vm_gone $vmm || not_ok "the VM of the killed VMM is still there"

echo "fastpath-stop: $failures failure(s)"
[ $failures -eq 0 ]
