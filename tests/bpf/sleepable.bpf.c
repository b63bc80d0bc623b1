// SPDX-License-Identifier: GPL-2.0
/* Bad input: a sleepable program as a callback, which runs under RCU in the vCPU thread. */
#include "kvmexit.h"

SEC("struct_ops.s/hvc")
int BPF_PROG(sleepable_hvc, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops sleepable = {
	.hvc = (void *)sleepable_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
