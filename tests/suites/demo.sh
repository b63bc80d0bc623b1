#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo: today's exits as a VMM sees them, the same guests under policies, and the
# kvmexit CLI attaching a policy to a running VMM.
P=/usr/lib/kvmexit/tests
. /tests/serve-lib.sh

step() {
	echo
	echo "=== $*"
}

step "Without policies: every exit below reaches the VMM"
kvmexit-testvmm --trace hvc-forward mmio nisv || exit 1

step "With policies: the same kinds of accesses, decided in the kernel (only the forwarded ones reach the VMM)"
kvmexit-testvmm --trace policy-mmio policy-hvc policy-nisv || exit 1

step "A VMM running a guest that makes hypercalls; kvmexit attaches a policy to it"
start_serve /tmp/demo-serve.log || exit 1
vmm=$served
kvmexit list
kvmexit attach --pid $vmm $P/live_policy.bpf.o --set tag=0xaaaa || exit 1
wait_handled_above $vmm 1000 || exit 1
kvmexit stats --pid $vmm
kvmexit detach --pid $vmm
kill -USR1 $vmm
wait $vmm
status=$?
cat /tmp/demo-serve.log
exit $status
