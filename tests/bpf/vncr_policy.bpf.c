// SPDX-License-Identifier: GPL-2.0
/*
 * Observes a guest hypervisor's VNCR_EL2 faults and reports a failed translation to it as
 * an external abort instead of the fault the walk found.
 */
#include "kvmexit.h"

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
	return KVM_ARM_EXIT_INJECT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops vncr_policy = {
	.vncr = (void *)vncr_fault,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
