// SPDX-License-Identifier: GPL-2.0
/* The in-kernel vGICv3 as the test guests use it: one SPI, group 1, to this vCPU. */
#include "guest.h"

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

static void mmio_write32(unsigned long addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static uint32_t mmio_read32(unsigned long addr)
{
	return *(volatile uint32_t *)addr;
}

void gic_init_spi(unsigned int intid)
{
	/* This vCPU's redistributor awake, the SPI enabled in group 1, routed to it. */
	mmio_write32(GIC_REDIST_BASE + GICR_WAKER,
		     mmio_read32(GIC_REDIST_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(GIC_REDIST_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(GIC_DIST_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	mmio_write32(GIC_DIST_BASE + GICD_IGROUPR(intid / 32), 1U << (intid % 32));
	*(volatile uint8_t *)(GIC_DIST_BASE + GICD_IPRIORITYR(intid)) = 0xa0;
	*(volatile uint64_t *)(GIC_DIST_BASE + GICD_IROUTER(intid)) = 0;
	mmio_write32(GIC_DIST_BASE + GICD_ISENABLER(intid / 32), 1U << (intid % 32));

	/* The CPU interface: system registers, all priorities, group 1 on. */
	asm volatile("msr S3_0_C12_C12_5, %0" : : "r"(1UL));	/* ICC_SRE_EL1.SRE */
	asm volatile("isb");
	asm volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffUL));	/* ICC_PMR_EL1 */
	asm volatile("msr S3_0_C12_C12_7, %0" : : "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	asm volatile("isb");
}

uint64_t gic_ack(void)
{
	uint64_t intid;

	asm volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid));	/* ICC_IAR1_EL1 */
	return intid;
}

void gic_eoi(uint64_t intid)
{
	asm volatile("msr S3_0_C12_C12_1, %0" : : "r"(intid));	/* ICC_EOIR1_EL1 */
	asm volatile("isb");
}

void wait_irqs(volatile uint64_t *count, uint64_t n)
{
	while (*count < n)
		asm volatile("wfi");
	GUEST_ASSERT_EQ(*count, n);
}
