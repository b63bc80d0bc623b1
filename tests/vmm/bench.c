// SPDX-License-Identifier: GPL-2.0
/*
 * The exit-cost benchmark (tests/guest/bench.c, policy tests/bpf/bench.bpf.c): the guest
 * times each path in several rounds and reports counter ticks; this VMM answers what reaches
 * it, detaches the policy when the guest asks, and prints one "bench:" line per path (median,
 * minimum and maximum over the rounds, in ticks per exit), then the ratios the project aims
 * at. Not a test: run it with the bench target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "bench.skel.h"

DECLARE_GUEST(bench);

static const char *const names[] = {
	"hvc answered by KVM (SMCCC_VERSION, no hook)",
	"hvc answered by KVM (PSCI_VERSION, policy says DEFAULT)",
	"hvc denied by the SMCCC filter",
	"hvc forwarded to the VMM and answered there",
	"hvc denied by a BPF policy",
	"hvc emulated by a BPF policy (x0..x3 returned)",
	"mmio read of the in-kernel vGIC distributor",
	"mmio read answered by the VMM (KVM_EXIT_MMIO)",
	"mmio read emulated by a BPF policy",
	"mmio write consumed by the VMM (KVM_EXIT_MMIO)",
	"mmio write consumed by a BPF policy",
	"hvc answered by KVM (PSCI_VERSION), no policy attached",
	"hvc forwarded to the VMM, no policy attached",
	"mmio read of the vGIC distributor, no policy attached",
	"mmio read answered by the VMM, no policy attached",
	"hvc answered by KVM (SMCCC_VERSION), no policy attached",
	"mmio write of the in-kernel vGIC distributor",
	"hvc denied by a BPF policy, fast path off",
	"hvc emulated by a BPF policy, fast path off",
	"mmio read emulated by a BPF policy, fast path off",
	"mmio write consumed by a BPF policy, fast path off",
};
#define NR_BENCH	(sizeof(names) / sizeof(names[0]))

static struct bench *skel;
static struct bpf_link *link;
static bool baseline;	/* a kernel without the series: no policy, the VMM answers all */
static uint64_t ticks[NR_BENCH][BENCH_ROUNDS];
static unsigned int rounds_seen[NR_BENCH];
static double median[NR_BENCH];

static void bench_setup(struct scenario_ctx *ctx)
{
	vm_set_smccc_filter(&ctx->vm, BENCH_FID_DENY, 1, KVM_SMCCC_FILTER_DENY);
	vm_set_smccc_filter(&ctx->vm, BENCH_FID_FWD, 1, KVM_SMCCC_FILTER_FWD_TO_USER);
	skel = policy_load(bench, ctx->vm.fd);
	link = policy_attach(skel->maps.bench);
}

static bool bench_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t off, value = 0;
	unsigned int id, round;

	if (run->exit_reason == KVM_EXIT_HYPERCALL && run->hypercall.nr == BENCH_FID_FWD) {
		vcpu_set_reg(&ctx->vcpu, 0, 0);
		return true;
	}
	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	off = run->mmio.phys_addr - (TESTDEV_BASE + TESTDEV_DATA);
	if (off == BENCH_OFF_VMM || (baseline && off == BENCH_OFF_BPF)) {
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0x5a, run->mmio.len);
		return true;
	}
	memcpy(&value, run->mmio.data, run->mmio.len < 8 ? run->mmio.len : 8);
	if (run->mmio.is_write && off == BENCH_OFF_RESULT) {
		id = value >> 48;
		round = (value >> 40) & 0xff;
		if (id >= NR_BENCH || round >= BENCH_ROUNDS || round != rounds_seen[id])
			return scenario_fail(ctx, "result for benchmark %u round %u", id, round);
		ticks[id][round] = value & ((1ULL << 40) - 1);
		rounds_seen[id]++;
		return true;
	}
	if (run->mmio.is_write && off == BENCH_OFF_FASTPATH) {
		if (!baseline)
			set_exit_bpf_fastpath(value);
		return true;
	}
	if (run->mmio.is_write && off == BENCH_OFF_PHASE) {
		bpf_link__destroy(link);
		link = NULL;
		return true;
	}
	return scenario_fail(ctx, "unexpected MMIO at data offset %#llx",
			     (unsigned long long)off);
}

