// SPDX-License-Identifier: GPL-2.0
/*
 * policies/canonical.bpf.c on the aborts of tests/guest/canonical.c: NISV, SYNTHETIC
 * LD64B and ST64BV, and SYNTHETIC SEAs (the syndrome rewritten through debugfs: QEMU cannot
 * make a guest take them) in two windows of the policy's rate limit. The VMM sees none of
 * them; the guest checks each abort and the ISS set here; the policy's ring buffer must
 * hold exactly the SEAs the limit let through, with their addresses and syndromes.
 */
#include <unistd.h>
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

static void canonical_setup(struct scenario_ctx *ctx)
{
	skel = canonical__open();
	if (!skel)
		die("canonical: open: %s", strerror(errno));
	skel->rodata->sea_iss = CANON_SEA_ISS;
	skel->rodata->sea_burst = CANON_SEA_BURST;
	skel->rodata->sea_period_ms = CANON_SEA_PERIOD_MS;
	skel->struct_ops.canonical->vm_fd = ctx->vm.fd;
	if (canonical__load(skel))
		die("canonical: load: %s", strerror(errno));
	canonical_link = policy_attach(skel->maps.canonical);
}

/* Only the guest's request to wait for the next rate-limit window reaches the VMM. */
static bool canonical_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	if (!run->mmio.is_write ||
	    run->mmio.phys_addr != TESTDEV_BASE + TESTDEV_DATA + CANON_OFF_NEXT_WINDOW)
		return scenario_fail(ctx, "MMIO %#llx reached the VMM",
				     (unsigned long long)run->mmio.phys_addr);
	usleep((CANON_SEA_PERIOD_MS + 100) * 1000);
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
	if (policy_stat(ctx, "nisv", "injected") != 1 ||
	    policy_stat(ctx, "ldst64b", "injected") != 2 ||
	    policy_stat(ctx, "sea", "injected") != seas ||
	    policy_stat(ctx, "nisv", "errors") + policy_stat(ctx, "ldst64b", "errors") +
	    policy_stat(ctx, "sea", "errors"))
		return scenario_fail(ctx, "KVM's statistics: expected injected 1 NISV, 2 "
				     "LD64B/ST64B, %u SEA, no errors", seas);
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
	.setup = canonical_setup,
	.handle_exit = canonical_exit,
	.check = canonical_check,
	.cleanup = canonical_cleanup,
};
