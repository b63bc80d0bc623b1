// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that exits flat out through exits a policy answers (tests/bpf/fastpath_device.bpf.c),
 * which the host's fast path re-enters directly, and must still get what the run loop
 * brings. Each read of the device returns how many the policy answered for this vCPU, so
 * every access is checked to be answered exactly once. Built three ways:
 * - guest fastpath: vCPU 0 reads and calls until it has taken its virtual timer's interrupt
 *   and an SPI that vCPU 1 raises meanwhile, then the SPI again from the device's BPF timer,
 *   then makes calls the policy declines (KVM answers them; the policy must have seen each
 *   once);
 * - guest fastpath_shared (FASTPATH_SHARED): two vCPUs, on one host CPU, each waits for the
 *   other's progress while it reads: both finish only if the host switches between them;
 * - guest fastpath_spin (FASTPATH_SPIN): reads forever, for the VMM to signal, stop or kill.
 * Everything is bounded by the guest's counter (30 s), not by a number of iterations.
 */
#include "guest.h"
#include "policy_tests.h"

#define DATA(off)		(TESTDEV_BASE + TESTDEV_DATA + (off))
#define SPI_INTID		(32 + FAST_SPI)
#define VTIMER_INTID		27
/* vCPU 0's redistributor, its SGI/PPI frame. */
#define GICR_SGI_BASE		(GIC_REDIST_BASE + 0x10000)
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_IPRIORITYR(i)	(0x0400 + (i))
#define LIMIT_SECONDS		30

static volatile uint64_t progress[GUEST_MAX_VCPUS];	/* device reads answered, per vCPU */
static volatile uint64_t timer_irqs, spi_irqs, done;

static inline uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t deadline(void)
{
	uint64_t hz;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return counter() + LIMIT_SECONDS * hz;
}

/* One read of the device: the policy's count for this vCPU, one more than last time. */
static void device_read(unsigned int cpu)
{
	uint64_t answered = *(volatile uint64_t *)DATA(FAST_OFF_COUNT);

	GUEST_ASSERT_EQ(answered, progress[cpu] + 1);
	progress[cpu] = answered;
}

#if defined(FASTPATH_SPIN)
int main(void)
{
	for (;;)
		device_read(0);
}
#elif defined(FASTPATH_SHARED)
int main(void)
{
	unsigned int cpu = guest_cpu_id(), other = !cpu;
	uint64_t end = deadline();

	if (!cpu)
		GUEST_ASSERT_EQ(guest_cpu_on(1), 0);
	while (progress[cpu] < FAST_SHARED_READS || progress[other] < FAST_SHARED_READS) {
		device_read(cpu);
		GUEST_ASSERT(counter() < end);
	}
	return 0;
}
#else
static void on_irq(void)
{
	uint64_t intid = gic_ack();

	if (intid == VTIMER_INTID) {
		asm volatile("msr cntv_ctl_el0, %0" : : "r"(0UL));	/* off: one interrupt */
		timer_irqs++;
	} else {
		GUEST_ASSERT_EQ(intid, SPI_INTID);
		testdev_write(TESTDEV_DATA + FAST_OFF_LOWER, 1);
		spi_irqs++;
	}
	gic_eoi(intid);
}

static void enable_vtimer_irq(void)
{
	volatile uint32_t *igroupr0 = (uint32_t *)(GICR_SGI_BASE + GICR_IGROUPR0);
	uint64_t hz;

	*igroupr0 |= 1U << VTIMER_INTID;
	*(volatile uint8_t *)(GICR_SGI_BASE + GICR_IPRIORITYR(VTIMER_INTID)) = 0xa0;
	*(volatile uint32_t *)(GICR_SGI_BASE + GICR_ISENABLER0) = 1U << VTIMER_INTID;
	/* 10 ms of the guest's counter from now. */
	asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	asm volatile("msr cntv_cval_el0, %0" : : "r"(counter() + hz / 100));
	asm volatile("msr cntv_ctl_el0, %0; isb" : : "r"(1UL));
}

int main(void)
{
	struct smccc_res res;
	uint64_t end, i;

	if (guest_cpu_id()) {
		/* Once vCPU 0 exits flat out, interrupt it from here. */
		while (progress[0] < 1000)
			device_read(1);
		testdev_write(TESTDEV_DATA + FAST_OFF_RAISE, 1);
		while (!done)
			device_read(1);
		return 0;
	}
	gic_init_spi(SPI_INTID);
	guest_irq_handler = on_irq;
	GUEST_ASSERT_EQ(guest_cpu_on(1), 0);	/* declined by the policy: PSCI in KVM */
	enable_vtimer_irq();
	asm volatile("msr daifclr, #2");

	end = deadline();
	for (i = 0; !timer_irqs || !spi_irqs; i++) {
		device_read(0);
		res = smccc_hvc(FAST_HVC_EMULATED, i, 0, 0);
		GUEST_ASSERT_EQ(res.a0, i + 1);
		GUEST_ASSERT(counter() < end);
	}
	for (i = 0; i < 100; i++) {
		res = smccc_hvc(FAST_HVC_DECLINED, 0, 0, 0);
		GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	}
	GUEST_ASSERT_EQ(*(volatile uint64_t *)DATA(FAST_OFF_DECLINED), 100);
	/*
	 * Those calls went through the run loop, which saw the SPI deactivated: the device's
	 * timer now raises the VM's first active SPI, from softirq, while both vCPUs exit flat
	 * out. The vGIC then kicks every vCPU, which the kernel must do from a task.
	 */
	testdev_write(TESTDEV_DATA + FAST_OFF_TIMER, 1000);
	while (spi_irqs < 2) {
		device_read(0);
		GUEST_ASSERT(counter() < end);
	}
	asm volatile("msr daifset, #2");
	GUEST_ASSERT_EQ(timer_irqs, 1);
	GUEST_ASSERT_EQ(spi_irqs, 2);
	done = 1;
	return 0;
}
#endif
