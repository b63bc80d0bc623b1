// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict contract (tests/guest/contract.c, tests/bpf/contract_policy.bpf.c), with the
 * policy as the VM's own and as the host-wide one:
 * - a register the policy wrote reaches the guest only under HANDLED: not under DEFAULT
 *   (KVM's PSCI must not read a rewritten x0 past the VMM's filter, which denies
 *   SYSTEM_OFF), not under TO_USER (the VMM reads the guest's registers), not when the
 *   verdict is refused;
 * - TO_USER for an id the VMM's filter does not forward is refused 10,000 times: counted
 *   as refused, never as an error, and the policy stays attached (no ejection, no
 *   EPOLLHUP on its link) and keeps answering;
 * - ctx->verdicts says which verdicts the VM takes for the call; the context holds no
 *   kernel address;
 * - a DENY the VMM configured stands against the host-wide policy, while the VM's own
 *   policy decides within it.
 */
#include <poll.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "contract_policy.skel.h"

DECLARE_GUEST(contract);

#define WITNESS	0x1234567890abcdefULL	/* the guest's x5, as tests/guest/contract.c sets it */

static struct contract_policy *skel;
static struct bpf_link *link;
static bool host_wide;

static void contract_setup(struct scenario_ctx *ctx, int target_fd)
{
	forward_test_range(ctx);
	vm_set_smccc_filter(&ctx->vm, PSCI_0_2_SYSTEM_OFF, 1, KVM_SMCCC_FILTER_DENY);
	vm_set_smccc_filter(&ctx->vm, CONTRACT_VMM_DENIED, 1, KVM_SMCCC_FILTER_DENY);
	host_wide = target_fd < 0;
	skel = policy_load(contract_policy, target_fd);
	link = policy_attach(skel->maps.contract_policy);
}

static void policy_contract_setup(struct scenario_ctx *ctx)
{
	contract_setup(ctx, ctx->vm.fd);
}

static void policy_contract_hostwide_setup(struct scenario_ctx *ctx)
{
	contract_setup(ctx, -1);
}

static bool contract_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t x1, x5, expected;

	if (!expect_exit_reason(ctx, KVM_EXIT_HYPERCALL))
		return false;
	x1 = vcpu_get_reg(&ctx->vcpu, 1);
	x5 = vcpu_get_reg(&ctx->vcpu, 5);
	switch (run->hypercall.nr) {
	case CONTRACT_TO_USER:
		/* The policy wrote x1 and x5 before forwarding: neither may show. */
		if (x1 != 0x71 || x5 != WITNESS)
			return scenario_fail(ctx, "forwarded call with x1 %#llx x5 %#llx, expected "
					     "the guest's 0x71 and %#llx", (unsigned long long)x1,
					     (unsigned long long)x5, WITNESS);
		break;
	case CONTRACT_REPORT:
		/* x1: what the guest got for CONTRACT_VMM_DENIED. */
		expected = host_wide ? (uint64_t)-1 : TEST_SMCCC_ANSWER(CONTRACT_VMM_DENIED);
		if (x1 != expected)
			return scenario_fail(ctx, "a call the VMM denies got %#llx, expected %#llx "
					     "(%s)", (unsigned long long)x1,
					     (unsigned long long)expected,
					     host_wide ? "the VMM's DENY stands against the host-wide "
					     "policy" : "the VM's own policy decides");
		break;
	default:
		return scenario_fail(ctx, "unexpected call %#llx",
				     (unsigned long long)run->hypercall.nr);
	}
	answer_hypercall(ctx);
	ctx->step++;
	return true;
}

static bool contract_check(struct scenario_ctx *ctx)
{
	uint64_t refused = policy_stat(ctx, "hvc", "refused");
	uint64_t errors = policy_stat(ctx, "hvc", "errors");
	uint64_t ejected = kvm_read_stat(ctx->vm.fd, "exit_bpf_ejected");
	struct pollfd hup = { .fd = bpf_link__fd(link), .events = POLLHUP };

	if (ctx->step != 2)
		return scenario_fail(ctx, "%u calls reached the VMM, expected 2", ctx->step);
	if (refused != CONTRACT_STORM_CALLS || skel->bss->refused_calls != CONTRACT_STORM_CALLS)
		return scenario_fail(ctx, "exit_bpf_hvc_refused %llu, policy saw %llu: expected "
				     "exactly %d", (unsigned long long)refused,
				     (unsigned long long)skel->bss->refused_calls,
				     CONTRACT_STORM_CALLS);
	if (errors || ejected)
		return scenario_fail(ctx, "exit_bpf_hvc_errors %llu, exit_bpf_ejected %llu: a "
				     "guest provoked errors against its policy",
				     (unsigned long long)errors, (unsigned long long)ejected);
	if (poll(&hup, 1, 0) != 0)
		return scenario_fail(ctx, "the policy's link reports %#x after the storm",
				     hup.revents);
	if (skel->bss->verdicts_refused != CONTRACT_VERDICTS_REFUSED ||
	    skel->bss->verdicts_to_user != CONTRACT_VERDICTS_TO_USER)
		return scenario_fail(ctx, "ctx->verdicts %#x and %#x, expected %#x (not "
				     "forwarded by the VMM) and %#x (forwarded)",
				     skel->bss->verdicts_refused, skel->bss->verdicts_to_user,
				     CONTRACT_VERDICTS_REFUSED, CONTRACT_VERDICTS_TO_USER);
	if (skel->data->tag_value)
		return scenario_fail(ctx, "ctx->verifier_tag reads %#llx: a kernel address",
				     (unsigned long long)skel->data->tag_value);
	if (!skel->bss->pc_hvc || !skel->bss->pc_smc)
		return scenario_fail(ctx, "ctx->pc of the HVC %#llx, of the SMC %#llx",
				     (unsigned long long)skel->bss->pc_hvc,
				     (unsigned long long)skel->bss->pc_smc);
	printf("testvmm: %s: %d refused forwards, 0 errors, policy attached; HVC at %#llx, "
	       "SMC at %#llx\n", ctx->scenario->name, CONTRACT_STORM_CALLS,
	       (unsigned long long)skel->bss->pc_hvc, (unsigned long long)skel->bss->pc_smc);
	return true;
}

static void contract_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	contract_policy__destroy(skel);
}

const struct scenario scenario_policy_contract = {
	.name = "policy-contract",
	.description = "the verdict contract under the VM's own policy",
	.guest = &guest_contract,
	.setup = policy_contract_setup,
	.handle_exit = contract_exit,
	.check = contract_check,
	.cleanup = contract_cleanup,
};

const struct scenario scenario_policy_contract_hostwide = {
	.name = "policy-contract-hostwide",
	.description = "the verdict contract under the host-wide policy",
	.guest = &guest_contract,
	.setup = policy_contract_hostwide_setup,
	.handle_exit = contract_exit,
	.check = contract_check,
	.cleanup = contract_cleanup,
};
