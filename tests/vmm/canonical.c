// SPDX-License-Identifier: GPL-2.0
/*
 * policies/canonical.bpf.c on the aborts of tests/guest/canonical.c: NISV, SYNTHETIC
 * LD64B and ST64BV, and SYNTHETIC SEAs (the syndrome rewritten through debugfs: QEMU cannot
 * make a guest take them) in two windows of the policy's rate limit. The guest checks each
 * abort and the ISS set here as the policy's parameter; the VMM sees none of them, or, with
 * sea_verdict SEA_FORWARD, only the SEAs (KVM_EXIT_ARM_SEA), which it answers with an
 * abort of its own, or, with SEA_SERROR, the SEAs' loads retried after the SError was
 * pended (KVM_EXIT_MMIO). Either way the policy's ring buffer must hold exactly the SEAs
 * the limit let through, with their addresses and syndromes.
 */
#include <bpf/libbpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "canonical.h"
#include "canonical.skel.h"

DECLARE_GUEST(canonical);

#define ESR_ISV		(1ULL << 24)
#define EC_DABT_LOW	0x24
#define FSC_EXTABT	0x10

static struct canonical *skel;
static struct bpf_link *canonical_link;
static uint32_t sea_verdict;

static void attach_canonical(struct scenario_ctx *ctx, uint32_t verdict)
{
	sea_verdict = verdict;
	skel = policy_open(canonical, ctx->vm.fd);
	skel->rodata->sea_verdict = verdict;
	skel->rodata->sea_iss = CANON_SEA_ISS;
	skel->rodata->sea_burst = CANON_SEA_BURST;
	skel->rodata->sea_period_ms = CANON_SEA_PERIOD_MS;
	policy_load_opened(canonical, skel);
	canonical_link = policy_attach(skel->maps.canonical);
}

static void inject_setup(struct scenario_ctx *ctx)
{
	attach_canonical(ctx, SEA_INJECT);
}

static void forward_setup(struct scenario_ctx *ctx)
{
	vm_enable_cap(&ctx->vm, KVM_CAP_ARM_SEA_TO_USER, 0);
	attach_canonical(ctx, SEA_FORWARD);
}

static void serror_setup(struct scenario_ctx *ctx)
{
	attach_canonical(ctx, SEA_SERROR);
}

/* With SEA_SERROR: the i-th SEA's load, retried; the guest checks the value. */
static bool retried_load(struct scenario_ctx *ctx, uint64_t off)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t value = CANON_SERROR_READ;

	if (sea_verdict != SEA_SERROR || off != CANON_OFF_SEA + 8 * ctx->step ||
	    run->mmio.len != 8)
		return scenario_fail(ctx, "a load at data offset %#llx, expected the retried load "
				     "of SEA %u", (unsigned long long)off, ctx->step);
	memcpy(run->mmio.data, &value, sizeof(value));
	ctx->step++;
	return true;
}

/* A forwarded SEA: the i-th of the guest's, answered with an external abort. */
static bool forwarded_sea(struct scenario_ctx *ctx)
{
	if (sea_verdict != SEA_FORWARD)
		return scenario_fail(ctx, "an SEA forwarded under sea_verdict %u", sea_verdict);
	/* KVM reports the page (HPFAR). */
	return answer_forwarded_sea(ctx, (TESTDEV_BASE + TESTDEV_DATA + CANON_OFF_SEA +
					  8 * ctx->step) & ~0xfffULL);
}

/*
 * The guest asks which ISS its SEAs get and to wait for the next rate-limit window;
 * forwarded SEAs arrive too.
 */
static bool canonical_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t off, verdict = sea_verdict;

	if (run->exit_reason == KVM_EXIT_ARM_SEA)
		return forwarded_sea(ctx);
	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	off = run->mmio.phys_addr - (TESTDEV_BASE + TESTDEV_DATA);
	if (!run->mmio.is_write && off == CANON_OFF_SEA_VERDICT) {
		memcpy(run->mmio.data, &verdict, run->mmio.len);
		return true;
	}
	if (!run->mmio.is_write)
		return retried_load(ctx, off);
	if (off != CANON_OFF_NEXT_WINDOW)
		return scenario_fail(ctx, "MMIO %#llx reached the VMM",
				     (unsigned long long)run->mmio.phys_addr);
	/*
	 * End the window by moving its start one period back, rather than sleeping through
	 * it: a loaded machine could then also end the first window early. (The subtraction
	 * wraps below a window that started less than a period after boot, and the policy's
	 * own "now - start" wraps back.)
	 */
	skel->bss->window_start_ns -= CANON_SEA_PERIOD_MS * 1000000ULL;
	return true;
}

/* The SEAs recorded: the guest's i-th at CANON_OFF_SEA + 8 * i, each window's first ones. */
static const unsigned int recorded_seas[] = { 0, 1, 2, 3, 6, 7 };
#define NR_RECORDED	(sizeof(recorded_seas) / sizeof(recorded_seas[0]))

struct records {
	struct scenario_ctx *ctx;
	unsigned int n;
	bool ok;
};

