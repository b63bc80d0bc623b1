// SPDX-License-Identifier: GPL-2.0
/*
 * Answers HVC_LIVE calls with its tag, set before load, so the guest can tell which
 * policy (or the VMM) answered each call while policies are attached, replaced and
 * detached under it. Counts the calls it answered.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

/* LIVE_TAG_A unless set before load (bpftool struct_ops register loads it as is). */
const volatile __u64 tag = LIVE_TAG_A;
__u64 answered;

SEC("struct_ops/hvc")
int BPF_PROG(live_hvc, struct kvm_arm_exit_ctx *exit)
{
	if (exit->smccc_fid != HVC_LIVE)
		return KVM_ARM_EXIT_DEFAULT;
	bpf_kvm_exit_smccc_return(exit, tag, 0, 0, 0);
	__sync_fetch_and_add(&answered, 1);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops live_policy = {
	.hvc = (void *)live_hvc,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_HOST_WIDE,	/* as registered by bpftool */
};

char LICENSE[] SEC("license") = "GPL";
