// SPDX-License-Identifier: GPL-2.0
/* Bad input: a flag bit of kvm_arm_exit_ops that no kernel defines (1 << 7). */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(unknown_flags_hvc, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops unknown_flags = {
	.hvc = (void *)unknown_flags_hvc,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_HOST_WIDE | 1U << 7,
};

char LICENSE[] SEC("license") = "GPL";
