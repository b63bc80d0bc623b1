// SPDX-License-Identifier: GPL-2.0
/*
 * Guest-timed exit loops, as kvm-unit-tests' arm micro-bench does: each path is taken
 * BENCH_ITERATIONS times between two reads of the virtual counter, and the total is
 * reported to the VMM; every path is measured BENCH_ROUNDS times, so the VMM can give a
 * median and a spread. Under QEMU's -icount shift=0 the counter advances per executed
 * instruction, so a result is a repeatable instruction count, not time. The paths a policy
 * answers are measured with the host's fast path on, then off; then the VMM detaches the
 * policy and the paths a policy could see are measured again without one.
 */
#include "guest.h"
#include "policy_tests.h"

#define BENCH_WARMUP		16
#define DATA(off)		(TESTDEV_BASE + TESTDEV_DATA + (off))
#define GICD_TYPER		(GIC_DIST_BASE + 0x0004)
#define GICD_ISENABLER1		(GIC_DIST_BASE + 0x0104)	/* writing 0 changes nothing */
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

static void measure(unsigned int id, unsigned int round, enum bench_kind kind, uint64_t arg)
{
	uint64_t start;
	int i;

	for (i = 0; i < BENCH_WARMUP; i++)
		once(kind, arg);
	start = counter();
	for (i = 0; i < BENCH_ITERATIONS; i++)
		once(kind, arg);
	testdev_write(TESTDEV_DATA + BENCH_OFF_RESULT,
		      BENCH_RESULT(id, round, counter() - start));
}

int main(void)
{
	unsigned int r;

	/* With the policy attached; ids are the VMM's table (tests/vmm/bench.c). */
	for (r = 0; r < BENCH_ROUNDS; r++) {
		measure(0, r, HVC, SMCCC_ARCH_VERSION);
		measure(1, r, HVC, PSCI_VERSION);
		measure(2, r, HVC, BENCH_FID_DENY);
		measure(3, r, HVC, BENCH_FID_FWD);
		measure(4, r, HVC, BENCH_FID_BPF_DENY);
		measure(5, r, HVC, BENCH_FID_BPF_EMUL);
		measure(6, r, MMIO_READ, GICD_TYPER);
		measure(7, r, MMIO_READ, DATA(BENCH_OFF_VMM));
		measure(8, r, MMIO_READ, DATA(BENCH_OFF_BPF));
		measure(9, r, MMIO_WRITE, DATA(BENCH_OFF_VMM));
		measure(10, r, MMIO_WRITE, DATA(BENCH_OFF_BPF));
		measure(16, r, MMIO_WRITE, GICD_ISENABLER1);
	}

	/* The paths a policy answers, through KVM's run loop: the fast path off. */
	testdev_write(TESTDEV_DATA + BENCH_OFF_FASTPATH, 0);
	for (r = 0; r < BENCH_ROUNDS; r++) {
		measure(17, r, HVC, BENCH_FID_BPF_DENY);
		measure(18, r, HVC, BENCH_FID_BPF_EMUL);
		measure(19, r, MMIO_READ, DATA(BENCH_OFF_BPF));
		measure(20, r, MMIO_WRITE, DATA(BENCH_OFF_BPF));
	}
	testdev_write(TESTDEV_DATA + BENCH_OFF_FASTPATH, 1);

	/* Without a policy anywhere: the hooks are a patched-out branch again. */
	testdev_write(TESTDEV_DATA + BENCH_OFF_PHASE, 1);
	for (r = 0; r < BENCH_ROUNDS; r++) {
		measure(11, r, HVC, PSCI_VERSION);
		measure(12, r, HVC, BENCH_FID_FWD);
		measure(13, r, MMIO_READ, GICD_TYPER);
		measure(14, r, MMIO_READ, DATA(BENCH_OFF_VMM));
		measure(15, r, HVC, SMCCC_ARCH_VERSION);
	}
	return 0;
}
