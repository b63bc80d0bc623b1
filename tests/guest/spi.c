// SPDX-License-Identifier: GPL-2.0
/*
 * A device emulated by a policy interrupts the guest: writing its "raise" register makes
 * tests/bpf/spi_device.bpf.c raise an SPI through the in-kernel vGICv3
 * (bpf_kvm_exit_set_spi()); the guest takes the IRQ, acknowledges it, and lowers the line
 * through the device's "lower" register before the end of interrupt.
 */
#include "guest.h"
#include "policy_tests.h"

#define INTID			(32 + SPI_DEVICE_SPI)

static volatile uint64_t irqs, last_intid;

static void device_irq(void)
{
	uint64_t intid = gic_ack();

	last_intid = intid;
	irqs++;
	testdev_write(TESTDEV_DATA + SPI_DEVICE_LOWER, 1);	/* the device lowers its line */
	gic_eoi(intid);
}

int main(void)
{
	int i;

	gic_init_spi(INTID);
	guest_irq_handler = device_irq;
	asm volatile("msr daifclr, #2");

	for (i = 1; i <= 3; i++) {
		testdev_write(TESTDEV_DATA + SPI_DEVICE_RAISE, 1);
		wait_irqs(&irqs, i);
		GUEST_ASSERT_EQ(last_intid, INTID);
	}
	asm volatile("msr daifset, #2");
	GUEST_ASSERT_EQ(irqs, 3);
	return 0;
}
