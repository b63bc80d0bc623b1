// SPDX-License-Identifier: GPL-2.0
/*
 * A hypercall filter of an older layout, for kvmexit replace: its filter_rules map holds a
 * plain u32 action per id, where policies/hypercall_filter.bpf.c's holds a struct
 * filter_rule. Replacing that filter with this one cannot carry its rules over: the replace
 * is refused, naming the map, and nothing is replaced.
 */
#include "kvmexit.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u32);
} filter_rules SEC(".maps");

SEC("struct_ops/hvc")
int BPF_PROG(filter_v0_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 fid = exit->smccc_fid, *action = bpf_map_lookup_elem(&filter_rules, &fid);

	return action && *action == 2 ? KVM_ARM_EXIT_HANDLED : KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops filter_v0 = { .hvc = (void *)filter_v0_hvc, .vm_fd = -1 };

char LICENSE[] SEC("license") = "GPL";
