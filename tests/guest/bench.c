// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-timed exit loops, as kvm-unit-tests' arm micro-bench does: each path is taken
 * BENCH_ITERATIONS times between two reads of the virtual counter, and the total is
 * reported to the VMM. Under QEMU's -icount shift=0 the counter advances per executed
 * instruction, so a result is a repeatable instruction count, not time. Then the VMM
 * detaches the policy and the paths a policy could see are measured again without one.
 */
#include "guest.h"
#include "policy_tests.h"

#define BENCH_ITERATIONS	512
#define BENCH_WARMUP		16
#define DATA(off)		(TESTDEV_BASE + TESTDEV_DATA + (off))
#define GICD_TYPER		(GIC_DIST_BASE + 0x0004)
#define SMCCC_ARCH_VERSION	0x80000000U
#define PSCI_VERSION		0x84000000U

enum bench_kind { HVC, MMIO_READ, MMIO_WRITE };

static uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static void once(enum bench_kind kind, uint64_t arg)
{
	switch (kind) {
	case HVC:
		smccc_hvc(arg, 0, 0, 0);
		break;
	case MMIO_READ:
		(void)*(volatile uint32_t *)arg;
		break;
	case MMIO_WRITE:
		*(volatile uint32_t *)arg = 0;
		break;
	}
}

static void measure(unsigned int id, enum bench_kind kind, uint64_t arg)
{
	uint64_t start;
	int i;

	for (i = 0; i < BENCH_WARMUP; i++)
		once(kind, arg);
	start = counter();
	for (i = 0; i < BENCH_ITERATIONS; i++)
		once(kind, arg);
	testdev_write(TESTDEV_DATA + BENCH_OFF_RESULT,
		      ((uint64_t)id << 48) | (counter() - start));
}

int main(void)
{
	/* With the policy attached; ids are the VMM's table (tests/vmm/bench.c). */
	measure(0, HVC, SMCCC_ARCH_VERSION);
	measure(1, HVC, PSCI_VERSION);
	measure(2, HVC, BENCH_FID_DENY);
	measure(3, HVC, BENCH_FID_FWD);
	measure(4, HVC, BENCH_FID_BPF_DENY);
	measure(5, HVC, BENCH_FID_BPF_EMUL);
	measure(6, MMIO_READ, GICD_TYPER);
	measure(7, MMIO_READ, DATA(BENCH_OFF_VMM));
	measure(8, MMIO_READ, DATA(BENCH_OFF_BPF));
	measure(9, MMIO_WRITE, DATA(BENCH_OFF_VMM));
	measure(10, MMIO_WRITE, DATA(BENCH_OFF_BPF));

	/* Without a policy anywhere: the hooks are a patched-out branch again. */
	testdev_write(TESTDEV_DATA + BENCH_OFF_PHASE, 1);
	measure(11, HVC, PSCI_VERSION);
	measure(12, HVC, BENCH_FID_FWD);
	measure(13, MMIO_READ, GICD_TYPER);
	measure(14, MMIO_READ, DATA(BENCH_OFF_VMM));
	measure(15, HVC, SMCCC_ARCH_VERSION);
	return 0;
}
