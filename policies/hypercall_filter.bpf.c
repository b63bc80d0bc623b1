// SPDX-License-Identifier: GPL-2.0
/*
 * hypercall_filter: allow, deny or forward a VM's HVC/SMC calls by SMCCC function id and
 * id range, with rules set when attaching and changed while the guest runs, PSCI CPU_ON
 * allowed only for chosen target CPUs, a count of every call by id and outcome, and one
 * vendor-specific hypervisor call answered by the policy itself.
 *
 * Beyond KVM_ARM_VM_SMCCC_FILTER, which the VMM sets before the first KVM_RUN and which is
 * then frozen, matches function ids only and reports nothing: rules change at run time
 * (maps below), a call can be refused for its arguments (CPU_ON's target), every decision
 * is counted per id where anyone can read it, and a call can be answered without leaving
 * the kernel. It sees calls before KVM's filter: ALLOW leaves a call to KVM as if no policy
 * were attached (the VMM's filter, KVM's PSCI and firmware services then decide).
 *
 * Deciding a call, first match wins:
 *   1. info_fid: answered here (see FILTER_INFO_FID in hypercall_filter.h for x0..x3).
 *   2. filter_rules, run-time rules by id; 3. filter_ranges, run-time ranges.
 *   4. Attach-time ids: deny_ids, then forward_ids, then allow_ids.
 *   5. Attach-time ranges: deny_ranges, then forward_ranges, then allow_ranges.
 *   6. Otherwise: denied if default_deny, else allowed.
 * An allowed PSCI CPU_ON (SMC32 or SMC64) whose target MPIDR (x1, affinity fields) is not
 * among cpu_on_targets, when cpu_on_nr_targets is not 0, is answered PSCI DENIED (-3).
 * Denied calls get SMCCC NOT_SUPPORTED (-1) in x0. Forwarded calls are KVM_EXIT_HYPERCALL
 * exits: KVM takes that only for ids the VMM's own SMCCC filter forwards (FWD_TO_USER),
 * which the exit's ctx->verdicts tells; a forward rule for another id denies the call
 * instead (counted denied, and in the global unforwardable), so a guest cannot reach KVM's
 * own handling of a call the operator meant to take away from it. The filter fails
 * closed: it returns only verdicts an HVC exit allows, so KVM never ejects it, and if it
 * were ejected anyway its VM would stop rather than run unfiltered.
 * KVM never lets a policy see the Arm Architecture Calls (0x80000000-0x8000ffff,
 * 0xc0000000-0xc000ffff), a vCPU's HVCs to its own vEL2, or SMCs with a non-zero immediate.
 *
 * Parameters (kvmexit attach --set NAME=VALUE; lists are comma-separated):
 *   deny_ids, forward_ids, allow_ids   up to 16 function ids each (0: unused slot)
 *   deny_ranges, forward_ranges, allow_ranges
 *                                      up to 8 ranges each, as pairs FIRST,LAST (inclusive;
 *                                      a pair with LAST 0 is unused)
 *   default_deny                       1: deny what no rule matches (default 0: allow)
 *   cpu_on_targets                     up to 8 MPIDRs that PSCI CPU_ON may start
 *   cpu_on_nr_targets                  how many of cpu_on_targets are set (0: CPU_ON is not
 *                                      restricted)
 *   info_fid                           the information call's id (0: none), default
 *                                      0xc6000040
 *
 * Attach (the ids below: deny one OEM call, forward a range to the VMM, allow PSCI, start
 * only CPUs 0 and 1 with CPU_ON, deny everything else):
 *   kvmexit attach --pid PID /usr/lib/kvmexit/policies/hypercall_filter.bpf.o \
 *	--set deny_ids=0xc3000101 --set forward_ranges=0xc3000100,0xc300010f \
 *	--set allow_ranges=0x84000000,0x8400001f,0xc4000000,0xc400001f \
 *	--set cpu_on_targets=0,1 --set cpu_on_nr_targets=2 --set default_deny=1
 *
 * Changing rules while the guest runs, with bpftool (keys and values are the bytes of
 * little-endian u32s). With one filter attached on the host, `name filter_rules` names its
 * map; with several, `bpftool map show name filter_rules` lists one per filter and
 * `bpftool prog show name filter_hvc` the map ids of each: use `id N` instead (kvmexit does
 * not yet tell which policy maps belong to which VM).
 *   bpftool map update name filter_rules key 0x01 0x01 0x00 0xc3 value 0x01 0 0 0  # allow
 *   bpftool map update name filter_rules key 0x02 0x01 0x00 0xc3 value 0x02 0 0 0  # deny
 *   bpftool map delete name filter_rules key 0x01 0x01 0x00 0xc3  # back to attach-time
 *   bpftool map update name filter_ranges key 0 0 0 0 \
 *	value 0x00 0x00 0x00 0xc2 0xff 0xff 0x00 0xc2 0x02 0 0 0      # deny 0xc2000000-ffff
 * A VMM that attached the filter itself updates the same maps with bpf_map_update_elem().
 * Reading the counts: bpftool map dump name filter_counts (per id: allowed, denied,
 * forwarded, answered), and the globals calls, denied, untracked (calls not counted by
 * id because filter_counts was full) and bad_rules (run-time rules met whose action is not
 * one of enum filter_action: ignored), unforwardable (forward rules met for an id the VMM
 * does not take: denied) with bpftool map dump name hypercal.bss.
 */
