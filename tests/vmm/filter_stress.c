// SPDX-License-Identifier: GPL-2.0
/*
 * Rule edits are atomic as policies/hypercall_filter.bpf.c sees them. This VMM attaches the
 * filter to its VM (libkvmexit) and, from a second thread, moves its run-time deny range
 * (filter_ranges slot 0, written with BPF_F_LOCK as kvmexit rule does) between [FIRST,
 * FIRST + 1] and [LAST - 1, LAST] for as long as the guest calls (tests/guest/
 * filter_stress.c). The forwarded test range reaches the VMM, which answers and counts each
 * call by id. At the end, on both sides: STRESS_MIDDLE was never denied; every call to an end
 * was either denied by the filter or answered here, and the filter's own counts say which.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>

#include "guests.h"
#include "hypercall_filter.h"
#include "libkvmexit.h"
#include "policy_tests.h"
#include "scenario.h"
#include "testdev.h"

DECLARE_GUEST(filter_stress);

#define FILTER_POLICY	"/usr/lib/kvmexit/policies/hypercall_filter.bpf.o"

static struct kvmexit_policy *filter;
static unsigned long answered[16];	/* per id of the forwarded test range */
static unsigned long edits;

static void stress_setup(struct scenario_ctx *ctx)
{
	int err;

	forward_test_range(ctx);
	err = kvmexit_policy_open(FILTER_POLICY, &filter);
	if (!err)
		err = kvmexit_policy_attach(filter, ctx->vm.fd);
	if (err)
		die("hypercall_filter on VM fd %d: %s", ctx->vm.fd, strerror(-err));
}

static bool stress_exit(struct scenario_ctx *ctx)
{
	uint32_t fid = ctx->vcpu.run->hypercall.nr;

	if (!expect_exit_reason(ctx, KVM_EXIT_HYPERCALL))
		return false;
	if (fid < TEST_SMCCC_FWD_BASE || fid > STRESS_LAST)
		return scenario_fail(ctx, "hypercall %#x forwarded", fid);
	answered[fid - TEST_SMCCC_FWD_BASE]++;
	answer_hypercall(ctx);
	return true;
}

/*
 * Move the range until the guest is done (or 60 s, against a VMM that failed): each write
 * whole, under the entry's lock.
 */
static bool stress_background(struct scenario_ctx *ctx)
{
	const struct filter_range places[2] = {
		{ .first = STRESS_FIRST, .last = STRESS_FIRST + 1, .action = FILTER_DENY },
		{ .first = STRESS_LAST - 1, .last = STRESS_LAST, .action = FILTER_DENY },
	};
	int fd = kvmexit_policy_map_fd(filter, "filter_ranges");
	time_t end = time(NULL) + 60;
	uint32_t slot = 0;

	while (__atomic_load_n(&ctx->guest_status, __ATOMIC_ACQUIRE) < 0 && time(NULL) < end) {
		if (bpf_map_update_elem(fd, &slot, &places[edits & 1], BPF_F_LOCK))
			return scenario_fail(ctx, "filter_ranges update: %s", strerror(errno));
		edits++;
	}
	return true;
}

/* The filter's count of @fid's calls with @outcome. */
static unsigned long long counted(uint32_t fid, enum filter_outcome outcome)
{
	struct filter_count count = {};

	bpf_map_lookup_elem(kvmexit_policy_map_fd(filter, "filter_counts"), &fid, &count);
	return count.calls[outcome];
}

static bool stress_check(struct scenario_ctx *ctx)
{
	static const uint32_t ends[] = {
		STRESS_FIRST, STRESS_FIRST + 1, STRESS_LAST - 1, STRESS_LAST,
	};
	unsigned long long allowed, denied;
	unsigned int i;
	bool ok = true;

	allowed = counted(STRESS_MIDDLE, FILTER_ALLOWED);
	denied = counted(STRESS_MIDDLE, FILTER_DENIED);
	printf("testvmm: %s: %lu edits of the range during %d rounds; %#x: allowed %llu, denied "
	       "%llu, answered here %lu\n", ctx->scenario->name, edits, STRESS_ROUNDS,
	       STRESS_MIDDLE, allowed, denied, answered[STRESS_MIDDLE - TEST_SMCCC_FWD_BASE]);
	if (denied || allowed != STRESS_ROUNDS ||
	    answered[STRESS_MIDDLE - TEST_SMCCC_FWD_BASE] != STRESS_ROUNDS)
		ok = scenario_fail(ctx, "%#x, never in the range, was denied %llu times (a range "
				   "read half-written)", STRESS_MIDDLE, denied);
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		allowed = counted(ends[i], FILTER_ALLOWED);
		denied = counted(ends[i], FILTER_DENIED);
		printf("testvmm: %s: %#x: denied %llu, allowed %llu, answered here %lu\n",
		       ctx->scenario->name, ends[i], denied, allowed,
		       answered[ends[i] - TEST_SMCCC_FWD_BASE]);
		if (allowed + denied != STRESS_ROUNDS ||
		    allowed != answered[ends[i] - TEST_SMCCC_FWD_BASE])
			ok = scenario_fail(ctx, "%#x: the filter's counts and the VMM's disagree",
					   ends[i]);
	}
	if (edits < 2)
		ok = scenario_fail(ctx, "the range was never moved while the guest called");
	return ok;
}

static void stress_cleanup(struct scenario_ctx *ctx)
{
	kvmexit_policy_close(filter);
}

const struct scenario scenario_filter_edit_stress = {
	.name = "filter-edit-stress",
	.description = "hypercall_filter's range moved while the guest calls both its ends",
	.guest = &guest_filter_stress,
	.setup = stress_setup,
	.handle_exit = stress_exit,
	.background = stress_background,
	.check = stress_check,
	.cleanup = stress_cleanup,
	.max_exits = 5 * STRESS_ROUNDS + 16,
};
