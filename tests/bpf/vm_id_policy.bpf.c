// SPDX-License-Identifier: GPL-2.0
/* The VM's id as a policy sees it: a read of VM_ID_READ returns ctx->vm_id. */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

SEC("struct_ops/mmio")
int BPF_PROG(vm_id_mmio, struct kvm_arm_exit_ctx *exit)
{
	if (exit->ipa != TESTDEV_BASE + TESTDEV_DATA + VM_ID_READ || exit->is_write)
		return KVM_ARM_EXIT_DEFAULT;
	bpf_kvm_exit_mmio_read_data(exit, exit->vm_id);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops vm_id_policy = {
	.mmio = (void *)vm_id_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
