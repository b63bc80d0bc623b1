#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo (./dev.sh demo), a transcript to read top to bottom: an operator's hypercall
# filter on a cgroup; Debian's QEMU started in it, an unmodified Linux guest whose UART and
# RTC (QEMU's own PL011 and PL031 addresses) are policies/pl011.bpf.c and pl031.bpf.c; the
# guest booting on the BPF console, its clock and an alarm from the BPF RTC, the call the
# filter denied in its audit log, the chain, the counters before and after, and what one
# exit costs. tests/machine/demo-check.sh checks the transcript, step by step.
# With --interactive (./dev.sh demo --interactive): the same set-up, then the guest's
# shell on the BPF console, and the host's shell after it.
G=/usr/lib/kvmexit/guest
CG=/sys/fs/cgroup/vms
DIR=/tmp/demo
# The Arm TRNG firmware interface (TRNG_VERSION .. TRNG_RND64): Linux asks for it at boot.
TRNG=0x84000050,0x84000053,0xc4000050,0xc4000053
failures=0
trap '' PIPE
. /tests/serve-lib.sh
. /tests/qemu-lib.sh

# step TEXT: the narration of the next step.
n=0
step() {
	n=$((n + 1))
	echo
	echo "=== $n. $*"
}

# run COMMAND...: a command as typed on the host, and what it prints; a failure is counted.
run() {
	echo "host# $*"
	"$@" 2>&1 || not_ok "$* exited with $?"
}

