// SPDX-License-Identifier: GPL-2.0
/*
 * Observes a guest hypervisor's VNCR_EL2 faults and answers a failed translation with an
 * SEA instead of the translation fault KVM would inject.
 */
#include "kvmexit.h"

__u32 faults, failed;
__s32 last_result;
__u64 last_far;

SEC("struct_ops/vncr")
int BPF_PROG(vncr_fault, struct kvm_arm_exit_ctx *exit)
{
	faults++;
	last_result = exit->vncr_result;
	last_far = exit->far;
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
