// SPDX-License-Identifier: GPL-2.0
/*
 * The policy tests/vmm/library.c attaches, replaces, reconfigures and detaches through
 * libkvmexit alone: LIB_CALL answered with its tag and the answer the VMM last wrote.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

/* Parameters, as kvmexit params lists them: a scalar and an array. */
const volatile __u64 tag = LIB_TAG_DEFAULT;
const volatile __u32 ids[4] = { LIB_CALL };
__u64 answered;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lib_answer SEC(".maps");

SEC("struct_ops/hvc")
int BPF_PROG(lib_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 zero = 0;
	__u64 *answer;

	if (exit->smccc_fid != ids[0])
		return KVM_ARM_EXIT_DEFAULT;
	answer = bpf_map_lookup_elem(&lib_answer, &zero);
	bpf_kvm_exit_smccc_return(exit, tag, answer ? *answer : 0, 0, 0);
	__sync_fetch_and_add(&answered, 1);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops lib_policy = {
	.hvc = (void *)lib_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
