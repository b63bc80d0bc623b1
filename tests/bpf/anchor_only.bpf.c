// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: an anchor without a place (neither KVM_ARM_EXIT_OPS_BEFORE nor _AFTER), as
 * bpftool struct_ops register hands it to the kernel (libkvmexit sets both itself).
 */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(anchor_only_hvc, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops anchor_only = {
	.hvc = (void *)anchor_only_hvc,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_HOST_WIDE,
	.anchor_id = 1,
};

char LICENSE[] SEC("license") = "GPL";
