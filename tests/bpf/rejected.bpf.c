// SPDX-License-Identifier: GPL-2.0
/* A policy the verifier must refuse: it writes the exit context, which is read-only. */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(write_ctx, struct kvm_arm_exit_ctx *exit)
{
	exit->smccc_fid = 0;
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops rejected = {
	.hvc = (void *)write_ctx,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
