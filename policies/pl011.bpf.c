// SPDX-License-Identifier: GPL-2.0
/*
 * pl011: a console UART (Arm PrimeCell PL011, r1p5) emulated in the kernel by an exit
 * policy, so its register accesses never leave KVM. Linux's amba-pl011 driver probes and
 * drives it unmodified.
 *
 * Parameters (globals, set before load: kvmexit attach ... --set NAME=VALUE):
 *   pl011_base   guest physical address of its 4 KiB register page (0x09000000: where
 *                QEMU's virt board has its own PL011)
 *   pl011_spi    its interrupt, an SPI of the in-kernel vGIC (1: INTID 33, virt's UART)
 *
 * Attach it before the guest first touches the UART, e.g. to a QEMU started with -S:
 *   kvmexit attach --pid QEMU_PID pl011.bpf.o
 *   kvmexit console --pid QEMU_PID        # guest output to stdout, stdin to the guest
 * At QEMU's own address it takes QEMU's UART over: QEMU's chardev sees nothing.
 *
 * Output: each byte written to UARTDR is one record in the ring buffer console_out (1 MiB
 * of 16-byte records: 65535 bytes of output wait there for a reader; beyond that output is
 * dropped and counted in tx_dropped). The transmitter is infinitely fast: the TX FIFO is
 * always empty (UARTFR.TXFE), and TXIS is raised at reset and after each byte, cleared by
 * UARTICR, as QEMU's PL011 does.
 * Input: one byte per record of the user ring buffer console_in, taken into the RX FIFO
 * while the UART is enabled (UARTCR.UARTEN and RXE) and the FIFO has room (32 bytes with
 * LCR_H.FEN, else 1); the rest waits in console_in. It is taken when whoever queued it runs
 * the syscall program console_input (kvmexit console does, after each write; libkvmexit
 * associates it with the policy's map when it loads the policy, so its
 * bpf_kvm_vm_set_spi() reaches the VM), and at each of the guest's accesses to the UART.
 * So the RX interrupt comes as soon as input is handed over, while the guest does
 * nothing. RXIS is set while the RX FIFO holds data (UARTICR cannot clear it then). Input
 * queued when Linux opens the port is lost: its pl011_enable_interrupts() reads and
 * discards up to twice the FIFO size from UARTDR, and each access refills the FIFO.
 * Interrupt: the SPI is high while UARTRIS & UARTIMSC is non-zero (level-sensitive, as the
 * device tree of QEMU's virt board describes it).
 * Not emulated: DMA (UARTDMACR is stored, no request is ever made), break, parity and
 * framing errors (UARTRSR reads 0), modem lines (UARTFR.CTS/DSR/DCD/RI read 0), loopback
 * (UARTCR.LBE is stored), baud rates (stored; no timing); UARTCR.UARTEN and TXE do not gate
 * output (as in QEMU's PL011: a guest writing UARTDR expects it sent). The state is the
 * policy's globals: one UART per loaded policy.
 * Several vCPUs: the guest's driver does not serialise every access (Linux reads UARTFR
 * without its port lock, in pl011_tx_empty() and TIOCSERGETLSR, while pl011_int() runs on
 * another vCPU), so the policy does: state_lock covers the registers, the RX FIFO and the
 * SPI's level. No helper or kfunc may run under a bpf_spin_lock, so output, the drain of
 * console_in and setting the SPI are done outside it; see receive() and drive_spi().
 *
 * State (for a VMM that would migrate it, the step after this one): the registers (ilpr,
 * ibrd, fbrd, lcr_h, ifls, imsc, dmacr, cr, ris), the RX FIFO (rx_fifo, rx_head, rx_count)
 * and the SPI's level (line), all in .bss; plus what waits in the rings: output in
 * console_out not yet read, input in console_in not yet taken. A VMM saving it would stop
 * the vCPUs, read the .bss map, drain console_out to its own output, keep what console_in
 * still holds, and on the destination write the .bss back (receiving false) and queue that
 * input again before attaching. The counters are statistics, not state.
 *
 * Detaching (kvmexit detach) hands the address back to the VMM: its next accesses exit to
 * userspace. Under QEMU at 0x09000000 that is QEMU's own PL011, with the state it had when
 * the policy was attached (QEMU never saw the guest program it): output continues on QEMU's
 * chardev, bytes still in console_out and console_in are gone with the policy, and an SPI
 * the policy left raised stays raised until the device model drives the line again.
 * Re-attaching starts from the reset state.
 */
