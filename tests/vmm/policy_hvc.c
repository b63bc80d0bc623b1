// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls decided by a policy (tests/bpf/hvc_policy.bpf.c). Only the calls the policy
 * forwards (one in the filter's range, PSCI_VERSION outside it) and the one it leaves to the
 * filter reach the VMM; the policy never sees the Arm Architecture Call.
 */
#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "hvc_policy.skel.h"

DECLARE_GUEST(hvc_policy);

static struct hvc_policy *skel;
static struct bpf_link *link;

static void attach_hvc_policy(struct scenario_ctx *ctx, int vm_fd)
{
	forward_test_range(ctx);
	/* A policy may forward only what the VMM handles: PSCI_VERSION too, here. */
	vm_set_smccc_filter(&ctx->vm, PSCI_0_2_VERSION, 1, KVM_SMCCC_FILTER_FWD_TO_USER);
	skel = policy_load(hvc_policy, vm_fd);
	link = policy_attach(skel->maps.hvc_policy);
}

static void policy_hvc_setup(struct scenario_ctx *ctx)
{
	attach_hvc_policy(ctx, ctx->vm.fd);
}

static const struct expected_call forwarded[] = {
	{ HVC_TO_USER, false, { 1, 2, 3 } },
	{ HVC_DEFAULT, false, { 4, 5, 6 } },
	{ PSCI_0_2_VERSION, false, { 7, 8, 9 } },
};
#define NR_FORWARDED	(sizeof(forwarded) / sizeof(forwarded[0]))

static bool policy_hvc_exit(struct scenario_ctx *ctx)
{
	return check_and_answer_hypercall(ctx, forwarded, NR_FORWARDED);
}

/* In the guest's order; SMCCC_ARCH_VERSION must not be among them. */
static const uint32_t seen_expected[] = {
	HVC_EMULATED, HVC_EMULATED, HVC_DENIED, HVC_TO_USER, HVC_DEFAULT, PSCI_0_2_VERSION,
};
#define NR_SEEN		(sizeof(seen_expected) / sizeof(seen_expected[0]))

static bool policy_hvc_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "hvc", "handled");
	uint64_t to_user = policy_stat(ctx, "hvc", "to_user");
	uint64_t defaulted = policy_stat(ctx, "hvc", "defaulted");
	uint64_t errors = policy_stat(ctx, "hvc", "errors");
	unsigned int i;

	if (ctx->step != NR_FORWARDED)
		return scenario_fail(ctx, "%u forwarded calls answered, expected %zu", ctx->step,
				     NR_FORWARDED);
	if (skel->bss->nr_seen != NR_SEEN)
		return scenario_fail(ctx, "the policy saw %u calls, expected %zu",
				     skel->bss->nr_seen, NR_SEEN);
	for (i = 0; i < NR_SEEN; i++) {
		if (skel->bss->seen[i] != seen_expected[i])
			return scenario_fail(ctx, "policy call %u: %#x, expected %#x", i,
					     skel->bss->seen[i], seen_expected[i]);
	}
	if (skel->data->bad_reg_ret != -EINVAL || skel->data->bad_spi_ret != -EINVAL ||
	    skel->data->bad_iss_ret != -EINVAL || skel->data->wrong_exit_ret != -EINVAL ||
	    skel->data->bad_set_reg_ret != -EINVAL || skel->data->huge_reg_ret != -EINVAL ||
	    skel->data->bad_kind_ret != -EINVAL || skel->data->serror_hvc_ret != -EINVAL)
		return scenario_fail(ctx, "kfuncs given bad arguments returned %d (get x31), %d "
				     "(SPI), %d (ISS), %d (MMIO data for an HVC), %d (set x31), "
				     "%d (get x4294967295), %d (injection kind 99), %d (SError "
				     "for an HVC); expected -EINVAL", skel->data->bad_reg_ret,
				     skel->data->bad_spi_ret, skel->data->bad_iss_ret,
				     skel->data->wrong_exit_ret, skel->data->bad_set_reg_ret,
				     skel->data->huge_reg_ret, skel->data->bad_kind_ret,
				     skel->data->serror_hvc_ret);
	if (handled != 3 || to_user != 2 || defaulted != 1 || errors)
		return scenario_fail(ctx, "statistics handled %llu to_user %llu defaulted %llu "
				     "errors %llu; expected 3 2 1 0",
				     (unsigned long long)handled, (unsigned long long)to_user,
				     (unsigned long long)defaulted, (unsigned long long)errors);
	return true;
}

static void policy_hvc_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	hvc_policy__destroy(skel);
}

const struct scenario scenario_policy_hvc = {
	.name = "policy-hvc",
	.description = "hypercalls emulated, denied and forwarded by a policy",
	.guest = &guest_hvc_policy,
	.setup = policy_hvc_setup,
	.handle_exit = policy_hvc_exit,
	.check = policy_hvc_check,
	.cleanup = policy_hvc_cleanup,
};

/*
 * The same policy installed host-wide (KVM_ARM_EXIT_OPS_HOST_WIDE, vm_fd -1): it decides
 * for this VM, which has none of its own. A second host-wide one joins it on every VM's
 * chain (and leaves when detached, before the guest runs).
 */
static void policy_hostwide_setup(struct scenario_ctx *ctx)
{
	struct hvc_policy *second;
	struct bpf_link *second_link;

	/* -1 without the flag is a VMM that forgot its fd: refused at attach. */
	second = hvc_policy__open();
	if (!second)
		die("hvc_policy: open: %s", strerror(errno));
	second->struct_ops.hvc_policy->vm_fd = -1;
	if (hvc_policy__load(second))
		die("hvc_policy: load: %s", strerror(errno));
	if (bpf_map__attach_struct_ops(second->maps.hvc_policy) || errno != EBADF)
		die("vm_fd -1 without KVM_ARM_EXIT_OPS_HOST_WIDE: %s, expected EBADF",
		    strerror(errno));
	hvc_policy__destroy(second);
	printf("testvmm: %s: vm_fd -1 without the host-wide flag: refused with %s\n",
	       ctx->scenario->name, strerror(EBADF));

	attach_hvc_policy(ctx, -1);
	second = policy_load(hvc_policy, -1);
	second_link = policy_attach(second->maps.hvc_policy);
	bpf_link__destroy(second_link);
	hvc_policy__destroy(second);
	printf("testvmm: %s: a second host-wide policy: attached beside the first, detached\n",
	       ctx->scenario->name);
}

const struct scenario scenario_policy_hostwide = {
	.name = "policy-hostwide",
	.description = "the hypercall policy installed host-wide",
	.guest = &guest_hvc_policy,
	.setup = policy_hostwide_setup,
	.handle_exit = policy_hvc_exit,
	.check = policy_hvc_check,
	.cleanup = policy_hvc_cleanup,
};
