#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's arm64 QEMU as the VMM (KVM, in-kernel vGICv3) booting an unmodified Linux guest
# whose console UART, QEMU's own PL011 at 0x09000000 (SPI 1), is taken over by
# policies/pl011.bpf.c before the guest starts (QEMU -S, then "cont" on its monitor). Checks:
# the guest's boot log and shell arrive through the policy's ring buffer (kvmexit console);
# commands typed into kvmexit console run in the guest shell, which does not poll its UART
# (each byte comes in the RX interrupt the policy raises when the console hands it over:
# 100 bytes typed one at a time, each echoed, median and maximum round trip printed);
# 2745 bytes typed at once arrive whole; the UART's interrupt count in the guest's /proc/interrupts rises, to the
# number of times the policy raised the SPI; no access to the UART reached QEMU (its pl011
# trace and its serial file stay empty; KVM's exit_bpf_mmio_handled equals the policy's own
# count); after kvmexit detach, the guest's accesses reach QEMU's PL011 again.
# policies/hypercall_filter.bpf.c is on the same VM, after the PL011, denying the Arm TRNG
# firmware interface: the guest finds no SMCCC TRNG, and every call the filter denied is
# one KVM counted handled (the PL011 policy has no hypercall callback: the chain skips it).
# A second boot, with QEMU's own console and no policy: KVM's TRNG is there.
P=/usr/lib/kvmexit/policies
G=/usr/lib/kvmexit/guest
failures=0
trap '' PIPE
. /tests/serve-lib.sh
. /tests/qemu-lib.sh

# uart_irqs TAG: the guest's count of UART interrupts (every CPU's column), printed in the
# guest as "TAG n"; 1 if it never came. (Called in $(...): a subshell, where not_ok's count
# would be lost.)
uart_irqs() {
	type_line "echo $1 \$(grep uart-pl011 /proc/interrupts | awk '{ n = 0; for (i = 2; \$i ~ /^[0-9]+\$/; i++) n += \$i; print n }')" || return 1
	wait_for console.txt "^$1 [0-9]" 30 || return 1
	grep -m1 "^$1 " console.txt | tr -d '\r' | awk '{ print $2 }'
}

# start_qemu DIR [KERNEL_ARGS]: QEMU in DIR, stopped before the guest's first instruction (-S), its
# monitor on the pipes DIR/mon.in and mon.out, its PL011 to DIR/qemu-serial.txt and traced
# to DIR/qemu-trace.txt; its pid in $qemu once kvmexit sees its VM.
start_qemu() {
	mkdir -p "$1"
	cd "$1" || exit 1
	mkfifo mon.in mon.out
	qemu-system-aarch64 -accel kvm -M virt,gic-version=3 -cpu host -smp 2 -m 256 \
		-name guest=pl011-vm,debug-threads=on -display none -nic none -no-reboot -S \
		-chardev pipe,id=mon,path="$1/mon" -mon chardev=mon,mode=readline \
		-serial file:"$1/qemu-serial.txt" -trace 'pl011_*' -D "$1/qemu-trace.txt" \
		-kernel $G/Image -initrd $G/initramfs.cpio \
		-append "console=ttyAMA0 panic=-1 rdinit=/init $2" >qemu.log 2>&1 &
	qemu=$!
	cat mon.out >monitor.txt &
	wait_for_vm "$qemu" 2
}

t0=$(cut -d' ' -f1 /proc/uptime)
start_qemu /tmp/pl011
kvmexit list --pid "$qemu" | head -n 2
mkfifo console.in

# The VM by the name QEMU gives it (-name), the policies by theirs (the installed ones).
# Its defaults, base 0x09000000 and SPI 1, are QEMU's UART.
expect 0 "attached pl011 to VM $qemu/" kvmexit attach --vm-name pl011-vm pl011
expect 0 "VM $qemu/[0-9]*  name pl011-vm  qemu-system-aarch64" kvmexit list
expect 0 "\"pid\":$qemu,\"vm_fd\":[0-9]*,\"name\":\"pl011-vm\",\"start_time\":$(awk '{ print $22 }' /proc/$qemu/stat)," \
	kvmexit list --json