#include "kvmexit.h"
#include "device.h"
#include "pl011.h"

#define RX_FIFO_SIZE		32	/* a power of two: indices are masked */

const volatile __u64 pl011_base = 0x09000000;
const volatile __u32 pl011_spi = 1;

/* PL011 r1p5 with the ARM designer id, as QEMU's pl011 reports it. */
static const __u8 pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} console_out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 14);
} console_in SEC(".maps");

/*
 * Register state, under state_lock (device.h) as are all the globals below but tx_bytes
 * and tx_dropped (added to atomically); the reset values are those of the PL011 TRM.
 */
__u32 ilpr, ibrd, fbrd, lcr_h, ifls = 0x12, imsc, dmacr;
__u32 cr = CR_TXE | CR_RXE;
__u32 ris = INT_TX;
__u8 rx_fifo[RX_FIFO_SIZE];
__u32 rx_head, rx_count;
bool receiving;		/* a vCPU is draining console_in: only it appends to rx_fifo */

/* What the policy did, for kvmexit and the tests. */
__u64 accesses;		/* register accesses emulated (HANDLED) */
__u64 tx_bytes, tx_dropped, rx_bytes;

/* Input drained from console_in, on its way to the RX FIFO. */
struct input {
	__u8 bytes[RX_FIFO_SIZE];
	__u32 count;
	__u32 room;	/* what the FIFO had room for when the drain was claimed */
};

static __u32 rx_depth(void)
{
	return lcr_h & LCR_H_FEN ? RX_FIFO_SIZE : 1;
}

/* Under the lock: the SPI is high while a raised interrupt is unmasked. */
static bool note_irq_level(void)
{
	return note_level((ris & imsc) != 0);
}

static __u32 read_fr(void)
{
	__u32 fr = FR_TXFE;

	if (!rx_count)
		fr |= FR_RXFE;
	if (rx_count >= rx_depth())
		fr |= FR_RXFF;
	return fr;
}

static __u32 read_dr(void)
{
	__u32 c;

	if (!rx_count)
		return 0;
	c = rx_fifo[rx_head & (RX_FIFO_SIZE - 1)];
	rx_head = (rx_head + 1) & (RX_FIFO_SIZE - 1);
	if (!--rx_count)
		ris &= ~(INT_RX | INT_RT);
	return c;
}

static __u32 read_reg(__u64 off)
{
	switch (off) {
	case UARTDR:
		return read_dr();
	case UARTFR:
		return read_fr();
	case UARTILPR:
		return ilpr;
	case UARTIBRD:
		return ibrd;
	case UARTFBRD:
		return fbrd;
	case UARTLCR_H:
		return lcr_h;
	case UARTCR:
		return cr;
	case UARTIFLS:
		return ifls;
	case UARTIMSC:
		return imsc;
	case UARTRIS:
		return ris;
	case UARTMIS:
		return ris & imsc;
	case UARTDMACR:
		return dmacr;
	}
	if (off >= UARTPERIPHID0 && off < PL011_SIZE)
		return pl011_id[((off - UARTPERIPHID0) / 4) & 7];
	return 0;	/* UARTRSR, UARTICR and reserved words read as zero */
}

static void write_reg(__u64 off, __u32 val)
{
	switch (off) {
	case UARTDR:
		ris |= INT_TX;	/* the byte itself went out in transmit() */
		break;
	case UARTILPR:
		ilpr = val & 0xff;
		break;
	case UARTIBRD:
		ibrd = val & 0xffff;
		break;
	case UARTFBRD:
		fbrd = val & 0x3f;
		break;
	case UARTLCR_H:
		lcr_h = val & 0xff;
		break;
	case UARTCR:
		cr = val & 0xff87;
		break;
	case UARTIFLS:
		ifls = val & 0x3f;
		break;
	case UARTIMSC:
		imsc = val & INT_ALL;
		break;
	case UARTICR:
		ris &= ~val;
		if (rx_count)
			ris |= INT_RX;	/* still holding data: RXIS stays up */
		break;
	case UARTDMACR:
		dmacr = val & 7;
		break;
	}
	/* UARTRSR/ECR (clears errors: there are none), read-only and reserved words. */
}

