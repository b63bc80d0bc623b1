#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults around a running VMM (kvmexit-testvmm serve): the attaching process killed at
# random points of `kvmexit attach`, and the VMM killed with a policy attached (once with a
# policy's BPF timer pending, which must then find no VM). After each,
# the VM either has the policy or has none (never half of one), the guest runs on, nothing
# is left that a later attach trips over, and the VMM's own check at the end (KVM counted
# every call a policy answered) holds. The other faults are scenarios: policy-lifetime (a
# VM destroyed under its pinned policy), policy-eject (forbidden verdicts), policy-load
# (map and ring buffer full).
P=/usr/lib/kvmexit/tests
KILLS=${KVMEXIT_FAULT_KILLS:-12}
failures=0
. /tests/serve-lib.sh

vm_gone() { [ ! -d "/sys/kernel/debug/kvm/$1" ]; }

# moving PID: does the VM's handled count move (a policy answers)? If not, show what
# kvmexit sees of the VM.
moving() {
	wait_until above handled "$1" "$(handled "$1")" && return 0
	kvmexit list --pid "$1" | head -n 2
	ls -l /sys/fs/bpf/kvmexit
	return 1
}

start_serve /tmp/faults-serve.log
vmm=$served
pin_prefix=/sys/fs/bpf/kvmexit/$vmm-

# kvmexit attach killed after 0 to 0.6 s: it opens, verifies, attaches, pins (timed first).
t0=$(cut -d' ' -f1 /proc/uptime)
kvmexit attach --pid $vmm $P/live_policy.bpf.o >/dev/null || not_ok "a first attach failed"
t1=$(cut -d' ' -f1 /proc/uptime)
kvmexit detach --pid $vmm >/dev/null
echo "kvmexit attach, uninterrupted: $(awk "BEGIN { print $t1 - $t0 }") s"
attached=0 clean=0 k=0
while [ $k -lt "$KILLS" ]; do
	kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa >/dev/null 2>&1 &
	attacher=$!
	sleep "$(awk "BEGIN { print ($k * 67 + ${RANDOM:-0} % 60) % 600 / 1000 }")"
	kill -KILL $attacher 2>/dev/null
	wait $attacher
	if ls ${pin_prefix}*/live_policy >/dev/null 2>&1; then
		# It got as far as pinning: attached, answering, and detachable.
		attached=$((attached + 1))
		moving $vmm || not_ok "kill $k: pinned, but no policy answers"
		kvmexit detach --pid $vmm >/dev/null || not_ok "kill $k: detach failed"
	else
		# Killed before the pin: its link died with it. The VM takes a new policy.
		clean=$((clean + 1))
		out=$(kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa 2>&1) ||
			not_ok "kill $k: no pin, but attach then fails: $out"
		moving $vmm || not_ok "kill $k: attached again, but no policy answers"
		kvmexit detach --pid $vmm >/dev/null || not_ok "kill $k: detach failed"
	fi
	k=$((k + 1))
done
echo "ok: kvmexit attach killed $KILLS times: $attached after pinning, $clean before;" \
     "each left the VM with its policy or none"
expect_unanswered $vmm "detached at the end: the VMM answers again"

kill -USR1 $vmm
wait $vmm || not_ok "the VMM's check failed: calls lost or miscounted"
tail -n 3 /tmp/faults-serve.log

# The VMM killed with a policy attached and pinned: the VM goes, the pin can be removed.
start_serve /tmp/faults-killed.log
vmm=$served
vm_fd=$(vm_fd_of $vmm)
kvmexit attach --pid $vmm $P/live_policy.bpf.o >/dev/null || not_ok "attach to the VMM to kill"
moving $vmm || not_ok "the policy does not answer"
kill -KILL $vmm
wait $vmm 2>/dev/null
wait_until vm_gone "$vmm-$vm_fd"
[ ! -d /sys/kernel/debug/kvm/$vmm-$vm_fd ] &&
	echo "ok: VMM killed with a policy attached: its VM $vmm/$vm_fd is destroyed" ||
	not_ok "the killed VMM's VM $vmm/$vm_fd still exists"
kvmexit list | grep -q "^VM $vmm/" && not_ok "kvmexit still lists the killed VMM's VM"
out=$(kvmexit detach --pid $vmm 2>&1) && echo "$out" | grep -q "its VMM is gone" &&
	echo "ok: $out" || not_ok "detach after the VMM was killed: $out"

# The VMM killed while its policy's BPF timer is pending (3 s ahead): the VM's teardown
# ejects the policy and detaches its link; the timer's map stays pinned beside the link,
# so the timer fires after the VM is gone, and bpf_kvm_vm_set_spi() must find no VM
# (-ENODEV, or -ENOENT once the policy's struct_ops map is freed), touching nothing; the
# kernel log stays clean (the debug kernel's run of this suite has KASAN and lockdep).
bss() { policy_var timer_de.bss "$1"; }
bss_is() { [ "$(bss "$1")" = "$2" ]; }
start_serve /tmp/faults-timer.log
vmm=$served
vm_fd=$(vm_fd_of $vmm)
kvmexit attach --pid $vmm $P/timer_device.bpf.o >/dev/null || not_ok "attach timer_device"
wait_until bss_is armed 1 || not_ok "timer_device never armed its timer"
kill -KILL $vmm
wait $vmm 2>/dev/null
wait_until vm_gone "$vmm-$vm_fd" || not_ok "the killed VMM's VM $vmm/$vm_fd still exists"
fired_at_teardown=$(bss fired)
if [ "$fired_at_teardown" = 0 ] && wait_until bss_is fired 1 &&
   { bss_is fire_result -19 || bss_is fire_result -2; }; then
	echo "ok: a timer pending at VM teardown fired after it: bpf_kvm_vm_set_spi()" \
	     "$(bss fire_result), nothing touched"
else
	not_ok "timer after teardown: fired '$fired_at_teardown' at teardown, then" \
	       "'$(bss fired)' with '$(bss fire_result)' (expected 0, then 1 with -19 or -2)"
fi
kvmexit detach --pid $vmm >/dev/null || not_ok "detach timer_device"

# ... and a new VMM takes a policy as if nothing happened.
start_serve /tmp/faults-after.log
vmm=$served
kvmexit attach --pid $vmm $P/live_policy.bpf.o >/dev/null || not_ok "attach to a new VMM"
moving $vmm && echo "ok: a new VMM's VM takes a policy" || not_ok "no policy answers on the new VM"
kvmexit detach --pid $vmm >/dev/null
kill -USR1 $vmm
wait $vmm || not_ok "the new VMM's check failed"

echo "faults: $failures failures"
[ $failures -eq 0 ]
