// SPDX-License-Identifier: GPL-2.0
/*
 * policies/hypercall_filter.bpf.c attached host-wide decides for the VMs of several VMMs:
 * a guest's information call must tell it about its own VMM's calls only. This VMM attaches
 * the filter (libkvmexit), runs another VMM (filter-isolation-other: this program again,
 * another process) to completion, whose guest makes ISOLATION_CALLS_FIRST denied calls,
 * then its own guest makes ISOLATION_CALLS: each guest checks the counts it is told
 * (tests/guest/filter_isolation.c). Counts kept for the filter as a whole would tell the
 * second guest about the first one's calls too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "guests.h"
#include "libkvmexit.h"
#include "policy_tests.h"
#include "scenario.h"
#include "testdev.h"

DECLARE_GUEST(filter_isolation);

#define FILTER_POLICY	"/usr/lib/kvmexit/policies/hypercall_filter.bpf.o"

static struct kvmexit_policy *filter;

/* The guest asks how many calls to make: a read of the data window. */
static bool answer_calls(struct scenario_ctx *ctx, uint64_t calls)
{
	struct kvm_run *run = ctx->vcpu.run;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	if (run->mmio.phys_addr != TESTDEV_BASE + TESTDEV_DATA || run->mmio.is_write ||
	    run->mmio.len != sizeof(calls) || ctx->step++)
		return scenario_fail(ctx, "unexpected access to %#llx",
				     (unsigned long long)run->mmio.phys_addr);
	memcpy(run->mmio.data, &calls, sizeof(calls));
	return true;
}

static bool isolation_exit(struct scenario_ctx *ctx)
{
	return answer_calls(ctx, ISOLATION_CALLS);
}

static bool other_exit(struct scenario_ctx *ctx)
{
	return answer_calls(ctx, ISOLATION_CALLS_FIRST);
}

static void isolation_setup(struct scenario_ctx *ctx)
{
	char info_fid[16], denied[16];
	int err, status;

	snprintf(info_fid, sizeof(info_fid), "%#x", ISOLATION_INFO_FID);
	snprintf(denied, sizeof(denied), "%#x", ISOLATION_DENIED);
	err = kvmexit_policy_open(FILTER_POLICY, &filter);
	if (!err)
		err = kvmexit_policy_set(filter, "info_fid", info_fid);
	if (!err)
		err = kvmexit_policy_set(filter, "deny_ids", denied);
	if (!err)
		err = kvmexit_policy_attach_host_wide(filter);
	if (err)
		die("hypercall_filter host-wide: %s", strerror(-err));
	/* Another VMM, to its end: its guest's calls come first. */
	status = system("kvmexit-testvmm filter-isolation-other");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		die("the other VMM (filter-isolation-other) failed: status %#x", status);
	printf("testvmm: %s: the other VMM's guest made %d denied calls and was told of them "
	       "alone\n", ctx->scenario->name, ISOLATION_CALLS_FIRST);
}

static void isolation_cleanup(struct scenario_ctx *ctx)
{
	kvmexit_policy_close(filter);	/* detaches it: its link is this process's alone */
}

const struct scenario scenario_filter_isolation = {
	.name = "filter-isolation",
	.description = "hypercall_filter host-wide: the info call counts its own VMM's calls",
	.guest = &guest_filter_isolation,
	.setup = isolation_setup,
	.handle_exit = isolation_exit,
	.cleanup = isolation_cleanup,
};

const struct scenario scenario_filter_isolation_other = {
	.name = "filter-isolation-other",
	.description = "the other VMM of filter-isolation (run by it, with its filter attached)",
	.guest = &guest_filter_isolation,
	.handle_exit = other_exit,
};
