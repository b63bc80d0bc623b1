// SPDX-License-Identifier: GPL-2.0
/*
 * policies/passthrough.bpf.o attached to the VM of a scenario whose exits are known. The
 * guest and the VMM must see exactly what they see without it: the base scenario's own exit
 * handler and check run unchanged. Each hook must have run once per such exit of the guest,
 * and KVM must have counted every one as defaulted and nothing else.
 */
#include <stdio.h>

#include "guests.h"
#include "policy.h"
#include "passthrough.skel.h"

DECLARE_GUEST(mmio);
DECLARE_GUEST(hvc_forward);
DECLARE_GUEST(nisv);

/* tests/guest/hvc_forward.c: an HVC and an SMC in the filtered range, an HVC outside it. */
#define HVC_FORWARD_GUEST_CALLS	3

static struct passthrough *skel;
static struct bpf_link *link;

static void attach_passthrough(struct scenario_ctx *ctx)
{
	skel = policy_load(passthrough, ctx->vm.fd);
	link = policy_attach(skel->maps.passthrough);
}

static void passthrough_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	passthrough__destroy(skel);
}

/* Every hook ran as often as expected, and KVM applied DEFAULT to each call. */
static bool check_calls(struct scenario_ctx *ctx, uint64_t mmio, uint64_t nisv, uint64_t hvc)
{
	static const char *const not_default[] = { "handled", "to_user", "injected", "errors",
						    "refused" };
	const struct {
		const char *name;
		uint64_t calls, want;
	} hooks[] = {
		{ "mmio", skel->bss->mmio_calls, mmio },
		{ "nisv", skel->bss->nisv_calls, nisv },
		{ "ldst64b", skel->bss->ldst64b_calls, 0 },
		{ "sea", skel->bss->sea_calls, 0 },
		{ "hvc", skel->bss->hvc_calls, hvc },
		{ "vncr", skel->bss->vncr_calls, 0 },
	};
	uint64_t stat;
	unsigned int i, j;

	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (hooks[i].calls != hooks[i].want)
			return scenario_fail(ctx, "the %s hook ran %llu times, expected %llu",
					     hooks[i].name, (unsigned long long)hooks[i].calls,
					     (unsigned long long)hooks[i].want);
		stat = policy_stat(ctx, hooks[i].name, "defaulted");
		if (stat != hooks[i].want)
			return scenario_fail(ctx, "exit_bpf_%s_defaulted %llu, expected %llu",
					     hooks[i].name, (unsigned long long)stat,
					     (unsigned long long)hooks[i].want);
		for (j = 0; j < sizeof(not_default) / sizeof(not_default[0]); j++) {
			if (!policy_has_stat(ctx, hooks[i].name, not_default[j]))
				continue;	/* an outcome this exit cannot have */
			stat = policy_stat(ctx, hooks[i].name, not_default[j]);
			if (stat)
				return scenario_fail(ctx, "exit_bpf_%s_%s %llu, expected 0",
						     hooks[i].name, not_default[j],
						     (unsigned long long)stat);
		}
	}
	printf("testvmm: %s: pass-through hooks ran: mmio %llu, nisv %llu, hvc %llu, others 0;"
	       " KVM defaulted each\n", ctx->scenario->name, (unsigned long long)mmio,
	       (unsigned long long)nisv, (unsigned long long)hvc);
	return true;
}

/* Every MMIO exit the VMM saw (the guest's accesses and its testdev reports) went by it. */
static bool mmio_check(struct scenario_ctx *ctx)
{
	return scenario_mmio.check(ctx) && check_calls(ctx, ctx->exits[KVM_EXIT_MMIO], 0, 0);
}

const struct scenario scenario_passthrough_mmio = {
	.name = "passthrough-mmio",
	.description = "the mmio guest under the pass-through policy: nothing changes",
	.guest = &guest_mmio,
	.setup = attach_passthrough,
	.handle_exit = mmio_exit,
	.check = mmio_check,
	.cleanup = passthrough_cleanup,
};

static void hvc_setup(struct scenario_ctx *ctx)
{
	attach_passthrough(ctx);
	forward_test_range(ctx);
}

/* The hook sees the unfiltered call too, which the VMM never does. */
static bool hvc_check(struct scenario_ctx *ctx)
{
	return scenario_hvc_forward.check(ctx) &&
	       check_calls(ctx, ctx->exits[KVM_EXIT_MMIO], 0, HVC_FORWARD_GUEST_CALLS);
}

const struct scenario scenario_passthrough_hvc = {
	.name = "passthrough-hvc",
	.description = "the hvc-forward guest under the pass-through policy: nothing changes",
	.guest = &guest_hvc_forward,
	.setup = hvc_setup,
	.handle_exit = hvc_forward_exit,
	.check = hvc_check,
	.cleanup = passthrough_cleanup,
};

static void nisv_setup(struct scenario_ctx *ctx)
{
	attach_passthrough(ctx);
	scenario_nisv.setup(ctx);
}

static bool nisv_check(struct scenario_ctx *ctx)
{
	return scenario_nisv.check(ctx) &&
	       check_calls(ctx, ctx->exits[KVM_EXIT_MMIO], ctx->exits[KVM_EXIT_ARM_NISV], 0);
}

const struct scenario scenario_passthrough_nisv = {
	.name = "passthrough-nisv",
	.description = "the nisv guest under the pass-through policy: nothing changes",
	.guest = &guest_nisv,
	.setup = nisv_setup,
	.handle_exit = nisv_exit,
	.check = nisv_check,
	.cleanup = passthrough_cleanup,
};
