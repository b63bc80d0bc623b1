// SPDX-License-Identifier: GPL-2.0
/*
 * A data abort without a valid syndrome gets the canonical answer, an external abort, or,
 * with forward set before load, goes to the VMM (allowed where the VMM enabled
 * KVM_CAP_ARM_NISV_TO_USER).
 */
#include "kvmexit.h"

const volatile bool forward;

SEC("struct_ops/nisv")
int BPF_PROG(decide_nisv, struct kvm_arm_exit_ctx *exit)
{
	return forward ? KVM_ARM_EXIT_TO_USER : KVM_ARM_EXIT_INJECT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops nisv_policy = {
	.nisv = (void *)decide_nisv,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
