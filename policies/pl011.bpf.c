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
 * Output: each byte written to UARTDR is one record in the ring buffer console_out (1 MiB:
 * 65536 bytes of output wait there for a reader; beyond that output is dropped and counted
 * in tx_dropped). The transmitter is infinitely fast: the TX FIFO is always empty
 * (UARTFR.TXFE), and TXIS is raised at reset and after each byte, cleared by UARTICR, as
 * QEMU's PL011 does.
 * Input: one byte per record of the user ring buffer console_in. The policy only runs on
 * exits, so it takes input at the guest's next access to the UART, while the UART is
 * enabled (UARTCR.UARTEN and RXE) and its RX FIFO has room (32 bytes with LCR_H.FEN, else
 * 1); the rest waits in console_in, nothing is lost. RXIS is set while the RX FIFO holds
 * data. A guest that does not touch the UART sees no input: raising the RX interrupt
 * between its accesses would need a kfunc usable outside an exit. (Taking input only then,
 * not at every MMIO exit, keeps all state changes under the guest driver's own locking.)
 * Interrupt: the SPI is high while UARTRIS & UARTIMSC is non-zero (level-sensitive, as the
 * device tree of QEMU's virt board describes it).
 * Not emulated: DMA (UARTDMACR is stored, no request is ever made), break, parity and
 * framing errors (UARTRSR reads 0), modem lines (UARTFR.CTS/DSR/DCD/RI read 0), loopback
 * (UARTCR.LBE is stored), baud rates (stored; no timing); UARTCR.UARTEN and TXE do not gate
 * output (as in QEMU's PL011: a guest writing UARTDR expects it sent). The state is the
 * policy's globals: one UART per loaded policy. The policy does not serialise accesses from
 * several vCPUs at once: the guest's driver does (Linux's holds its port lock around them).
 *
 * Detaching (kvmexit detach) hands the address back to the VMM: its next accesses exit to
 * userspace. Under QEMU at 0x09000000 that is QEMU's own PL011, with the state it had when
 * the policy was attached (QEMU never saw the guest program it): output continues on QEMU's
 * chardev, bytes still in console_out and console_in are gone with the policy, and an SPI
 * the policy left raised stays raised until the device model drives the line again.
 * Re-attaching starts from the reset state.
 */
#include "kvmexit.h"

#define PL011_SIZE		0x1000
#define UARTDR			0x000
#define UARTRSR			0x004
#define UARTFR			0x018
#define UARTILPR		0x020
#define UARTIBRD		0x024
#define UARTFBRD		0x028
#define UARTLCR_H		0x02c
#define UARTCR			0x030
#define UARTIFLS		0x034
#define UARTIMSC		0x038
#define UARTRIS			0x03c
#define UARTMIS			0x040
#define UARTICR			0x044
#define UARTDMACR		0x048
#define UARTPERIPHID0		0xfe0	/* PeriphID0..3, then CellID0..3, one byte per word */

#define FR_RXFE			(1u << 4)
#define FR_TXFF			(1u << 5)
#define FR_RXFF			(1u << 6)
#define FR_TXFE			(1u << 7)
#define LCR_H_FEN		(1u << 4)
#define CR_UARTEN		(1u << 0)
#define CR_TXE			(1u << 8)
#define CR_RXE			(1u << 9)
#define INT_RX			(1u << 4)
#define INT_TX			(1u << 5)
#define INT_RT			(1u << 6)
#define INT_ALL			0x7ffu

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

/* Register state; the reset values are those of the PL011 TRM. */
__u32 ilpr, ibrd, fbrd, lcr_h, ifls = 0x12, imsc, dmacr;
__u32 cr = CR_TXE | CR_RXE;
__u32 ris = INT_TX;
__u8 rx_fifo[RX_FIFO_SIZE];
__u32 rx_head, rx_count;
bool line;

/* What the policy did, for kvmexit and the tests. */
__u64 accesses;		/* register accesses emulated (HANDLED) */
__u64 tx_bytes, tx_dropped, rx_bytes;
__u64 irq_raised, irq_lowered;
int last_error;		/* of bpf_kvm_exit_set_spi(), 0 if none */

static __u32 rx_depth(void)
{
	return lcr_h & LCR_H_FEN ? RX_FIFO_SIZE : 1;
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

/* Drive the SPI from the interrupt state: high while a raised interrupt is unmasked. */
static void update_line(struct kvm_arm_exit_ctx *exit)
{
	bool level = (ris & imsc) != 0;
	int err;

	if (level == line)
		return;
	err = bpf_kvm_exit_set_spi(exit, pl011_spi, level);
	if (err) {
		last_error = err;
		return;
	}
	line = level;
	if (level)
		irq_raised++;
	else
		irq_lowered++;
}

static long take_input_byte(struct bpf_dynptr *sample, void *unused)
{
	__u8 c;

	if (bpf_dynptr_read(&c, 1, sample, 0, 0))
		return 0;	/* an empty record: nothing to take */
	rx_fifo[(rx_head + rx_count) & (RX_FIFO_SIZE - 1)] = c;
	rx_count++;
	rx_bytes++;
	ris |= INT_RX;
	return rx_count >= rx_depth();	/* 1 stops the drain: the FIFO is full */
}

/* Move waiting input into the RX FIFO, as much as it takes. */
static void receive(void)
{
	if ((cr & (CR_UARTEN | CR_RXE)) != (CR_UARTEN | CR_RXE) || rx_count >= rx_depth())
		return;
	bpf_user_ringbuf_drain(&console_in, take_input_byte, NULL, 0);
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

static void write_dr(__u8 c)
{
	if (bpf_ringbuf_output(&console_out, &c, 1, 0))
		tx_dropped++;
	else
		tx_bytes++;
	ris |= INT_TX;
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
		write_dr(val);
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
		break;
	case UARTDMACR:
		dmacr = val & 7;
		break;
	}
	/* UARTRSR/ECR (clears errors: there are none), read-only and reserved words. */
}

SEC("struct_ops/mmio")
int BPF_PROG(pl011_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - pl011_base;

	if (exit->ipa < pl011_base || off >= PL011_SIZE)
		return KVM_ARM_EXIT_DEFAULT;
	/* Registers are 32-bit words: a narrower access at a word's offset 1..3 is read as
	 * zero and ignored when written. */
	if (exit->is_write) {
		if (!(off & 3))
			write_reg(off, exit->data);
	} else {
		bpf_kvm_exit_mmio_read_data(exit, off & 3 ? 0 : read_reg(off));
	}
	accesses++;
	receive();
	update_line(exit);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops pl011 = {
	.mmio = (void *)pl011_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
