// SPDX-License-Identifier: GPL-2.0
/*
 * A device emulated by a policy interrupts the guest: writing its "raise" register makes
 * tests/bpf/spi_device.bpf.c raise an SPI through the in-kernel vGICv3
 * (bpf_kvm_exit_set_spi()); the guest takes the IRQ, acknowledges it, and lowers the line
 * through the device's "lower" register before the end of interrupt.
 */
#include "guest.h"
#include "policy_tests.h"

#define GICD_CTLR		0x0000
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_ENABLE_G1	(1U << 1)
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_IPRIORITYR(i)	(0x0400 + (i))
#define GICD_IROUTER(i)		(0x6000 + 8 * (i))
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)

#define INTID			(32 + SPI_DEVICE_SPI)

static volatile uint64_t irqs, last_intid;

static void mmio_write32(unsigned long addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(unsigned long addr)
{
	return *(volatile uint32_t *)addr;
}

static void gic_init(void)
{
	/* This vCPU's redistributor awake, the SPI enabled in group 1, routed to it. */
	mmio_write32(GIC_REDIST_BASE + GICR_WAKER,
		     mmio_read32(GIC_REDIST_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(GIC_REDIST_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(GIC_DIST_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	mmio_write32(GIC_DIST_BASE + GICD_IGROUPR(INTID / 32), 1U << (INTID % 32));
	*(volatile uint8_t *)(GIC_DIST_BASE + GICD_IPRIORITYR(INTID)) = 0xa0;
	*(volatile uint64_t *)(GIC_DIST_BASE + GICD_IROUTER(INTID)) = 0;
	mmio_write32(GIC_DIST_BASE + GICD_ISENABLER(INTID / 32), 1U << (INTID % 32));

	/* The CPU interface: system registers, all priorities, group 1 on. */
	asm volatile("msr S3_0_C12_C12_5, %0" : : "r"(1UL));	/* ICC_SRE_EL1.SRE */
	asm volatile("isb");
	asm volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffUL));	/* ICC_PMR_EL1 */
	asm volatile("msr S3_0_C12_C12_7, %0" : : "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	asm volatile("isb");
}

static void device_irq(void)
{
	uint64_t intid;

	asm volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid));	/* ICC_IAR1_EL1 */
	last_intid = intid;
	irqs++;
	testdev_write(TESTDEV_DATA + SPI_DEVICE_LOWER, 1);	/* the device lowers its line */
	asm volatile("msr S3_0_C12_C12_1, %0" : : "r"(intid));	/* ICC_EOIR1_EL1 */
	asm volatile("isb");
}

int main(void)
{
	int i;

	gic_init();
	guest_irq_handler = device_irq;
	asm volatile("msr daifclr, #2");

	for (i = 1; i <= 3; i++) {
		testdev_write(TESTDEV_DATA + SPI_DEVICE_RAISE, 1);
		while (irqs < (uint64_t)i)
			asm volatile("wfi");
		GUEST_ASSERT_EQ(last_intid, INTID);
	}
	asm volatile("msr daifset, #2");
	GUEST_ASSERT_EQ(irqs, 3);
	return 0;
}
