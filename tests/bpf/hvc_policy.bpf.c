// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls decided by a policy: one emulated entirely in BPF (results computed from the
 * arguments), one denied, PSCI_VERSION and one more id forwarded to the VMM, everything
 * else left to KVM. Every function id the policy sees is recorded, so the test can show
 * the Arm Architecture Calls never reach it.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

__u32 seen[HVC_SEEN_MAX];
__u32 nr_seen;
/* What kfuncs return for arguments KVM must refuse (checked at run time). */
int bad_reg_ret = 1, bad_spi_ret = 1, bad_iss_ret = 1, wrong_exit_ret = 1;
int bad_set_reg_ret = 1, huge_reg_ret = 1, bad_kind_ret = 1, serror_hvc_ret = 1;

SEC("struct_ops/hvc")
int BPF_PROG(policy_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 fid = exit->smccc_fid, slot = nr_seen;
	__u64 a1, a2, a3;

	if (slot < HVC_SEEN_MAX) {
		seen[slot] = fid;
		nr_seen = slot + 1;
	}

	switch (fid) {
	case HVC_DENIED:
		bad_reg_ret = bpf_kvm_exit_get_reg(exit, 31, &a1);
		bad_spi_ret = bpf_kvm_exit_set_spi(exit, 100000, true);
		bad_iss_ret = bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SEA, 0x24);
		wrong_exit_ret = bpf_kvm_exit_mmio_read_data(exit, 0);
		bad_set_reg_ret = bpf_kvm_exit_set_reg(exit, 31, 0xbad);
		huge_reg_ret = bpf_kvm_exit_get_reg(exit, 0xffffffff, &a1);
		bad_kind_ret = bpf_kvm_exit_set_injection(exit, 99, 0);
		serror_hvc_ret = bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SERROR, 0);
		return KVM_ARM_EXIT_HANDLED;
	case HVC_EMULATED:
		if (bpf_kvm_exit_get_reg(exit, 1, &a1) || bpf_kvm_exit_get_reg(exit, 2, &a2) ||
		    bpf_kvm_exit_get_reg(exit, 3, &a3))
			return KVM_ARM_EXIT_DEFAULT;
		bpf_kvm_exit_smccc_return(exit, TEST_SMCCC_ANSWER(fid), a1 + 1, a2 + 1, a3 + 1);
		return KVM_ARM_EXIT_HANDLED;
	case HVC_TO_USER:
	case PSCI_0_2_VERSION:
		return KVM_ARM_EXIT_TO_USER;
	default:
		return KVM_ARM_EXIT_DEFAULT;
	}
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops hvc_policy = {
	.hvc = (void *)policy_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
