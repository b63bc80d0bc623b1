// SPDX-License-Identifier: GPL-2.0
/*
 * For the load test (scenario policy-load): answers HVC_LIVE calls on several vCPUs with a
 * mix of verdicts, chosen by the call's index in x1, and counts each per vCPU so the test
 * can account for every call. It also logs every call to a hash map and a ring buffer that
 * nobody drains, both far too small: once full, each call still gets its verdict and the
 * drop is counted.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

/* LIVE_TAG_A unless set before load. */
const volatile __u64 tag = LIVE_TAG_A;

/* Per vCPU (ctx->vcpu_id): what this policy answered. */
__u64 handled[GUEST_MAX_VCPUS], to_user[GUEST_MAX_VCPUS], defaulted[GUEST_MAX_VCPUS];
/* Calls logged and dropped, in the map and the ring buffer. */
__u64 map_logged, map_dropped, ring_logged, ring_dropped;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LOAD_MAP_ENTRIES);
	__type(key, __u64);
	__type(value, __u64);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, LOAD_RING_BYTES);
} call_log SEC(".maps");

static void log_call(__u32 vcpu, __u64 index, __u64 verdict)
{
	__u64 key = (__u64)vcpu << 32 | (__u32)index;
	__u64 *record;

	if (bpf_map_update_elem(&calls, &key, &verdict, BPF_NOEXIST))
		__sync_fetch_and_add(&map_dropped, 1);
	else
		__sync_fetch_and_add(&map_logged, 1);
	record = bpf_ringbuf_reserve(&call_log, sizeof(*record), 0);
	if (!record) {
		__sync_fetch_and_add(&ring_dropped, 1);
		return;
	}
	*record = key;
	bpf_ringbuf_submit(record, 0);
	__sync_fetch_and_add(&ring_logged, 1);
}

SEC("struct_ops/hvc")
int BPF_PROG(load_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 vcpu = exit->vcpu_id;
	__u64 index;
	int verdict;

	if (exit->smccc_fid != HVC_LIVE || vcpu >= GUEST_MAX_VCPUS ||
	    bpf_kvm_exit_get_reg(exit, 1, &index))
		return KVM_ARM_EXIT_DEFAULT;

	switch (LOAD_VERDICT(index)) {
	case LOAD_HANDLED:
		bpf_kvm_exit_smccc_return(exit, tag, 0, 0, 0);
		__sync_fetch_and_add(&handled[vcpu], 1);
		verdict = KVM_ARM_EXIT_HANDLED;
		break;
	case LOAD_TO_USER:
		__sync_fetch_and_add(&to_user[vcpu], 1);
		verdict = KVM_ARM_EXIT_TO_USER;
		break;
	default:
		__sync_fetch_and_add(&defaulted[vcpu], 1);
		verdict = KVM_ARM_EXIT_DEFAULT;
		break;
	}
	log_call(vcpu, index, verdict);
	return verdict;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops load_policy = {
	.hvc = (void *)load_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