expect 2 "no VM named pl011-nosuch" kvmexit attach --vm-name pl011-nosuch pl011
expect 0 '^\[{"pid":'$qemu',"vm_fd":[0-9]*,"ejected":null,"exits":{"mmio":' \
	kvmexit stats --vm-name pl011-vm --json
expect 2 "no VM named pl011-nosuch" kvmexit stats --vm-name pl011-nosuch
# TRNG_VERSION .. TRNG_RND, SMC32 and SMC64 conventions.
kvmexit attach --vm-name pl011-vm --after pl011 hypercall_filter \
	--set deny_ranges=0x84000050,0x84000053,0xc4000050,0xc4000053 ||
	not_ok "kvmexit attach hypercall_filter"
expect 0 "policies pl011 (vm), hypercall_filter (vm)" kvmexit list --pid "$qemu"
kvmexit console --vm-name pl011-vm pl011 <console.in >console.txt 2>console.err &
console=$!
exec 3>console.in
echo cont >mon.in

if wait_for console.txt GUEST-READY 120; then
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "ok: the guest booted on the BPF PL011 ($(grep -c . console.txt) lines of console through the ring buffer; QEMU start to the guest's shell: $(awk "BEGIN { print $t1 - $t0 }") s; $(tr -d '\r' <console.txt | grep -m1 GUEST-READY))"
else
	not_ok "the guest's console never showed GUEST-READY"
	cat qemu.log console.err
fi
grep -q '^SMCCC-TRNG absent' console.txt &&
	echo "ok: the filter denied the TRNG beside the console: SMCCC-TRNG absent" ||
	not_ok "the guest found the SMCCC TRNG the filter denies: $(grep SMCCC-TRNG console.txt)"
probe=$(tr -d '\r' <console.txt | grep -m1 'ttyAMA0 MMIO:0x0*9000000 .* is a PL011')
[ -n "$probe" ] && echo "ok: amba-pl011 probed the policy's UART: $probe" ||
	not_ok "no 'ttyAMA0 MMIO:0x9000000 ... is a PL011' in the guest's boot log"

irqs_before=$(uart_irqs IRQS-A) || not_ok "no interrupt count from the guest (IRQS-A)"
type_line 'echo MARK-$((6 * 7))'
if wait_for console.txt '^MARK-42' 30; then
	echo "ok: a command typed into kvmexit console ran in the guest's shell (MARK-42)"
else
	not_ok "the guest shell never answered MARK-42"
fi
# The guest does not poll its UART: each byte comes in the RX interrupt the policy raises
# when kvmexit console hands it over (console_input), and the shell echoes it.
if latency=$(console-latency console.in console.txt 100); then
	echo "ok: $latency"
else
	not_ok "typed bytes did not come back: $latency"
fi
# More input at once than console_in holds (1024 one-byte records): kvmexit console waits
# for room, the policy for room in the RX FIFO; every byte must arrive. (Lines stay under
# the 1024 bytes busybox's line editing takes.)
long=$(head -c 900 /dev/zero | tr '\0' x)
printf 'a=%s\nb=%s\nc=%s\necho LEN-$((${#a} + ${#b} + ${#c}))\n' "$long" "$long" "$long" >burst
kill -0 "$console" 2>/dev/null && cat burst >&3 || not_ok "kvmexit console is gone: $(cat console.err)"
if wait_for console.txt '^LEN-' 60 && grep -q '^LEN-2700' console.txt; then
	echo "ok: $(wc -c <burst) bytes typed at once arrived whole (LEN-2700)"
else
	not_ok "typed at once: $(grep '^LEN-' console.txt)"
fi
irqs_after=$(uart_irqs IRQS-B) || not_ok "no interrupt count from the guest (IRQS-B)"
if [ -n "$irqs_before" ] && [ -n "$irqs_after" ] && [ "$irqs_after" -gt "$irqs_before" ]; then
	echo "ok: the guest's uart-pl011 interrupts rose from $irqs_before to $irqs_after"
else
	not_ok "uart-pl011 interrupts: '$irqs_before' then '$irqs_after'"
fi

