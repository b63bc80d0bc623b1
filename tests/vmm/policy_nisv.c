// SPDX-License-Identifier: GPL-2.0
/*
 * A data abort without a valid syndrome in a VM that did not ask for KVM_EXIT_ARM_NISV:
 * without a policy KVM_RUN fails (-ENOSYS) and the VM is dead; with the canonical policy
 * (tests/bpf/nisv_inject.bpf.c) the guest gets an external abort and runs on.
 */
#include "guests.h"
#include "policy.h"
#include "nisv_inject.skel.h"

DECLARE_GUEST(nisv);

static struct nisv_inject *skel;
static struct bpf_link *link;

static void policy_nisv_setup(struct scenario_ctx *ctx)
{
	skel = policy_load(nisv_inject, ctx->vm.fd);
	link = bpf_map__attach_struct_ops(skel->maps.nisv_inject);
	if (!link)
		die("nisv_inject: attach to VM fd %d: %s", ctx->vm.fd, strerror(errno));
}

static bool policy_nisv_exit(struct scenario_ctx *ctx)
{
	char what[256];

	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy should have injected", what);
}

static bool policy_nisv_check(struct scenario_ctx *ctx)
{
	uint64_t injected = policy_stat(ctx, "nisv", "injected");

	if (injected != 1)
		return scenario_fail(ctx, "exit_bpf_nisv_injected %llu, expected 1",
				     (unsigned long long)injected);
	return true;
}

static void policy_nisv_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	nisv_inject__destroy(skel);
}

const struct scenario scenario_policy_nisv = {
	.name = "policy-nisv",
	.description = "a data abort without syndrome answered with an abort by a policy",
	.guest = &guest_nisv,
	.setup = policy_nisv_setup,
	.handle_exit = policy_nisv_exit,
	.check = policy_nisv_check,
	.cleanup = policy_nisv_cleanup,
};
