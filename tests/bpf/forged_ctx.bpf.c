// SPDX-License-Identifier: GPL-2.0
/*
 * A policy the verifier must refuse: it hands a kfunc an exit context it built itself,
 * which would let it choose the vCPU the kfunc writes to.
 */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(forge_ctx, struct kvm_arm_exit_ctx *exit)
{
	struct kvm_arm_exit_ctx forged = {};

	bpf_kvm_exit_set_reg(&forged, 0, 0);
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops forged_ctx = {
	.hvc = (void *)forge_ctx,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