# Stop the vCPUs to read both sides' counters at one point.
pause_qemu || not_ok "QEMU never reported its vCPUs paused"
handled=$(kvm_mmio handled) to_user=$(kvm_mmio to_user) defaulted=$(kvm_mmio defaulted)
accesses=$(policy_var pl011.bss accesses)
echo "counters: exit_bpf_mmio handled $handled to_user $to_user defaulted $defaulted;" \
     "policy: accesses $accesses tx_bytes $(policy_var pl011.bss tx_bytes) rx_bytes $(policy_var pl011.bss rx_bytes)" \
     "tx_dropped $(policy_var pl011.bss tx_dropped) irq_raised $(policy_var pl011.bss irq_raised)"
if [ -n "$handled" ] && [ "$handled" = "$accesses" ] && [ "$handled" -gt 0 ] && [ "$to_user" = 0 ]; then
	echo "ok: KVM counted $handled MMIO exits handled in BPF, the policy's $accesses UART accesses"
else
	not_ok "KVM handled '$handled' vs the policy's accesses '$accesses' (to_user '$to_user')"
fi
denied=$(policy_var hypercal.bss denied)
hvc_handled=$(kvmexit stats --pid "$qemu" --json | sed -n 's/.*"hvc":{"handled":\([0-9]*\).*/\1/p')
if [ -n "$denied" ] && [ "$denied" -gt 0 ] && [ "$denied" = "$hvc_handled" ]; then
	echo "ok: the filter denied $denied calls, KVM counted $hvc_handled hvc handled"
else
	not_ok "the filter denied '$denied' calls, KVM counted '$hvc_handled' hvc handled"
fi
raised=$(policy_var pl011.bss irq_raised)
# The guest keeps running between its count and the pause (its shell's prompt): every
# interrupt raised by the pause must be in its count once it runs again, none before.
echo cont >mon.in
irqs_later=$(uart_irqs IRQS-C) || not_ok "no interrupt count from the guest (IRQS-C)"
if [ -n "$raised" ] && [ -n "$irqs_later" ] && [ "$irqs_after" -le "$raised" ] &&
   [ "$raised" -le "$irqs_later" ]; then
	echo "ok: the guest took every UART interrupt the policy raised ($irqs_after counted," \
	     "$raised raised by the pause, $irqs_later counted after it)"
else
	not_ok "the policy raised the SPI $raised times by the pause; the guest counted" \
	       "$irqs_after before it and $irqs_later after it"
fi
if [ -s qemu-serial.txt ] || grep -q 'pl011_\(read\|write\)' qemu-trace.txt; then
	not_ok "UART accesses reached QEMU:"
	head -n 5 qemu-serial.txt qemu-trace.txt
else
	echo "ok: QEMU's PL011 saw no access (empty pl011 trace, empty serial file)"
fi

# Detached, the address is QEMU's again. The guest does not poll its UART: before the
# detach, start output that goes on past it (the counters above are read already).
echo cont >mon.in
type_line '(while :; do echo TICK; sleep 1; done) &'
wait_for console.txt '^TICK' 30 || not_ok "the guest's ticking job never printed"
kvmexit detach --pid "$qemu" hypercall_filter || not_ok "kvmexit detach hypercall_filter"
kvmexit detach --pid "$qemu" || not_ok "kvmexit detach"
# QEMU's PL011 never saw the guest program it: its UARTFR reads 0x90 (TXFE | RXFE), its
# reset value.
if wait_for qemu-trace.txt 'pl011_read addr 0x018 value 0x00000090' 30; then
	echo "ok: after detach QEMU's PL011 sees the guest: $(grep -m1 'pl011_read addr 0x018' qemu-trace.txt)"
else
	not_ok "after detach, no UARTFR read of 0x90 reached QEMU's PL011: $(grep -m1 pl011_read qemu-trace.txt)"
fi
wait_for qemu-serial.txt TICK 30 && echo "ok: after detach the guest's output reaches QEMU's serial file" ||
	not_ok "after detach, no TICK in QEMU's serial file"
wait "$console" || not_ok "kvmexit console exited with $? when the policy was detached"

echo quit >mon.in
wait "$qemu"
exec 3>&-
echo "--- the guest's console, through the ring buffer (last 15 lines):"
tr -d '\r' <console.txt | tail -n 15
echo

