// SPDX-License-Identifier: GPL-2.0
/*
 * A console UART emulated by policies/pl011.bpf.c, driven as a driver would: its ID
 * registers, reset state and control registers; output through UARTDR with a TX
 * interrupt per byte; input the VMM queued before the receiver was enabled, first
 * byte by byte with the FIFOs off, then the rest in the RX interrupt with them on; then
 * input handed over while the guest waits in WFI, in an RX interrupt of its own.
 */
#include "guest.h"
#include "pl011.h"
#include "policy_tests.h"

#define LCR_H_8BITS	0x60
#define CR_RESET	0x300	/* RXE | TXE, UARTEN off */
#define CR_ON		0x301
#define INTID		(32 + PL011_TEST_SPI)

static volatile uint64_t irqs, last_intid, last_mis;
static volatile char rx[8];
static volatile unsigned int nr_rx;

static uint32_t uart_read(unsigned long off)
{
	return *(volatile uint32_t *)(PL011_TEST_BASE + off);
}

static void uart_write(unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(PL011_TEST_BASE + off) = v;
}

/* As Linux's pl011_int(): take what was received, acknowledge "ready to send". */
static void uart_irq(void)
{
	uint64_t intid = gic_ack();
	uint32_t mis = uart_read(UARTMIS);

	last_intid = intid;
	last_mis = mis;
	irqs++;
	if (mis & INT_RX)
		while (!(uart_read(UARTFR) & FR_RXFE) && nr_rx < sizeof(rx))
			rx[nr_rx++] = uart_read(UARTDR);
	if (mis & INT_TX)
		uart_write(UARTICR, INT_TX);
	gic_eoi(intid);
}

static void wait_uart_irqs(uint64_t n)
{
	wait_irqs(&irqs, n);
	GUEST_ASSERT_EQ(last_intid, INTID);
}

static void check_identity_and_reset_state(void)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	int i;

	for (i = 0; i < 8; i++)
		GUEST_ASSERT_EQ(uart_read(UARTPERIPHID0 + 4 * i), id[i]);
	/* Linux's amba-pl011 accesses this UART with 16-bit loads and stores. */
	GUEST_ASSERT_EQ(*(volatile uint16_t *)(PL011_TEST_BASE + UARTFR), FR_TXFE | FR_RXFE);
	GUEST_ASSERT_EQ(*(volatile uint8_t *)(PL011_TEST_BASE + UARTFR + 1), 0);
	GUEST_ASSERT_EQ(uart_read(UARTCR), CR_RESET);
	GUEST_ASSERT_EQ(uart_read(UARTIFLS), 0x12);
	GUEST_ASSERT_EQ(uart_read(UARTIMSC), 0);
	GUEST_ASSERT_EQ(uart_read(UARTRIS), INT_TX);	/* the empty TX FIFO */
	GUEST_ASSERT_EQ(uart_read(UARTMIS), 0);
	/* The VMM's input is queued, but waits while the UART is disabled. */
	GUEST_ASSERT_EQ(uart_read(UARTFR), FR_TXFE | FR_RXFE);
}

static void check_control_registers(void)
{
	uart_write(UARTIBRD, 0x1a);
	uart_write(UARTFBRD, 0x3);
	uart_write(UARTLCR_H, LCR_H_8BITS);
	uart_write(UARTILPR, 0x7);
	uart_write(UARTDMACR, 0x3);
	uart_write(UARTIFLS, 0x24);
	GUEST_ASSERT_EQ(uart_read(UARTIBRD), 0x1a);
	GUEST_ASSERT_EQ(uart_read(UARTFBRD), 0x3);
	GUEST_ASSERT_EQ(uart_read(UARTLCR_H), LCR_H_8BITS);
	GUEST_ASSERT_EQ(uart_read(UARTILPR), 0x7);
	GUEST_ASSERT_EQ(uart_read(UARTDMACR), 0x3);
	GUEST_ASSERT_EQ(uart_read(UARTIFLS), 0x24);
	uart_write(UARTDMACR, 0);
	/* A byte store inside a word is ignored. */
	*(volatile uint8_t *)(PL011_TEST_BASE + UARTIBRD + 1) = 0xff;
	GUEST_ASSERT_EQ(uart_read(UARTIBRD), 0x1a);
}

