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
 * Input: one byte per record of the user ring buffer console_in. The policy only runs on
 * exits, so it takes input at the guest's next access to the UART, while the UART is
 * enabled (UARTCR.UARTEN and RXE) and its RX FIFO has room (32 bytes with LCR_H.FEN, else
 * 1); the rest waits in console_in. RXIS is set while the RX FIFO holds data (UARTICR
 * cannot clear it then). A guest that does not touch the UART sees no input: raising the
 * RX interrupt between its accesses would need a kfunc usable outside an exit. Input queued
 * when Linux opens the port is lost: its pl011_enable_interrupts() reads and discards up
 * to twice the FIFO size from UARTDR, and each access refills the FIFO.
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
 * Detaching (kvmexit detach) hands the address back to the VMM: its next accesses exit to
 * userspace. Under QEMU at 0x09000000 that is QEMU's own PL011, with the state it had when
 * the policy was attached (QEMU never saw the guest program it): output continues on QEMU's
 * chardev, bytes still in console_out and console_in are gone with the policy, and an SPI
 * the policy left raised stays raised until the device model drives the line again.
 * Re-attaching starts from the reset state.
 */
#include "kvmexit.h"
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
 * Taken around every use of the globals below but tx_bytes and tx_dropped (added to
 * atomically) and last_error. In a section of its own: a map holding a lock cannot be
 * mmapped, and the skeleton maps .bss to read the counters.
 */
struct bpf_spin_lock state_lock SEC(".bss.state_lock") __hidden;

/* Register state; the reset values are those of the PL011 TRM. */
__u32 ilpr, ibrd, fbrd, lcr_h, ifls = 0x12, imsc, dmacr;
__u32 cr = CR_TXE | CR_RXE;
__u32 ris = INT_TX;
__u8 rx_fifo[RX_FIFO_SIZE];
__u32 rx_head, rx_count;
bool receiving;		/* a vCPU is draining console_in: only it appends to rx_fifo */
bool line;		/* the level the state asks of the SPI */

/* What the policy did, for kvmexit and the tests. */
__u64 accesses;		/* register accesses emulated (HANDLED) */
__u64 tx_bytes, tx_dropped, rx_bytes;
__u64 irq_raised, irq_lowered;
int last_error;		/* of bpf_kvm_exit_set_spi(), 0 if none */

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

/*
 * Under the lock, after a change of the state: note the level it asks of the SPI (high
 * while a raised interrupt is unmasked); true if that changed, and the SPI must be set.
 */
static bool note_level(void)
{
	bool level = (ris & imsc) != 0;

	if (level == line)
		return false;
	line = level;
	if (level)
		irq_raised++;
	else
		irq_lowered++;
	return true;
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
	changed = note_level();
	bpf_spin_unlock(&state_lock);
	return changed;
}

#define SPI_RECHECKS	4

/*
 * Set the SPI to the level the state asks for, after a change of it. Only then: the guest
 * may have configured the SPI edge-triggered (KVM's default for SPIs), where each raise is
 * an edge. The kfunc cannot run under the lock, so two vCPUs' calls can reach the vGIC in
 * the other order than their changes of the state: after its call each vCPU looks at the
 * level again and sets it once more if it changed meanwhile, so the vCPU that sets the SPI
 * last leaves it at the state's level. (Only other vCPUs changing the level SPI_RECHECKS
 * times while this one sets it can outrun it; the next change sets the SPI right.)
 */
static void drive_spi(struct kvm_arm_exit_ctx *exit)
{
	bool level, set = false;
	int i, err;

	for (i = 0; i <= SPI_RECHECKS; i++) {
		bpf_spin_lock(&state_lock);
		level = line;
		bpf_spin_unlock(&state_lock);
		if (i && level == set)
			return;
		err = bpf_kvm_exit_set_spi(exit, pl011_spi, level);
		if (err) {
			last_error = err;
			return;
		}
		set = level;
	}
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
	changed = note_level();
	bpf_spin_unlock(&state_lock);
	if (!exit->is_write)
		bpf_kvm_exit_mmio_read_data(exit, val);
	if (in.room)
		changed |= receive(&in);
	if (changed)
		drive_spi(exit);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops pl011 = {
	.mmio = (void *)pl011_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