static int check_record(void *arg, void *data, size_t size)
{
	const struct sea_record *r = data;
	struct records *records = arg;
	uint64_t addr;

	if (records->n >= NR_RECORDED || size != sizeof(*r)) {
		records->ok = scenario_fail(records->ctx, "record %u of %zu bytes: more than %zu",
					    records->n, size, NR_RECORDED);
		return -1;
	}
	addr = TESTDEV_BASE + TESTDEV_DATA + CANON_OFF_SEA + 8 * recorded_seas[records->n];
	printf("testvmm: %s: SYNTHETIC SEA record %u: ipa %#llx far %#llx esr %#llx vcpu %u\n",
	       records->ctx->scenario->name, records->n, (unsigned long long)r->ipa,
	       (unsigned long long)r->far, (unsigned long long)r->esr, r->vcpu_id);
	if (r->ipa != addr || r->far != addr || ((r->esr >> 26) & 0x3f) != EC_DABT_LOW ||
	    (r->esr & 0x3f) != FSC_EXTABT || (r->esr & ESR_ISV) || r->vcpu_id || r->is_iabt) {
		records->ok = scenario_fail(records->ctx, "record %u: expected a data abort at "
					    "%#llx, FSC %#x, no ISV, vCPU 0", records->n,
					    (unsigned long long)addr, FSC_EXTABT);
		return -1;
	}
	records->n++;
	return 0;
}

static bool canonical_check(struct scenario_ctx *ctx)
{
	struct records records = { .ctx = ctx, .ok = true };
	struct ring_buffer *rb;
	unsigned int seas = CANON_SEAS_FIRST + CANON_SEAS_SECOND;
	unsigned int dropped = CANON_SEAS_FIRST - CANON_SEA_BURST;
	struct canonical__bss *bss = skel->bss;

	rb = ring_buffer__new(bpf_map__fd(skel->maps.sea_events), check_record, &records, NULL);
	if (!rb)
		die("canonical: ring_buffer__new: %s", strerror(errno));
	ring_buffer__consume(rb);
	ring_buffer__free(rb);
	if (!records.ok)
		return false;
	printf("testvmm: %s: the policy saw %llu NISV, %llu LD64B/ST64B, %llu SEAs: recorded "
	       "%llu, dropped %llu, lost %llu, refused ISS %llu\n", ctx->scenario->name,
	       bss->nisv, bss->ldst64b, bss->sea, bss->sea_recorded, bss->sea_dropped,
	       bss->sea_lost, bss->sea_bad_iss);
	if (records.n != NR_RECORDED)
		return scenario_fail(ctx, "%u records, expected %zu", records.n, NR_RECORDED);
	if (bss->nisv != 1 || bss->ldst64b != 2 || bss->sea != seas ||
	    bss->sea_recorded != NR_RECORDED || bss->sea_dropped != dropped || bss->sea_lost ||
	    bss->sea_bad_iss)
		return scenario_fail(ctx, "policy counters: expected 1 NISV, 2 LD64B/ST64B, %u "
				     "SEAs: %zu recorded, %u dropped", seas, NR_RECORDED, dropped);
	if (ctx->step != (sea_verdict == SEA_INJECT ? 0 : seas))
		return scenario_fail(ctx, "%u SEAs or their loads reached the VMM", ctx->step);
	if (policy_stat(ctx, "nisv", "injected") != 1 ||
	    policy_stat(ctx, "ldst64b", "injected") != 2 ||
	    policy_stat(ctx, "sea", sea_verdict == SEA_FORWARD ? "to_user" : "injected") != seas ||
	    policy_stat(ctx, "nisv", "errors") + policy_stat(ctx, "ldst64b", "errors") +
	    policy_stat(ctx, "sea", "errors"))
		return scenario_fail(ctx, "KVM's statistics: expected injected 1 NISV, 2 "
				     "LD64B/ST64B, %s %u SEA, no errors",
				     sea_verdict == SEA_FORWARD ? "forwarded" : "injected", seas);
	return true;
}

static void canonical_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(canonical_link);
	canonical__destroy(skel);
}

const struct scenario scenario_canonical = {
	.name = "canonical",
	.description = "NISV, SYNTHETIC LD64B/ST64B and SEA answered by the canonical policy",
	.guest = &guest_canonical,
	.setup = inject_setup,
	.handle_exit = canonical_exit,
	.check = canonical_check,
	.cleanup = canonical_cleanup,
};

const struct scenario scenario_canonical_sea_forward = {
	.name = "canonical-sea-forward",
	.description = "the same, the SYNTHETIC SEAs recorded and forwarded (sea_verdict=1)",
	.guest = &guest_canonical,
	.setup = forward_setup,
	.handle_exit = canonical_exit,
	.check = canonical_check,
	.cleanup = canonical_cleanup,
};

const struct scenario scenario_canonical_sea_serror = {
	.name = "canonical-sea-serror",
	.description = "the same, the SYNTHETIC SEAs recorded and made SErrors (sea_verdict=2)",
	.guest = &guest_canonical,
	.setup = serror_setup,
	.handle_exit = canonical_exit,
	.check = canonical_check,
	.cleanup = canonical_cleanup,
};
