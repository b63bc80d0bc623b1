// SPDX-License-Identifier: GPL-2.0
/*
 * A data abort without a valid syndrome under tests/bpf/nisv_policy.bpf.c. In a VM that did
 * not ask for KVM_EXIT_ARM_NISV, KVM_RUN would fail (-ENOSYS) and the VM would be dead; the
 * canonical policy injects an external abort and the guest runs on. In a VM that asked, the
 * policy can forward it: the VMM gets KVM_EXIT_ARM_NISV and answers as in scenario nisv.
 */
#include "guests.h"
#include "policy.h"
#include "nisv_policy.skel.h"

DECLARE_GUEST(nisv);

static struct nisv_policy *skel;
static struct bpf_link *link;

/* The policy for @target_fd (-1: host-wide). */
static void attach_nisv_policy(int target_fd, bool forward)
{
	skel = policy_open(nisv_policy, target_fd);
	skel->rodata->forward = forward;
	policy_load_opened(nisv_policy, skel);
	link = policy_attach(skel->maps.nisv_policy);
}

static void policy_nisv_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	nisv_policy__destroy(skel);
}

static void inject_setup(struct scenario_ctx *ctx)
{
	attach_nisv_policy(ctx->vm.fd, false);
}

static bool inject_exit(struct scenario_ctx *ctx)
{
	char what[256];

	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy should have injected", what);
}

static bool inject_check(struct scenario_ctx *ctx)
{
	uint64_t injected = policy_stat(ctx, "nisv", "injected");

	if (injected != 1)
		return scenario_fail(ctx, "exit_bpf_nisv_injected %llu, expected 1",
				     (unsigned long long)injected);
	return true;
}

const struct scenario scenario_policy_nisv = {
	.name = "policy-nisv",
	.description = "a data abort without syndrome answered with an abort by a policy",
	.guest = &guest_nisv,
	.setup = inject_setup,
	.handle_exit = inject_exit,
	.check = inject_check,
	.cleanup = policy_nisv_cleanup,
};

static void forward_setup(struct scenario_ctx *ctx)
{
	vm_enable_cap(&ctx->vm, KVM_CAP_ARM_NISV_TO_USER, 0);
	attach_nisv_policy(ctx->vm.fd, true);
}

static bool forward_check(struct scenario_ctx *ctx)
{
	uint64_t to_user = policy_stat(ctx, "nisv", "to_user");

	if (!scenario_nisv.check(ctx))
		return false;
	if (to_user != 1)
		return scenario_fail(ctx, "exit_bpf_nisv_to_user %llu, expected 1",
				     (unsigned long long)to_user);
	return true;
}

const struct scenario scenario_policy_nisv_forward = {
	.name = "policy-nisv-forward",
	.description = "a data abort without syndrome forwarded by a policy",
	.guest = &guest_nisv,
	.setup = forward_setup,
	.handle_exit = nisv_exit,	/* answered as in scenario nisv */
	.check = forward_check,
	.cleanup = policy_nisv_cleanup,
};

/*
 * The VMM asked for NISV exits: that stands against the host-wide policy, which would
 * inject an abort. It is not called, and the VMM gets the exit as in scenario nisv.
 */
static void hostwide_setup(struct scenario_ctx *ctx)
{
	vm_enable_cap(&ctx->vm, KVM_CAP_ARM_NISV_TO_USER, 0);
	attach_nisv_policy(-1, false);
}

/* The VMM got the exit (scenario nisv's check) and the host-wide policy decided nothing. */
static bool hostwide_check(struct scenario_ctx *ctx)
{
	return scenario_nisv.check(ctx) && expect_no_policy_outcome(ctx, "nisv");
}

const struct scenario scenario_policy_nisv_hostwide = {
	.name = "policy-nisv-hostwide",
	.description = "NISV_TO_USER stands against a host-wide policy that would inject",
	.guest = &guest_nisv,
	.setup = hostwide_setup,
	.handle_exit = nisv_exit,	/* answered as in scenario nisv */
	.check = hostwide_check,
	.cleanup = policy_nisv_cleanup,
};