#include "kvmexit.h"
#include "hypercall_filter.h"

const volatile __u32 deny_ids[FILTER_MAX_IDS];
const volatile __u32 forward_ids[FILTER_MAX_IDS];
const volatile __u32 allow_ids[FILTER_MAX_IDS];
const volatile __u32 deny_ranges[2 * FILTER_MAX_RANGES];
const volatile __u32 forward_ranges[2 * FILTER_MAX_RANGES];
const volatile __u32 allow_ranges[2 * FILTER_MAX_RANGES];
const volatile __u32 default_deny;
const volatile __u64 cpu_on_targets[FILTER_MAX_CPU_ON];
const volatile __u32 cpu_on_nr_targets;
const volatile __u32 info_fid = FILTER_INFO_FID;

/* Totals over the VM's vCPUs. */
__u64 calls, denied, untracked, bad_rules, unforwardable;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILTER_MAX_RULES);
	__type(key, __u32);		/* function id */
	__type(value, __u32);		/* enum filter_action */
} filter_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FILTER_MAX_RANGES);
	__type(key, __u32);
	__type(value, struct filter_range);	/* action FILTER_NONE: unused */
} filter_ranges SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILTER_MAX_RULES);
	__type(key, __u32);		/* function id */
	__type(value, struct filter_count);
} filter_counts SEC(".maps");

static void count(__u32 fid, enum filter_outcome outcome)
{
	struct filter_count *c = bpf_map_lookup_elem(&filter_counts, &fid);
	struct filter_count zero = {};

	__sync_fetch_and_add(&calls, 1);
	if (outcome == FILTER_DENIED)
		__sync_fetch_and_add(&denied, 1);
	if (!c) {
		/* Another vCPU may insert it first: then NOEXIST fails and the lookup finds it. */
		bpf_map_update_elem(&filter_counts, &fid, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&filter_counts, &fid);
	}
	if (!c || outcome >= FILTER_NR_OUTCOMES) {
		__sync_fetch_and_add(&untracked, 1);
		return;
	}
	__sync_fetch_and_add(&c->calls[outcome], 1);
}

static bool in_list(const volatile __u32 *ids, __u32 fid)
{
	int i;

	for (i = 0; i < FILTER_MAX_IDS; i++) {
		if (ids[i] && ids[i] == fid)
			return true;
	}
	return false;
}

static bool in_ranges(const volatile __u32 *ranges, __u32 fid)
{
	int i;

	for (i = 0; i < FILTER_MAX_RANGES; i++) {
		if (ranges[2 * i + 1] && ranges[2 * i] <= fid && fid <= ranges[2 * i + 1])
			return true;
	}
	return false;
}

/* A run-time rule's action; one that is not an action is counted and ignored. */
static enum filter_action valid_action(__u32 action)
{
	if (action <= FILTER_FORWARD)
		return action;
	__sync_fetch_and_add(&bad_rules, 1);
	return FILTER_NONE;
}

