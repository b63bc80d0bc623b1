// SPDX-License-Identifier: GPL-2.0
/*
 * Policies that decline every exit they are asked about, and do nothing else: what a
 * declining policy costs the chain (kvmexit-bench chain). One has an hvc callback only,
 * the other an mmio callback only.
 */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(decline_hvc_exit, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC("struct_ops/mmio")
int BPF_PROG(decline_mmio_exit, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops decline_hvc = {
	.hvc = (void *)decline_hvc_exit,
};

SEC(".struct_ops.link")
struct kvm_arm_exit_ops decline_mmio = {
	.mmio = (void *)decline_mmio_exit,
};

char LICENSE[] SEC("license") = "GPL";
