// SPDX-License-Identifier: GPL-2.0
/*
 * One of several policies on a VM (tests/vmm/policy_chain.c): answers, is refused for,
 * errs on or declines each call by its id (see policy_tests.h), and counts each, so that
 * the test can tell which policy of the chain answered every call. HVC only: the chain
 * must not ask it about anything else.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

const volatile __u64 tag;
const volatile __u32 answer[CHAIN_IDS], refuse[CHAIN_IDS], err[CHAIN_IDS];
__u64 answered, refused, erred, declined;

static bool listed(const volatile __u32 *ids, __u32 fid)
{
	for (int i = 0; i < CHAIN_IDS; i++)
		if (ids[i] && ids[i] == fid)
			return true;
	return false;
}

SEC("struct_ops/hvc")
int BPF_PROG(chain_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 fid = exit->smccc_fid;

	if (listed(answer, fid)) {
		bpf_kvm_exit_smccc_return(exit, tag, fid, 0, 0);
		__sync_fetch_and_add(&answered, 1);
		return KVM_ARM_EXIT_HANDLED;
	}
	if (listed(refuse, fid)) {
		/* Staged, then refused: none of it may reach the guest. */
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_BAD);
		__sync_fetch_and_add(&refused, 1);
		return KVM_ARM_EXIT_TO_USER;
	}
	if (listed(err, fid)) {
		bpf_kvm_exit_set_reg(exit, 5, CONTRACT_BAD);
		__sync_fetch_and_add(&erred, 1);
		return KVM_ARM_EXIT_INJECT;
	}
	__sync_fetch_and_add(&declined, 1);
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops chain_policy = {
	.hvc = (void *)chain_hvc,
};

char LICENSE[] SEC("license") = "GPL";
