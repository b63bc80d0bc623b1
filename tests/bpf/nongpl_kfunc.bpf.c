// SPDX-License-Identifier: GPL-2.0
/*
 * A policy the verifier must refuse: its licence is not GPL-compatible, and the exit kfuncs
 * (like every kfunc) are for GPL-compatible programs only. (The source is GPL-2.0; the
 * licence the object declares to the kernel is what is tested.)
 */
#include "kvmexit.h"

SEC("struct_ops/hvc")
int BPF_PROG(nongpl_hvc, struct kvm_arm_exit_ctx *exit)
{
	bpf_kvm_exit_smccc_return(exit, 0, 0, 0, 0);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops nongpl_kfunc = {
	.hvc = (void *)nongpl_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "Proprietary";