static int compare_ticks(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double per_exit(uint64_t loop_ticks)
{
	return (double)loop_ticks / BENCH_ITERATIONS;
}

static void ratio(const char *what, unsigned int a, unsigned int b, const char *target)
{
	printf("bench-ratio: %s: %.3f (%s)\n", what, median[a] / median[b], target);
}

/* The counter's frequency: under -icount shift=0 one tick per instruction at 1 GHz. */
static uint64_t counter_frequency(void)
{
	uint64_t freq;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return freq;
}

static bool print_results(struct scenario_ctx *ctx)
{
	uint64_t *t;
	unsigned int i;

	printf("bench-counter-hz: %llu\n", (unsigned long long)counter_frequency());
	for (i = 0; i < NR_BENCH; i++) {
		if (rounds_seen[i] != BENCH_ROUNDS)
			return scenario_fail(ctx, "%u of %u rounds for \"%s\"", rounds_seen[i],
					     BENCH_ROUNDS, names[i]);
		t = ticks[i];
		qsort(t, BENCH_ROUNDS, sizeof(*t), compare_ticks);
		median[i] = per_exit(t[BENCH_ROUNDS / 2]);
		printf("bench: %u,%.1f,%.1f,%.1f,%s\n", i, median[i], per_exit(t[0]),
		       per_exit(t[BENCH_ROUNDS - 1]), names[i]);
	}
	return true;
}

static bool bench_check(struct scenario_ctx *ctx)
{
	if (!print_results(ctx))
		return false;
	ratio("BPF mmio read / in-kernel vGIC read", 8, 6, "target <= 0.75 (fast path)");
	ratio("BPF mmio read / VMM mmio read", 8, 7, "target < 0.3");
	ratio("BPF hvc emulated / KVM's SMCCC_VERSION", 5, 0, "target <= 0.8 (fast path)");
	ratio("fast path / run loop: BPF mmio read", 8, 19, "kept if <= 0.85");
	ratio("fast path / run loop: BPF mmio write", 10, 20, "kept if <= 0.85");
	ratio("fast path / run loop: BPF hvc emulated", 5, 18, "kept if <= 0.85");
	ratio("fast path / run loop: BPF hvc deny", 4, 17, "kept if <= 0.85");
	ratio("BPF mmio read, run loop / in-kernel vGIC read", 19, 6, "before the fast path: 1.003");
	ratio("BPF hvc deny / SMCCC filter deny", 4, 2, "target <= 1.1");
	ratio("hvc to KVM, policy DEFAULT / no policy", 1, 11, "cost of a policy that declines");
	ratio("hvc to VMM, policy attached / no policy", 3, 12, "cost of the hook on a forwarded exit");
	ratio("vGIC read, policy attached / no policy", 6, 13, "no hook on this path: ~1.0");
	ratio("BPF mmio write / in-kernel vGIC write", 10, 16, "target <= 1.2");
	ratio("BPF mmio write / VMM mmio write", 10, 9, "target < 0.3");
	return true;
}

static void bench_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	bench__destroy(skel);
}

static void baseline_setup(struct scenario_ctx *ctx)
{
	baseline = true;
	vm_set_smccc_filter(&ctx->vm, BENCH_FID_DENY, 1, KVM_SMCCC_FILTER_DENY);
	vm_set_smccc_filter(&ctx->vm, BENCH_FID_FWD, 1, KVM_SMCCC_FILTER_FWD_TO_USER);
}

/* The same guest on the baseline kernel: the paths without a policy are comparable. */
const struct scenario scenario_bench_baseline = {
	.name = "bench-baseline",
	.description = "the benchmark's guest on a kernel without the series",
	.guest = &guest_bench,
	.setup = baseline_setup,
	.handle_exit = bench_exit,
	.check = print_results,
};

const struct scenario scenario_bench = {
	.name = "bench",
	.description = "guest-timed exit costs: KVM, filter, VMM, BPF, vGIC",
	.guest = &guest_bench,
	.setup = bench_setup,
	.handle_exit = bench_exit,
	.check = bench_check,
	.cleanup = bench_cleanup,
};
