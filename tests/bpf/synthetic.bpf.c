// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts for the exits the SYNTHETIC tests reach (tests/guest/synth_*.c): SEA and
 * LD64B/ST64B*, chosen by the offset of the access in the testdev data window.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

__u32 ldst64b_rt;

static __u64 window_offset(struct kvm_arm_exit_ctx *exit)
{
	return exit->ipa - (TESTDEV_BASE + TESTDEV_DATA);
}

SEC("struct_ops/sea")
int BPF_PROG(synthetic_sea, struct kvm_arm_exit_ctx *exit)
{
	/* No valid FAR (FnV): the IPA has only its page, so the syndrome tells this one. */
	if (exit->esr & ESR_DABT_FNV)
		return KVM_ARM_EXIT_INJECT;
	switch (window_offset(exit)) {
	case SEA_OFF_INJECT:
		if (bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SEA, SEA_POLICY_ISS))
			return KVM_ARM_EXIT_DEFAULT;
		return KVM_ARM_EXIT_INJECT;
	case SEA_OFF_TO_USER:
		return KVM_ARM_EXIT_TO_USER;
	default:
		return KVM_ARM_EXIT_DEFAULT;
	}
}

SEC("struct_ops/ldst64b")
int BPF_PROG(synthetic_ldst64b, struct kvm_arm_exit_ctx *exit)
{
	__u32 i;

	switch (window_offset(exit)) {
	case LDST_OFF_HANDLED:
		/* LD64B: the 64 bytes go to Xt..Xt+7 (an ST64BV gets refused by KVM). */
		if (ESR_DABT_LST(exit->esr) == 2)
			ldst64b_rt = exit->rt;
		for (i = 0; i < 8; i++) {
			if (bpf_kvm_exit_set_reg(exit, exit->rt + i, LD64B_WORD(i)))
				return KVM_ARM_EXIT_DEFAULT;
		}
		return KVM_ARM_EXIT_HANDLED;
	case LDST_OFF_INJECT:
		return KVM_ARM_EXIT_INJECT;
	case LDST_OFF_TO_USER:
		return KVM_ARM_EXIT_TO_USER;
	default:
		return KVM_ARM_EXIT_DEFAULT;
	}
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops synthetic = {
	.sea = (void *)synthetic_sea,
	.ldst64b = (void *)synthetic_ldst64b,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
