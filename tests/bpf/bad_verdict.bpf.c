// SPDX-License-Identifier: GPL-2.0
/*
 * A broken policy: it asks to inject an abort for hypercalls, which the HVC exit forbids,
 * or answers with a verdict outside the enum (--set verdict=-1, 1000).
 */
#include "kvmexit.h"

const volatile int verdict = KVM_ARM_EXIT_INJECT;
__u64 calls;

SEC("struct_ops/hvc")
int BPF_PROG(bad_hvc, struct kvm_arm_exit_ctx *exit)
{
	calls++;
	return verdict;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops bad_verdict = {
	.hvc = (void *)bad_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
