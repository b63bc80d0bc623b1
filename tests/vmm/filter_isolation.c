// SPDX-License-Identifier: GPL-2.0
/*
 * policies/hypercall_filter.bpf.c attached host-wide decides for every VM: a guest's
 * information call must tell it about its own VM's calls only, and its audit records must
 * not use up another VM's. This VMM attaches the filter (libkvmexit), runs another VM of its
 * own to completion first (filter-isolation-other, in this process: the same pid), whose
 * guest makes ISOLATION_CALLS_FIRST denied calls, then its own guest makes ISOLATION_CALLS:
 * each guest checks the counts it is told (tests/guest/filter_isolation.c), and this VMM
 * that the log holds ISOLATION_LOG_BURST records of each VM, under each VM's id. Counts or a
 * log budget kept per filter, or per VMM, would tell the second guest about the first one's
 * calls, or leave it no records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "hypercall_filter.h"
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
	char info_fid[16], denied[16], burst[16];
	int err;

	snprintf(info_fid, sizeof(info_fid), "%#x", ISOLATION_INFO_FID);
	snprintf(denied, sizeof(denied), "%#x", ISOLATION_DENIED);
	snprintf(burst, sizeof(burst), "%d", ISOLATION_LOG_BURST);
	err = kvmexit_policy_open(FILTER_POLICY, &filter);
	if (!err)
		err = kvmexit_policy_set(filter, "info_fid", info_fid);
	if (!err)
		err = kvmexit_policy_set(filter, "deny_ids", denied);
	if (!err)
		err = kvmexit_policy_set(filter, "log_rate", "1");
	if (!err)
		err = kvmexit_policy_set(filter, "log_burst", burst);
	if (!err)
		err = kvmexit_policy_attach_host_wide(filter);
	if (err)
		die("hypercall_filter host-wide: %s", strerror(-err));
	/* Another VM of this process, to its end: its guest's calls come first. */
	if (run_scenario(&scenario_filter_isolation_other, ctx->trace))
		die("the other VM (filter-isolation-other) failed");
	printf("testvmm: %s: the other VM's guest made %d denied calls and was told of them "
	       "alone\n", ctx->scenario->name, ISOLATION_CALLS_FIRST);
}

struct log_count {
	uint64_t vm_id[2];
	unsigned int records[2], others;
};

/* A record of the filter's log: counted by its VM, the first two VMs seen. */
static int count_record(void *arg, void *data, size_t size)
{
	const struct filter_record *r = data;
	struct log_count *c = arg;
	int i;

	for (i = 0; i < 2; i++) {
		if (!c->vm_id[i])
			c->vm_id[i] = r->vm_id;
		if (c->vm_id[i] == r->vm_id) {
			c->records[i]++;
			return 0;
		}
	}
	c->others++;
	return 0;
}

/* Each VM's guest had its own ISOLATION_LOG_BURST records, under its own VM's id. */
static bool isolation_check(struct scenario_ctx *ctx)
{
	struct log_count c = {};
	struct ring_buffer *rb;
	uint64_t own = 0;
	int err;

	rb = ring_buffer__new(kvmexit_policy_map_fd(filter, "filter_log"), count_record, &c,
			      NULL);
	if (!rb)
		return scenario_fail(ctx, "reading filter_log: %s", strerror(errno));
	err = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	if (err < 0)
		return scenario_fail(ctx, "reading filter_log: %s", strerror(-err));
	err = kvmexit_read_vm_id(ctx->vm.fd, &own);
	printf("testvmm: %s: the log holds %u records of VM %llu, %u of VM %llu (this one's), %u "
	       "of others\n", ctx->scenario->name, c.records[0], (unsigned long long)c.vm_id[0],
	       c.records[1], (unsigned long long)c.vm_id[1], c.others);
	if (err || !c.vm_id[0] || c.vm_id[0] == own || c.vm_id[1] != own ||
	    c.records[0] != ISOLATION_LOG_BURST || c.records[1] != ISOLATION_LOG_BURST ||
	    c.others)
		return scenario_fail(ctx, "expected %d records of each VM (this one's id %llu, "
				     "read: %d)", ISOLATION_LOG_BURST, (unsigned long long)own,
				     err);
	return true;
}

static void isolation_cleanup(struct scenario_ctx *ctx)
{
	kvmexit_policy_close(filter);	/* detaches it: its link is this process's alone */
}

const struct scenario scenario_filter_isolation = {
	.name = "filter-isolation",
	.description = "hypercall_filter host-wide: each VM's info call and log budget its own",
	.guest = &guest_filter_isolation,
	.setup = isolation_setup,
	.handle_exit = isolation_exit,
	.check = isolation_check,
	.cleanup = isolation_cleanup,
};

const struct scenario scenario_filter_isolation_other = {
	.name = "filter-isolation-other",
	.description = "the other VM of filter-isolation (run by it, with its filter attached)",
	.guest = &guest_filter_isolation,
	.handle_exit = other_exit,
};