# guest_says [boot]: the guest's console lines that came since the last call, without the
# terminal's carriage returns and control sequences. With boot, the boot log's first lines,
# those of the devices the policies emulate and the firmware calls the filter sees, and all
# from /init on.
shown=0
guest_says() {
	tr -d '\r' <console.txt | awk -v from=$shown -v boot="${1:-}" '
		NR <= from { next }
		{ gsub(/\033\[[0-9;]*[A-Za-z]/, "") }
		boot && !init && NR > 2 && !/pl011|pl031|smccc|psci|Run \/init/ { skipped++; next }
		/Run \/init/ && skipped { print "  (" skipped " more lines of boot log)" }
		/Run \/init/ { init = 1 }
		{ print "  guest| " $0 }'
	shown=$(tr -d '\r' <console.txt | wc -l)
}

# said_since_shown PATTERN: has the guest's console shown a line matching PATTERN (an
# extended regular expression) since the last guest_says?
said_since_shown() {
	tr -d '\r' <console.txt | awk -v from=$shown -v re="$1" '
		NR > from && $0 ~ re { found = 1 } END { exit !found }'
}

# in_guest LINE PATTERN: type LINE into the guest's shell, wait until its console shows
# a line matching PATTERN, and show what came.
in_guest() {
	type_line "$1" && wait_until said_since_shown "$2" || not_ok "the guest never answered '$1'"
	sleep 0.2	# the prompt after the answer
	guest_says
}

interactive=false
[ "${1:-}" = --interactive ] && interactive=true

step "The host: Linux $(uname -r) with the kvmexit series, booted in QEMU; KVM at (emulated) EL2"
dmesg | grep -m1 'kvm \[1\]: .*mode initialized' | sed 's/^\[[ 0-9.]*\] //'
# Its clock comes from the build machine's RTC; pl031 gives the guest this clock.
run date -u

step "The operator: every VM started in cgroup $CG gets the hypercall filter, denying the Arm TRNG"
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p $CG
run kvmexit attach --cgroup $CG hypercall_filter --set deny_ranges=$TRNG

step "The VMM: Debian's QEMU with KVM, started in that cgroup, stopped before the guest's first instruction (-S)"
mkdir -p $DIR
cd $DIR || exit 1
mkfifo mon.in mon.out console.in
set -- qemu-system-aarch64 -accel kvm -M virt,gic-version=3 -cpu host -smp 1 -m 256 \
	-name guest=demo -display none -nic none -no-reboot -S \
	-chardev pipe,id=mon,path=$DIR/mon -mon chardev=mon,mode=readline \
	-serial file:$DIR/qemu-serial.txt -kernel $G/Image -initrd $G/initramfs.cpio \
	-append "console=ttyAMA0 panic=-1 rdinit=/init"
echo "host# echo \$\$ >$CG/cgroup.procs; $* &"
sh -c "echo \$\$ >$CG/cgroup.procs && exec \"\$@\"" qemu "$@" >qemu.log 2>&1 &
qemu=$!
cat mon.out >monitor.txt &
wait_for_vm $qemu || exit 1

step "The VM's UART and RTC in BPF: pl011 at 0x09000000 and pl031 at 0x09010000, QEMU's own addresses"
run kvmexit attach --vm-name demo pl011
run kvmexit attach --vm-name demo pl031

step "The chain on the VM: the operator's filter (from the cgroup), then the VM's devices"
run kvmexit list

step "Counters before the guest runs: nothing has exited yet"
run kvmexit stats --vm-name demo

if $interactive; then
	step "The guest's console: kvmexit console on the BPF UART (Ctrl-] leaves it for the host's shell)"
	echo cont >mon.in
	kvmexit console --vm-name demo pl011 </dev/console
	echo
	echo "kvmexit demo: the host's shell. kvmexit list, stats, log --cgroup $CG work here;"
	echo "kvmexit console --vm-name demo pl011 goes back to the guest (Ctrl-] leaves it);"
	echo "exit powers the host off."
	setsid cttyhack sh
	echo quit >mon.in
	exit 0
fi

step "The guest boots on the BPF console (kvmexit console prints what pl011 transmits)"
kvmexit console --vm-name demo pl011 <console.in >console.txt 2>console.err &
console=$!
exec 3>console.in
t0=$(cut -d' ' -f1 /proc/uptime)
echo cont >mon.in
wait_for console.txt GUEST-READY 120 || not_ok "the guest's console never showed GUEST-READY"
t1=$(cut -d' ' -f1 /proc/uptime)
sleep 0.2	# its shell's prompt
guest_says boot
echo "QEMU's cont to the guest's shell: $(awk "BEGIN { print $t1 - $t0 }") s"

step "The guest's clock, from the BPF RTC: Linux set it from the RTC at boot; hwclock reads the RTC"
# pl031 takes the host's time at the guest's first access (the AMBA bus reads its ID early
# in boot) and, as a PL031 does, counts only once the driver sets the start bit: the
# guest's clock is behind the host's by up to the boot's length.
echo "(pl031 counts from the driver's start: the guest is behind by up to its boot, above)"
run date +%s
in_guest 'date -u; hwclock -r -u; date +%s' '^[0-9]{10}$'

step "An RTC alarm wakes the guest: an alarm 3 s ahead; its shell sleeps in a read of /dev/rtc0 until the BPF timer raises the RTC's interrupt (its uptime before and after)"
in_guest 'grep rtc-pl031 /proc/interrupts' 'rtc-pl031$'
in_guest 'echo +3 >/sys/class/rtc/rtc0/wakealarm; cat /proc/uptime' '^[0-9.]+ [0-9.]+$'
in_guest 'dd if=/dev/rtc0 bs=8 count=1 2>/dev/null | od -An -tx1; cat /proc/uptime' \
	'^[0-9.]+ [0-9.]+$'
in_guest 'grep rtc-pl031 /proc/interrupts' 'rtc-pl031$'

step "The operator's audit log: the hypercalls the filter denied (Linux probing the TRNG at boot)"
run kvmexit log --cgroup $CG

step "Counters after: the guest's vCPU stopped (QEMU's monitor), KVM's and the policies' own"
pause_qemu || not_ok "QEMU never reported its vCPU paused"
run kvmexit stats --vm-name demo
echo "policies' own counts: pl011 accesses $(policy_var pl011.bss accesses)," \
     "pl031 accesses $(policy_var pl031.bss accesses) alarms $(policy_var pl031.bss alarms)" \
     "irq_raised $(policy_var pl031.bss irq_raised), hypercall_filter denied" \
     "$(policy_var hypercal.bss denied)"
echo quit >mon.in
wait $qemu
wait $console
exec 3>&-
run kvmexit detach --cgroup $CG
rmdir $CG

step "What one exit costs: answered by BPF, by KVM in the kernel (vGIC, SMCCC), by the VMM (userspace)"
echo "(kvmexit-testvmm bench: 7 rounds of 256 exits per path, timed by the guest; wall clock of"
echo " this emulated machine, nanoseconds of TCG, not hardware: the ratios are what to read)"
kvmexit-testvmm bench || not_ok "kvmexit-testvmm bench"

echo
echo "kvmexit demo: $failures failures in the host"
[ "$failures" -eq 0 ]
