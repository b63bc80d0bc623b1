# SPDX-License-Identifier: GPL-2.0
# Sourced by the scripts that drive Debian's QEMU inside the host and its guest's console
# through kvmexit console (qemu-pl011.sh, demo.sh), after serve-lib.sh. They run in the
# directory of one QEMU: its monitor's pipe mon.in and its log monitor.txt, the console's
# output console.txt and errors console.err, its input on fd 3, its pid in $console and
# QEMU's in $qemu.

# wait_for FILE PATTERN SECONDS: until a line of FILE matches PATTERN; 1 if it never did.
wait_for() {
	i=0
	until grep -q -e "$2" "$1" 2>/dev/null; do
		[ $i -ge $(($3 * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# type_line LINE: what a user types into kvmexit console, with its newline; 1 if the
# console is gone (the check that waits for the answer fails then). SIGPIPE is ignored too:
# writing to the pipe of a console that just ended must not end this script.
type_line() {
	kill -0 "$console" 2>/dev/null || { echo "kvmexit console is gone: $(cat console.err)" >&2; return 1; }
	printf '%s\n' "$1" >&3
}

# kvm_mmio OUTCOME: the VM's exit_bpf_mmio_OUTCOME, from kvmexit stats.
kvm_mmio() {
	kvmexit stats --pid "$qemu" --json | sed -n "s/.*\"mmio\":{[^}]*\"$1\":\([0-9]*\).*/\1/p"
}

# pause_qemu: stop the guest's vCPUs through the monitor and wait until QEMU says they
# are (HMP's stop returns once every vCPU is out of KVM_RUN); 1 if it never says so.
pause_qemu() {
	echo stop >mon.in
	echo info status >mon.in
	wait_for monitor.txt 'VM status: paused' 60
}