t0=$(cut -d' ' -f1 /proc/uptime)
start_qemu /tmp/trng
echo cont >mon.in
if wait_for qemu-serial.txt GUEST-READY 120; then
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "ok: second boot, QEMU's console: $(awk "BEGIN { print $t1 - $t0 }") s to the shell"
	grep -q '^SMCCC-TRNG present' qemu-serial.txt &&
		echo "ok: without a policy, KVM's TRNG is there: SMCCC-TRNG present" ||
		not_ok "the guest found no SMCCC TRNG without a policy denying it"
else
	not_ok "the second guest never showed GUEST-READY on QEMU's console"
	cat qemu.log
fi
echo quit >mon.in
wait "$qemu"

# A third boot: QEMU's PL031 RTC (0x09010000, SPI 2) taken over by policies/pl031.bpf.c,
# driven by the guest's rtc-pl031 driver; the guest's init checks it (kvmexit.rtc): the
# time it first reads is this host's UTC time (date -u +%s), between the moment the guest
# was let run and the moment its shell is ready, the time advances, and an alarm set 3 s
# ahead through wakealarm fires. The RTC counts whole
# seconds, so the alarm comes 2 to 3 s after it is set; the guest polls its interrupt count
# every 0.05 s. Accepted: from 1.9 s (never early) to 6 s (a bound for a loaded machine).
start_qemu /tmp/rtc kvmexit.rtc
kvmexit attach --pid "$qemu" $P/pl031.bpf.o || not_ok "attach pl031"
let_run=$(date -u +%s)
echo cont >mon.in
if wait_for qemu-serial.txt GUEST-READY 120; then
	ready=$(date -u +%s)
	tr -d '\r' <qemu-serial.txt | grep '^RTC-'
	pause_qemu || not_ok "QEMU never reported its vCPUs paused"
	grep -q '^RTC-DRIVER .*rtc-pl031 9010000.pl031: registered as rtc0' qemu-serial.txt &&
		echo "ok: rtc-pl031 probed the policy's RTC" ||
		not_ok "no 'rtc-pl031 9010000.pl031: registered as rtc0' in the guest's log"
	grep -q '^RTC-HWCLOCK .*[0-9]:[0-9][0-9]:[0-9][0-9]' qemu-serial.txt &&
		echo "ok: hwclock reads the RTC: $(grep -m1 '^RTC-HWCLOCK' qemu-serial.txt | tr -d '\r')" ||
		not_ok "hwclock: $(grep '^RTC-HWCLOCK' qemu-serial.txt)"
	set -- $(grep -m1 '^RTC-ADVANCE' qemu-serial.txt | tr -d '\r')
	if [ -n "$3" ] && [ "$3" -gt "$2" ]; then
		echo "ok: the RTC's time advances: $2 then, 2 s later, $3"
	else
		not_ok "the RTC's time: '$2' then '$3'"
	fi
	if [ -n "$2" ] && [ "$2" -ge "$let_run" ] && [ "$2" -le "$ready" ]; then
		echo "ok: the guest's RTC read $2, this host's UTC time: the guest ran from" \
		     "$let_run to $ready (date -u +%s)"
	else
		not_ok "the guest's RTC read '$2', outside this host's UTC time while it ran:" \
		       "$let_run to $ready"
	fi
	set -- $(grep -m1 '^RTC-ALARM' qemu-serial.txt | tr -d '\r')
	raised=$(policy_var pl031.bss irq_raised)
	alarms=$(policy_var pl031.bss alarms)
	if [ -n "$6" ] && [ "$4" -eq $(($3 + 1)) ] && [ "$raised" = "$4" ] && [ "$alarms" = "$4" ] &&
	   awk "BEGIN { exit !($6 >= 1.9 && $6 <= 6) }"; then
		echo "ok: the wakealarm set 3 s ahead fired after $6 s (rtc-pl031 interrupts $3 -> $4;" \
		     "the policy's timer matched $alarms times and raised the SPI $raised times)"
	else
		not_ok "wakealarm: interrupts '$3' -> '$4' after '$6' s; policy alarms '$alarms'," \
		       "SPI raised '$raised'"
	fi
else
	not_ok "the RTC guest never showed GUEST-READY on QEMU's console"
	cat qemu.log
fi
echo quit >mon.in
wait "$qemu"
[ "$failures" -eq 0 ]
