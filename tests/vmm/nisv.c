// SPDX-License-Identifier: GPL-2.0
/*
 * A data abort without a valid syndrome, reported with KVM_CAP_ARM_NISV_TO_USER as
 * KVM_EXIT_ARM_NISV, answered by injecting an external data abort (KVM_SET_VCPU_EVENTS).
 */
#include "guests.h"
#include "testdev.h"

DECLARE_GUEST(nisv);

#define ESR_ISV		(1ULL << 24)
#define ESR_WNR		(1ULL << 6)

static void nisv_setup(struct scenario_ctx *ctx)
{
	vm_enable_cap(&ctx->vm, KVM_CAP_ARM_NISV_TO_USER, 0);
}

bool nisv_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t addr = TESTDEV_BASE + TESTDEV_DATA;

	if (!expect_exit_reason(ctx, KVM_EXIT_ARM_NISV))
		return false;
	if (run->arm_nisv.fault_ipa != addr)
		return scenario_fail(ctx, "fault_ipa %#llx, expected %#llx",
				     (unsigned long long)run->arm_nisv.fault_ipa,
				     (unsigned long long)addr);
	if (run->arm_nisv.esr_iss & (ESR_ISV | ESR_WNR))
		return scenario_fail(ctx, "esr_iss %#llx: a load without ISV expected",
				     (unsigned long long)run->arm_nisv.esr_iss);
	vcpu_inject_ext_dabt(&ctx->vcpu);
	ctx->step++;
	return true;
}

static bool nisv_check(struct scenario_ctx *ctx)
{
	if (ctx->step != 1)
		return scenario_fail(ctx, "%u NISV exits, expected 1", ctx->step);
	return true;
}

const struct scenario scenario_nisv = {
	.name = "nisv",
	.description = "a post-indexed MMIO load as KVM_EXIT_ARM_NISV, answered with an abort",
	.guest = &guest_nisv,
	.setup = nisv_setup,
	.handle_exit = nisv_exit,
	.check = nisv_check,
};