/* A byte written to UARTDR, into console_out: outside the lock, so its counters are atomic. */
static void transmit(__u8 c)
{
	if (bpf_ringbuf_output(&console_out, &c, 1, 0))
		__sync_fetch_and_add(&tx_dropped, 1);
	else
		__sync_fetch_and_add(&tx_bytes, 1);
}

/*
 * Under the lock: how much input the RX FIFO can take now, 0 if none or if another vCPU is
 * taking it. The vCPU that gets room drains console_in without the lock (the drain is a
 * helper) and appends what it took; meanwhile the others only read from the FIFO, so what
 * it took still fits.
 */
static __u32 claim_input_room(void)
{
	if (receiving || (cr & (CR_UARTEN | CR_RXE)) != (CR_UARTEN | CR_RXE) ||
	    rx_count >= rx_depth())
		return 0;
	receiving = true;
	return rx_depth() - rx_count;
}

static long take_input_byte(struct bpf_dynptr *sample, struct input *in)
{
	__u8 c;

	if (bpf_dynptr_read(&c, 1, sample, 0, 0))
		return 0;	/* an empty record: nothing to take */
	in->bytes[in->count & (RX_FIFO_SIZE - 1)] = c;
	in->count++;
	return in->count >= in->room;	/* 1 stops the drain: the FIFO is full */
}

/* Move waiting input into the RX FIFO, as much as it has room for; true if the SPI's level
 * changed. */
static bool receive(struct input *in)
{
	bool changed;
	__u32 i;

	bpf_user_ringbuf_drain(&console_in, take_input_byte, in, 0);
	bpf_spin_lock(&state_lock);
	for (i = 0; i < in->count && i < RX_FIFO_SIZE; i++) {
		rx_fifo[(rx_head + rx_count) & (RX_FIFO_SIZE - 1)] = in->bytes[i];
		rx_count++;
	}
	rx_bytes += in->count;
	if (in->count)
		ris |= INT_RX;
	receiving = false;
	changed = note_irq_level();
	bpf_spin_unlock(&state_lock);
	return changed;
}

SEC("struct_ops/mmio")
int BPF_PROG(pl011_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - pl011_base;
	struct input in = {};
	__u32 val = 0;
	bool changed;

	if (exit->ipa < pl011_base || off >= PL011_SIZE)
		return KVM_ARM_EXIT_DEFAULT;
	/* Registers are 32-bit words: a narrower access at a word's offset 1..3 is read as
	 * zero and ignored when written. */
	if (exit->is_write && off == UARTDR)
		transmit(exit->data);
	bpf_spin_lock(&state_lock);
	if (!(off & 3)) {
		if (exit->is_write)
			write_reg(off, exit->data);
		else
			val = read_reg(off);
	}
	accesses++;
	in.room = claim_input_room();
	changed = note_irq_level();
	bpf_spin_unlock(&state_lock);
	if (!exit->is_write)
		bpf_kvm_exit_mmio_read_data(exit, val);
	if (in.room)
		changed |= receive(&in);
	if (changed)
		drive_spi(exit, pl011_spi);
	return KVM_ARM_EXIT_HANDLED;
}

/*
 * Run by userspace (BPF_PROG_RUN) after it queued input in console_in: take what the RX
 * FIFO has room for and raise the RX interrupt now, not at the guest's next UART access.
 */
SEC("syscall")
int console_input(void *ctx)
{
	struct input in = {};

	bpf_spin_lock(&state_lock);
	in.room = claim_input_room();
	bpf_spin_unlock(&state_lock);
	if (in.room && receive(&in))
		drive_spi(NULL, pl011_spi);
	return last_error;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops pl011 KVMEXIT_ONE_VM = {
	.mmio = (void *)pl011_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
