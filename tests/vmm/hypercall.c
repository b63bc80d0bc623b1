// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls forwarded by KVM_ARM_VM_SMCCC_FILTER (FWD_TO_USER, installed before the first
 * run): each arrives as KVM_EXIT_HYPERCALL with its function id, the VMM reads the arguments
 * with KVM_GET_ONE_REG and answers in x0..x3 with KVM_SET_ONE_REG.
 */
#include "guests.h"
#include "testdev.h"

DECLARE_GUEST(hvc_forward);
DECLARE_GUEST(el2_hvc);

void forward_test_range(struct scenario_ctx *ctx)
{
	vm_set_smccc_filter(&ctx->vm, TEST_SMCCC_FWD_BASE, TEST_SMCCC_FWD_COUNT,
			    KVM_SMCCC_FILTER_FWD_TO_USER);
}

void answer_hypercall(struct scenario_ctx *ctx)
{
	int i;

	for (i = 1; i <= 3; i++)
		vcpu_set_reg(&ctx->vcpu, i, vcpu_get_reg(&ctx->vcpu, i) + 1);
	vcpu_set_reg(&ctx->vcpu, 0, TEST_SMCCC_ANSWER(ctx->vcpu.run->hypercall.nr));
}

bool check_and_answer_hypercall(struct scenario_ctx *ctx, const struct expected_call *calls,
				unsigned int nr_calls)
{
	struct kvm_run *run = ctx->vcpu.run;
	const struct expected_call *want;
	bool smc = run->hypercall.flags & KVM_HYPERCALL_EXIT_SMC;
	uint64_t arg;
	int i;

	if (!expect_exit_reason(ctx, KVM_EXIT_HYPERCALL))
		return false;
	if (ctx->step >= nr_calls)
		return scenario_fail(ctx, "hypercall %#llx after the %u expected ones",
				     (unsigned long long)run->hypercall.nr, nr_calls);
	want = &calls[ctx->step];
	if (run->hypercall.nr != want->function || smc != want->smc)
		return scenario_fail(ctx, "call %u: got %s %#llx, expected %s %#x", ctx->step,
				     smc ? "smc" : "hvc", (unsigned long long)run->hypercall.nr,
				     want->smc ? "smc" : "hvc", want->function);
	if (run->hypercall.flags & KVM_HYPERCALL_EXIT_16BIT)
		return scenario_fail(ctx, "call %u: a 16-bit instruction flagged for an A64 guest",
				     ctx->step);
	for (i = 0; i < 3; i++) {
		arg = vcpu_get_reg(&ctx->vcpu, i + 1);
		if (arg != want->args[i])
			return scenario_fail(ctx, "call %u: x%d = %#llx, expected %#llx", ctx->step,
					     i + 1, (unsigned long long)arg,
					     (unsigned long long)want->args[i]);
	}
	answer_hypercall(ctx);
	ctx->step++;
	return true;
}

static bool check_all_calls(struct scenario_ctx *ctx, unsigned int nr_calls)
{
	if (ctx->step != nr_calls || ctx->exits[KVM_EXIT_HYPERCALL] != nr_calls)
		return scenario_fail(ctx, "%u hypercall exits, %u answered; expected %u",
				     ctx->exits[KVM_EXIT_HYPERCALL], ctx->step, nr_calls);
	return true;
}

/* The unfiltered call in the guest is answered by KVM and must not appear here. */
static const struct expected_call forwarded_calls[] = {
	{ TEST_SMCCC_FWD_BASE + 1, false, { 0x11, 0x22, 0x33 } },
	{ TEST_SMCCC_FWD_BASE + 2, true, { 0x44, 0x55, 0x66 } },
};

bool hvc_forward_exit(struct scenario_ctx *ctx)
{
	return check_and_answer_hypercall(ctx, forwarded_calls, 2);
}

static bool hvc_forward_check(struct scenario_ctx *ctx)
{
	return check_all_calls(ctx, 2);
}

const struct scenario scenario_hvc_forward = {
	.name = "hvc-forward",
	.description = "HVC and SMC forwarded by the SMCCC filter, answered by the VMM",
	.guest = &guest_hvc_forward,
	.setup = forward_test_range,
	.handle_exit = hvc_forward_exit,
	.check = hvc_forward_check,
};

/* The guest hypervisor's HVC goes to its own vEL2; only its SMC reaches the VMM. */
static const struct expected_call el2_calls[] = {
	{ TEST_SMCCC_FWD_BASE + 3, true, { 1, 2, 3 } },
};

static bool el2_hvc_exit(struct scenario_ctx *ctx)
{
	return check_and_answer_hypercall(ctx, el2_calls, 1);
}

static bool el2_hvc_check(struct scenario_ctx *ctx)
{
	return check_all_calls(ctx, 1);
}

const struct scenario scenario_el2_hvc = {
	.name = "el2-hvc",
	.description = "a guest hypervisor at vEL2: its HVC stays in the guest, its SMC is forwarded",
	.guest = &guest_el2_hvc,
	.vcpu_features = 1U << KVM_ARM_VCPU_HAS_EL2,
	.setup = forward_test_range,
	.handle_exit = el2_hvc_exit,
	.check = el2_hvc_check,
};