static enum filter_action runtime_action(__u32 fid)
{
	enum filter_action found = FILTER_NONE;
	struct filter_range *range;
	__u32 *action, key;
	int i;

	action = bpf_map_lookup_elem(&filter_rules, &fid);
	if (action)
		found = valid_action(*action);
	if (found != FILTER_NONE)
		return found;
	/* Unrolled: a loop counter passed by address loses its bounds for the verifier. */
#pragma unroll
	for (i = 0; i < FILTER_MAX_RANGES; i++) {
		key = i;
		range = bpf_map_lookup_elem(&filter_ranges, &key);
		if (range && range->action != FILTER_NONE && range->first <= fid &&
		    fid <= range->last)
			found = valid_action(range->action);
		if (found != FILTER_NONE)
			return found;
	}
	return FILTER_NONE;
}

static enum filter_action decide(__u32 fid)
{
	enum filter_action action = runtime_action(fid);

	if (action != FILTER_NONE)
		return action;
	if (in_list(deny_ids, fid))
		return FILTER_DENY;
	if (in_list(forward_ids, fid))
		return FILTER_FORWARD;
	if (in_list(allow_ids, fid))
		return FILTER_ALLOW;
	if (in_ranges(deny_ranges, fid))
		return FILTER_DENY;
	if (in_ranges(forward_ranges, fid))
		return FILTER_FORWARD;
	if (in_ranges(allow_ranges, fid))
		return FILTER_ALLOW;
	return default_deny ? FILTER_DENY : FILTER_ALLOW;
}

/* CPU_ON with a target outside cpu_on_targets (when restricted). */
static bool cpu_on_refused(struct kvm_arm_exit_ctx *exit, __u32 fid)
{
	__u64 target;
	__u32 i;

	if (!cpu_on_nr_targets || (fid != PSCI_0_2_FN_CPU_ON && fid != PSCI_0_2_FN64_CPU_ON))
		return false;
	if (bpf_kvm_exit_get_reg(exit, 1, &target))
		return true;
	if (fid == PSCI_0_2_FN_CPU_ON)
		target &= 0xffffffff;
	for (i = 0; i < FILTER_MAX_CPU_ON && i < cpu_on_nr_targets; i++) {
		if ((target & MPIDR_AFFINITY_MASK) == (cpu_on_targets[i] & MPIDR_AFFINITY_MASK))
			return false;
	}
	return true;
}

SEC("struct_ops/hvc")
int BPF_PROG(filter_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 fid = exit->smccc_fid;

	if (info_fid && fid == info_fid) {
		count(fid, FILTER_ANSWERED);
		bpf_kvm_exit_smccc_return(exit, SMCCC_RET_SUCCESS, calls, denied, exit->vcpu_id);
		return KVM_ARM_EXIT_HANDLED;
	}
	switch (decide(fid)) {
	case FILTER_DENY:
		count(fid, FILTER_DENIED);
		return KVM_ARM_EXIT_HANDLED;	/* no return values: NOT_SUPPORTED */
	case FILTER_FORWARD:
		if (!(exit->verdicts & (1 << KVM_ARM_EXIT_TO_USER))) {
			/* The VMM does not take this call: deny rather than leave it to KVM. */
			__sync_fetch_and_add(&unforwardable, 1);
			count(fid, FILTER_DENIED);
			return KVM_ARM_EXIT_HANDLED;
		}
		count(fid, FILTER_FORWARDED);
		return KVM_ARM_EXIT_TO_USER;
	default:
		break;
	}
	if (cpu_on_refused(exit, fid)) {
		count(fid, FILTER_DENIED);
		bpf_kvm_exit_smccc_return(exit, FILTER_CPU_ON_DENIED, 0, 0, 0);
		return KVM_ARM_EXIT_HANDLED;
	}
	count(fid, FILTER_ALLOWED);
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops hypercall_filter = {
	.hvc = (void *)filter_hvc,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_FAIL_CLOSED,
};

char LICENSE[] SEC("license") = "GPL";
