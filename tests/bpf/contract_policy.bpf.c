// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict contract, tried as a careless or hostile policy would (tests/vmm/
 * policy_contract.c): rewriting registers under verdicts that must not commit them,
 * forwarding what the VMM does not take, answering what the VMM denies.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

/* The ctx->verdicts seen on the last call of each kind, and how many refused calls. */
__u32 verdicts_refused, verdicts_to_user;
__u64 refused_calls;
/* ctx->pc of the last CONTRACT_HANDLED call, per conduit. */
__u64 pc_hvc, pc_smc;
/* ctx->verifier_tag as a number: no kernel address may reach a program. */
__u64 tag_value = 1;

SEC("struct_ops/hvc")
int BPF_PROG(contract_hvc, struct kvm_arm_exit_ctx *exit)
{
	switch (exit->smccc_fid) {
	case CONTRACT_REWRITE:
		/* KVM's PSCI code reads x0 again: it must see PSCI_VERSION. */
		bpf_kvm_exit_set_reg(exit, 0, PSCI_0_2_SYSTEM_OFF);
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_BAD);
		return KVM_ARM_EXIT_DEFAULT;
	case CONTRACT_TO_USER:
		verdicts_to_user = exit->verdicts;
		bpf_kvm_exit_set_reg(exit, 1, CONTRACT_BAD);
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_BAD);
		return KVM_ARM_EXIT_TO_USER;
	case CONTRACT_REFUSED:
		verdicts_refused = exit->verdicts;
		refused_calls++;
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_BAD);
		return KVM_ARM_EXIT_TO_USER;
	case CONTRACT_HANDLED:
		tag_value = (__u64)exit->verifier_tag;
		if (exit->is_smc)
			pc_smc = exit->pc;
		else
			pc_hvc = exit->pc;
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_KEPT);
		bpf_kvm_exit_smccc_return(exit, TEST_SMCCC_ANSWER(CONTRACT_HANDLED), exit->pc,
					  0, 0);
		return KVM_ARM_EXIT_HANDLED;
	case CONTRACT_VMM_DENIED:
		bpf_kvm_exit_smccc_return(exit, TEST_SMCCC_ANSWER(CONTRACT_VMM_DENIED), 0, 0, 0);
		return KVM_ARM_EXIT_HANDLED;
	default:
		return KVM_ARM_EXIT_DEFAULT;
	}
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops contract_policy = {
	.hvc = (void *)contract_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
