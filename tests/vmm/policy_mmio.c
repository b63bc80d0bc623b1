// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO emulated by a policy (tests/bpf/mmio_device.bpf.c): the guest's accesses to the
 * data window never reach the VMM, except the one register the policy forwards; one read
 * is answered with an abort. The policy's log must match the guest's accesses exactly, and
 * the vCPU's statistics must account for every MMIO exit.
 */
#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "mmio_device.skel.h"

DECLARE_GUEST(mmio_policy);

static struct mmio_device *skel;
static struct bpf_link *link;

static void policy_mmio_setup(struct scenario_ctx *ctx)
{
	skel = policy_load(mmio_device, ctx->vm.fd);
	link = policy_attach(skel->maps.mmio_device);
}

static bool policy_mmio_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t answer = MMIO_TO_USER_ANSWER;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	if (run->mmio.phys_addr != TESTDEV_BASE + TESTDEV_DATA + MMIO_OFF_TO_USER ||
	    run->mmio.is_write || ctx->step)
		return scenario_fail(ctx, "MMIO %s %#llx reached the VMM; only one read of %#lx should",
				     run->mmio.is_write ? "write" : "read",
				     (unsigned long long)run->mmio.phys_addr,
				     TESTDEV_BASE + TESTDEV_DATA + MMIO_OFF_TO_USER);
	memcpy(run->mmio.data, &answer, run->mmio.len);
	ctx->step++;
	return true;
}

static bool check_log(struct scenario_ctx *ctx)
{
	const struct expected_access *want;
	struct mmio_access got;
	unsigned int i;

	if (skel->bss->nr_logged != mmio_nr_expected)
		return scenario_fail(ctx, "the policy emulated %u accesses, expected %u",
				     skel->bss->nr_logged, mmio_nr_expected);
	for (i = 0; i < mmio_nr_expected; i++) {
		want = &mmio_expected[i];
		if (bpf_map__lookup_elem(skel->maps.mmio_log, &i, sizeof(i), &got, sizeof(got), 0))
			return scenario_fail(ctx, "mmio_log[%u]: %s", i, strerror(errno));
		if (got.offset != want->offset || got.len != want->len ||
		    got.is_write != want->write || (want->write && got.data != want->data) ||
		    (want->rt >= 0 && got.rt != want->rt) || got.sign_extend != want->sse ||
		    (want->sf >= 0 && got.reg64 != want->sf))
			return scenario_fail(ctx, "access %u: policy saw %s +%#llx len %u x%u data %#llx "
					     "sign_extend %u reg64 %u", i,
					     got.is_write ? "write" : "read", got.offset, got.len,
					     got.rt, got.data, got.sign_extend, got.reg64);
	}
	return true;
}

static bool policy_mmio_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "mmio", "handled");
	uint64_t injected = policy_stat(ctx, "mmio", "injected");
	uint64_t to_user = policy_stat(ctx, "mmio", "to_user");
	uint64_t defaulted = policy_stat(ctx, "mmio", "defaulted");
	uint64_t errors = policy_stat(ctx, "mmio", "errors");
	/* The testdev's control page is left to the VMM: DEFAULT, every one of them. */
	uint64_t control = ctx->exits[KVM_EXIT_MMIO] - ctx->step;

	if (ctx->step != 1)
		return scenario_fail(ctx, "the forwarded read never reached the VMM");
	if (!check_log(ctx))
		return false;
	if (handled != mmio_nr_expected || injected != 1 || to_user != 1 ||
	    defaulted != control || errors)
		return scenario_fail(ctx, "statistics handled %llu injected %llu to_user %llu "
				     "defaulted %llu errors %llu; expected %u 1 1 %llu 0",
				     (unsigned long long)handled, (unsigned long long)injected,
				     (unsigned long long)to_user, (unsigned long long)defaulted,
				     (unsigned long long)errors, mmio_nr_expected,
				     (unsigned long long)control);
	return true;
}

static void policy_mmio_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	mmio_device__destroy(skel);
}

const struct scenario scenario_policy_mmio = {
	.name = "policy-mmio",
	.description = "MMIO emulated, injected and forwarded by a policy",
	.guest = &guest_mmio_policy,
	.setup = policy_mmio_setup,
	.handle_exit = policy_mmio_exit,
	.check = policy_mmio_check,
	.cleanup = policy_mmio_cleanup,
};
