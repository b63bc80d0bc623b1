// SPDX-License-Identifier: GPL-2.0
/* The canonical answer to a data abort without a valid syndrome: an external abort. */
#include "kvmexit.h"

SEC("struct_ops/nisv")
int BPF_PROG(inject_nisv, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_INJECT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops nisv_inject = {
	.nisv = (void *)inject_nisv,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