/* Each byte raises TXIS: one interrupt per byte, each acknowledged through UARTICR. */
static void transmit(void)
{
	const char *s = PL011_TEST_TX;
	uint64_t n;

	gic_init_spi(INTID);
	guest_irq_handler = uart_irq;
	asm volatile("msr daifclr, #2");
	/* TXIS has been up since reset: unmasking it interrupts at once. */
	uart_write(UARTIMSC, INT_TX);
	wait_uart_irqs(1);
	GUEST_ASSERT_EQ(last_mis, INT_TX);
	GUEST_ASSERT_EQ(uart_read(UARTRIS), 0);
	for (n = 2; *s; s++, n++) {
		GUEST_ASSERT(!(uart_read(UARTFR) & FR_TXFF));
		uart_write(UARTDR, *s);
		wait_uart_irqs(n);
		GUEST_ASSERT_EQ(last_mis, INT_TX);
	}
	uart_write(UARTIMSC, 0);
}

static void receive(void)
{
	uint64_t before = irqs;

	/* FIFOs off: a one-byte holding register, refilled after each read. */
	uart_write(UARTCR, CR_ON);
	GUEST_ASSERT_EQ(uart_read(UARTFR), FR_TXFE | FR_RXFF);
	GUEST_ASSERT_EQ(uart_read(UARTRIS), INT_RX);
	GUEST_ASSERT_EQ(uart_read(UARTDR), PL011_TEST_RX[0]);
	GUEST_ASSERT_EQ(uart_read(UARTFR), FR_TXFE | FR_RXFF);
	GUEST_ASSERT_EQ(uart_read(UARTDR), PL011_TEST_RX[1]);
	/* FIFOs on: the rest comes in at once, and waits for the RX interrupt. */
	uart_write(UARTLCR_H, LCR_H_8BITS | LCR_H_FEN);
	GUEST_ASSERT_EQ(uart_read(UARTFR), FR_TXFE);
	GUEST_ASSERT_EQ(irqs, before);
	uart_write(UARTIMSC, INT_RX);
	wait_uart_irqs(before + 1);
	GUEST_ASSERT_EQ(last_mis, INT_RX);
	GUEST_ASSERT_EQ(nr_rx, 2);
	GUEST_ASSERT_EQ(rx[0], PL011_TEST_RX[2]);
	GUEST_ASSERT_EQ(rx[1], PL011_TEST_RX[3]);
	GUEST_ASSERT_EQ(uart_read(UARTFR), FR_TXFE | FR_RXFE);
	GUEST_ASSERT_EQ(uart_read(UARTRIS), 0);
	/* An empty FIFO reads as zero. */
	GUEST_ASSERT_EQ(uart_read(UARTDR), 0);
	uart_write(UARTICR, INT_ALL);
	uart_write(UARTIMSC, 0);
}

/*
 * Input handed over while the guest does not touch the UART: the policy's console_input
 * program, which the VMM runs as kvmexit console does, takes it into the RX FIFO and
 * raises the RX interrupt this vCPU waits for.
 */
static void receive_while_idle(void)
{
	const char *want = PL011_TEST_RX_IDLE;
	uint64_t before = irqs;
	unsigned int i;

	nr_rx = 0;
	uart_write(UARTIMSC, INT_RX);
	testdev_write(TESTDEV_DATA + PL011_TEST_SEND, 1);
	wait_uart_irqs(before + 1);
	GUEST_ASSERT_EQ(last_mis, INT_RX);
	for (i = 0; want[i]; i++)
		GUEST_ASSERT_EQ(rx[i], want[i]);
	GUEST_ASSERT_EQ(nr_rx, i);
	uart_write(UARTIMSC, 0);
}

/* Interrupts masked: bytes beyond what console_out holds are dropped and counted. */
static void overflow(void)
{
	uint64_t n, before = irqs;

	for (n = 0; n < PL011_TEST_FILL; n++)
		uart_write(UARTDR, PL011_FILL_BYTE);
	GUEST_ASSERT_EQ(irqs, before);
}

int main(void)
{
	check_identity_and_reset_state();
	check_control_registers();
	transmit();
	receive();
	receive_while_idle();
	overflow();
	asm volatile("msr daifset, #2");
	return 0;
}
