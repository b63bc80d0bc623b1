// SPDX-License-Identifier: GPL-2.0
/*
 * Observes a guest hypervisor's VNCR_EL2 faults and reports a failed translation to it as
 * an external abort with EA set (VNCR_POLICY_ISS), where KVM's default has none.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

__u32 faults, failed, last_fst;
__s32 last_result;

SEC("struct_ops/vncr")
int BPF_PROG(vncr_fault, struct kvm_arm_exit_ctx *exit)
{
	faults++;
	last_result = exit->vncr_result;
	last_fst = exit->vncr_fst;
	if (!exit->vncr_result)
		return KVM_ARM_EXIT_DEFAULT;
	failed++;
	/* EA set: the guest hypervisor can tell this verdict from KVM's default. */
	if (bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SEA, VNCR_POLICY_ISS))
		return KVM_ARM_EXIT_DEFAULT;
	return KVM_ARM_EXIT_INJECT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops vncr_policy = {
	.vncr = (void *)vncr_fault,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
