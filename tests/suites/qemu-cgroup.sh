#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A policy on a cgroup (kvmexit attach --cgroup): Debian's QEMU started inside the cgroup,
# without -S or any other help, gets it on its VM at creation. Proof: the guest's very first
# instruction (tests/guest/first_hvc.S, QEMU's -kernel) is a call only the policy answers,
# and it was answered; kvmexit list shows the policy on the VM, from the cgroup. A QEMU
# started outside the cgroup, or inside it after the policy is detached, does not get it.
T=/usr/lib/kvmexit/tests
G=/usr/lib/kvmexit/guest
CG=/sys/fs/cgroup/kvmexit-qemu
failures=0
. /tests/serve-lib.sh

grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup ||
	not_ok "mount cgroup2"
mkdir -p $CG

# boot DIR IN_CGROUP: QEMU on the first_hvc guest, in the cgroup if IN_CGROUP is 1; its
# pid in $qemu; what the guest said in DIR/serial.txt.
boot() {
	mkdir -p "$1"
	sh -c '[ "$1" = 1 ] && echo $$ >'$CG'/cgroup.procs
	       exec qemu-system-aarch64 -accel kvm -M virt,gic-version=3 -cpu host -m 64 \
		-display none -nic none -no-reboot -serial file:"$0/serial.txt" \
		-kernel '$G'/first_hvc.bin' "$1" "$2" >"$1/qemu.log" 2>&1 &
	qemu=$!
	# The whole line: the serial file may hold half of it when first looked at.
	wait_until grep -qs "^FIRST-EXIT-[A-Z-]*ANSWERED$" "$1/serial.txt" ||
		not_ok "the guest in $1 said nothing: $(cat "$1/qemu.log")"
}

stop() {
	kill "$qemu"
	wait "$qemu" 2>/dev/null
}

# answered: the policy's count of calls it answered.
answered() { policy_var chain_po.bss answered; }

# first_exit DIR SAID WHAT: the guest in DIR said SAID (FIRST-EXIT-ANSWERED or
# FIRST-EXIT-NOT-ANSWERED) about its first call.
first_exit() {
	grep -q "^$2\$" "$1/serial.txt" && echo "ok: $3: $2" ||
		not_ok "$3: the guest said $(cat "$1/serial.txt")"
}

# answered_once: the policy still counts the one call it answered.
answered_once() {
	[ "$(answered)" = 1 ] && echo "ok: $1: the policy answered 1 call" ||
		not_ok "$1: the policy answered $(answered) calls, expected 1"
}

expect 0 "attached chain_policy to cgroup $CG" \
	kvmexit attach --cgroup $CG $T/chain_policy.bpf.o --set tag=0xc6 --set answer=0xc3000120
boot /tmp/in-cgroup 1
first_exit /tmp/in-cgroup FIRST-EXIT-ANSWERED "QEMU in the cgroup, its guest's first instruction"
expect 0 "policies chain_policy (cgroup)" kvmexit list --pid "$qemu"
stop
answered_once "QEMU in the cgroup"

boot /tmp/outside 0
first_exit /tmp/outside FIRST-EXIT-NOT-ANSWERED "QEMU outside the cgroup"
expect 0 "policies none" kvmexit list --pid "$qemu"
stop
answered_once "QEMU outside the cgroup"

expect 0 "detached chain_policy from cgroup $CG" kvmexit detach --cgroup $CG
boot /tmp/after-detach 1
first_exit /tmp/after-detach FIRST-EXIT-NOT-ANSWERED "QEMU in the cgroup after detach"
stop
rmdir $CG

echo "qemu-cgroup: $failures failures"
[ "$failures" -eq 0 ]
