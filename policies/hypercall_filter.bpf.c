// SPDX-License-Identifier: GPL-2.0
/*
 * hypercall_filter: allow, deny or forward a VM's HVC/SMC calls by SMCCC function id and
 * id range, with rules set when attaching and changed while the guest runs, PSCI CPU_ON
 * allowed only for chosen target CPUs, a count of every call by outcome, an audit log of
 * the calls it denied or forwarded, a dry run, and an optional vendor-specific hypervisor
 * call answered by the policy itself.
 *
 * Beyond KVM_ARM_VM_SMCCC_FILTER, which the VMM sets before the first KVM_RUN and which is
 * then frozen, matches function ids only and reports nothing: rules change at run time
 * (maps below), a call can be refused for its arguments (CPU_ON's target), every decision
 * is counted and the refused ones logged where an operator can read them, and a call can
 * be answered without leaving the kernel. It sees calls before KVM's filter: ALLOW leaves
 * a call to KVM as if no policy were attached (the VMM's filter, KVM's PSCI and firmware
 * services then decide).
 *
 * Deciding a call, first match wins:
 *   1. info_fid, if set: answered here (see FILTER_INFO_FID in hypercall_filter.h).
 *   2. filter_rules, run-time rules by id; 3. filter_ranges, run-time ranges.
 *   4. Attach-time ids: deny_ids, then forward_ids, then allow_ids.
 *   5. Attach-time ranges: deny_ranges, then forward_ranges, then allow_ranges.
 *   6. Otherwise: denied if default_deny, else allowed.
 * An allowed PSCI CPU_ON, SMC32 or SMC64 alike, whose target (x1, its affinity fields) is
 * not among cpu_on_targets, when they are set, is answered PSCI DENIED (-3).
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
 * dry_run decides every call as above, counts and logs the decision (FILTER_LOG_WOULD_DENY,
 * FILTER_LOG_WOULD_FORWARD), and leaves every call to KVM, the information call included:
 * the counts say what the filter would have done, KVM's statistics (kvmexit stats) what
 * was done (every call defaulted).
 *
 * Counting: every call the filter decides is counted in the totals allowed, denied,
 * forwarded and answered, which a guest cannot make miss one, and per id in filter_counts,
 * an LRU hash that keeps the FILTER_MAX_COUNTED latest ids: a guest calling many ids evicts
 * older ones rather than leave later ones uncounted (untracked: calls it had no room for,
 * which only a map update failing under memory pressure leaves).
 *
 * The audit log: each denied or forwarded call (would-be, in a dry run) is a struct
 * filter_record (VM, vCPU, id, x1..x6, PC, what became of it, time) in the ring buffer
 * filter_log, at most log_rate a second with bursts of log_burst per VM (a token bucket over
 * the VM's vCPUs: a guest never uses up another VM's records, where the filter is a cgroup's
 * or the host's). Records past the rate are counted in log_dropped, records the ring buffer
 * had no room for (no reader) in log_lost.
 *
 * Parameters (kvmexit attach --set NAME=VALUE; lists are comma-separated):
 *   deny_ids, forward_ids, allow_ids   up to 16 function ids each (0: unused slot)
 *   deny_ranges, forward_ranges, allow_ranges
 *                                      up to 8 ranges each, as pairs FIRST,LAST (inclusive;
 *                                      FIRST <= LAST; a lone FIRST or a reversed pair does
 *                                      not load: the verifier rejects it, naming them)
 *   default_deny                       1: deny what no rule matches (default 0: allow)
 *   cpu_on_targets                     up to 8 MPIDR_EL1 values (bit 31, RES1 in the
 *                                      register, set: 0x80000000 is MPIDR 0, 0x80000100
 *                                      Aff1 1) that PSCI CPU_ON may start; default: any.
 *                                      A value without bit 31, or a list with a 0 before
 *                                      its last value, does not load (the verifier
 *                                      rejects it, naming cpu_on_targets): the list ends
 *                                      at the zeros kvmexit fills the rest of it with
 *   info_fid                           the information call's id, default 0: none
 *                                      (FILTER_INFO_FID, 0xc6000040, is the suggested one)
 *   dry_run                            1: only count and log, leave every call to KVM
 *                                      (default 0)
 *   log_rate, log_burst                audit records a second, and at once (defaults 100
 *                                      and 20); log_rate 0: no audit log
 *
 * Attach (the ids below: deny one OEM call, forward a range to the VMM, allow PSCI, start
 * only CPUs 0 and 1 with CPU_ON, deny everything else):
 *   kvmexit attach --pid PID /usr/lib/kvmexit/policies/hypercall_filter.bpf.o \
 *	--set deny_ids=0xc3000101 --set forward_ranges=0xc3000100,0xc300010f \
 *	--set allow_ranges=0x84000000,0x8400001f,0xc4000000,0xc400001f \
 *	--set cpu_on_targets=0x80000000,0x80000001 --set default_deny=1
 *
 * While the guest runs: kvmexit rule add|del|show|load changes and shows the run-time
 * rules (by id, range or SMCCC name: kvmexit rule add --pid PID PSCI_CPU_ON deny), kvmexit
 * log --pid PID [--follow] prints the audit log and its drops. kvmexit pins every map of
 * the policy beside its link, in the VM's directory of /sys/fs/bpf/kvmexit, as
 * hypercall_filter-MAP (dots made underscores), for bpftool map dump pinned PATH:
 * filter_rules (key: function id, value: struct filter_rule, its id and enum filter_action),
 * filter_ranges (struct filter_range): both written with BPF_F_LOCK, read whole by the policy,
 * filter_counts (per id: allowed, denied, forwarded, answered), filter_vms (per VM, by
 * ctx->vm_id: calls decided and denied, which the information call answers with, and the
 * VM's audit-log budget) and the
 * globals in
 * hypercall_filter-hypercal_bss: the totals allowed, denied, forwarded, answered,
 * untracked, bad_rules (run-time rules met whose action is not one of enum filter_action:
 * ignored), unforwardable (forward rules met for an id the VMM does not take: denied),
 * log_dropped, log_lost. A VMM that attached the filter itself updates the same maps with
 * bpf_map_update_elem().
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
const volatile __u64 cpu_on_targets[FILTER_MAX_CPU_ON] = { FILTER_CPU_ON_ANY };
const volatile __u32 info_fid;
const volatile __u32 dry_run;
const volatile __u32 log_rate = 100;
const volatile __u32 log_burst = 20;

/* Totals over the VM's vCPUs, per outcome, and what went wrong. */
__u64 allowed, denied, forwarded, answered;
__u64 untracked, bad_rules, unforwardable, log_dropped, log_lost;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILTER_MAX_RULES);
	__type(key, __u32);		/* function id */
	__type(value, struct filter_rule);
} filter_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FILTER_MAX_RANGES);
	__type(key, __u32);
	__type(value, struct filter_range);	/* action FILTER_NONE: unused */
} filter_ranges SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FILTER_MAX_COUNTED);
	__type(key, __u32);		/* function id */
	__type(value, struct filter_count);
} filter_counts SEC(".maps");

/*
 * Per VM: a filter on a cgroup or the host decides for many VMs, a VMM may run several, and
 * a guest's information call must tell it about its own VM's calls only, never another's;
 * its audit records must not use up another VM's budget either.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, FILTER_MAX_VMS);
	__type(key, __u64);		/* ctx->vm_id */
	__type(value, struct filter_vm);
} filter_vms SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, FILTER_LOG_BYTES);
} filter_log SEC(".maps");

/*
 * Make the verifier reject the policy: the rejection it reports names this line, and
 * kvmexit prints it. Only reached when a parameter is malformed: the verifier knows the
 * parameters (frozen .rodata) and never explores the branch otherwise.
 */
#define REFUSE_TO_LOAD(why)	asm volatile("r0 = *(u64 *)(r10 + 0)" ::: "r0")

/*
 * cpu_on_targets as the operator wrote it: FILTER_CPU_ON_ANY alone (not set), or MPIDR_EL1
 * values up to the zeros that fill the rest. An affinity without bit 31, or a 0 inside the
 * list (MPIDR 0 meant), would silently restrict CPU_ON to other CPUs than meant.
 */
static bool cpu_on_targets_malformed(void)
{
	bool ended = false;
	int i;

	if (cpu_on_targets[0] == FILTER_CPU_ON_ANY)
		return false;
#pragma unroll
	for (i = 0; i < FILTER_MAX_CPU_ON; i++) {
		if (!cpu_on_targets[i])
			ended = true;
		else if (ended || !(cpu_on_targets[i] & MPIDR_RES1))
			return true;
	}
	return !cpu_on_targets[0];
}

/* The exit's VM's entry of filter_vms, made on its first call; NULL if the map refused. */
static struct filter_vm *exit_vm(struct kvm_arm_exit_ctx *exit)
{
	__u64 id = exit->vm_id;
	struct filter_vm *vm = bpf_map_lookup_elem(&filter_vms, &id);
	struct filter_vm zero = {};

	if (vm)
		return vm;
	/* Another vCPU may insert it first: then NOEXIST fails and the lookup finds it. */
	bpf_map_update_elem(&filter_vms, &id, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&filter_vms, &id);
}

static void count(struct kvm_arm_exit_ctx *exit, __u32 fid, enum filter_outcome outcome)
{
	struct filter_vm *vm = exit_vm(exit);
	struct filter_count *c = bpf_map_lookup_elem(&filter_counts, &fid);
	struct filter_count zero = {};

	switch (outcome) {
	case FILTER_ALLOWED:
		__sync_fetch_and_add(&allowed, 1);
		break;
	case FILTER_DENIED:
		__sync_fetch_and_add(&denied, 1);
		break;
	case FILTER_FORWARDED:
		__sync_fetch_and_add(&forwarded, 1);
		break;
	default:
		__sync_fetch_and_add(&answered, 1);
		break;
	}
	if (vm) {
		__sync_fetch_and_add(&vm->decided, 1);
		if (outcome == FILTER_DENIED)
			__sync_fetch_and_add(&vm->denied, 1);
	}
	if (!c) {
		/*
		 * Another vCPU may insert it first: then NOEXIST fails and the lookup finds it.
		 * A full map evicts its least recently used id.
		 */
		bpf_map_update_elem(&filter_counts, &fid, &zero, BPF_NOEXIST);
		c = bpf_map_lookup_elem(&filter_counts, &fid);
	}
	if (!c || outcome >= FILTER_NR_OUTCOMES) {
		__sync_fetch_and_add(&untracked, 1);
		return;
	}
	__sync_fetch_and_add(&c->calls[outcome], 1);
}

/*
 * May a record of @vm's be logged at @now? A token bucket per VM as GCRA: vm->log_due_ns is
 * when the bucket is next full; a record takes one interval off it, and may while that
 * leaves it less than log_burst intervals ahead of now. A vCPU that loses the race to
 * another retries: a few times, then the record is dropped like any other over the rate.
 * A VM the map had no room for logs nothing.
 */
static bool log_may_record(struct filter_vm *vm, __u64 now)
{
	__u64 interval = 1000000000ULL / log_rate;
	__u64 due, from, burst = log_burst ?: 1;
	int i;

	if (!vm)
		return false;
	for (i = 0; i < 4; i++) {
		due = vm->log_due_ns;
		from = due > now ? due : now;
		if (from - now > (burst - 1) * interval)
			return false;
		if (__sync_val_compare_and_swap(&vm->log_due_ns, due, from + interval) == due)
			return true;
	}
	return false;
}

static void log_call(struct kvm_arm_exit_ctx *exit, __u32 fid, enum filter_log_action action)
{
	__u64 now = bpf_ktime_get_ns(), arg;
	struct filter_record *r;
	int i;

	if (!log_rate)
		return;
	if (!log_may_record(exit_vm(exit), now)) {
		__sync_fetch_and_add(&log_dropped, 1);
		return;
	}
	r = bpf_ringbuf_reserve(&filter_log, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&log_lost, 1);
		return;
	}
	r->time_ns = now;
	r->pc = exit->pc;
	for (i = 0; i < 6; i++) {
		arg = 0;
		bpf_kvm_exit_get_reg(exit, i + 1, &arg);
		r->args[i] = arg;
	}
	r->vm_id = exit->vm_id;
	r->fid = fid;
	r->vcpu_id = exit->vcpu_id;
	r->action = action;
	r->is_smc = exit->is_smc;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(r, 0);
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

/*
 * A ranges parameter as the operator wrote it: pairs FIRST,LAST with FIRST <= LAST, and
 * 0,0 for the unused ones. A lone FIRST (an odd list: its LAST is the 0 kvmexit fills in)
 * or a reversed pair would leave its ids unmatched: the filter would fail open.
 */
static bool ranges_malformed(const volatile __u32 *ranges)
{
	int i;

#pragma unroll
	for (i = 0; i < FILTER_MAX_RANGES; i++) {
		if ((ranges[2 * i] || ranges[2 * i + 1]) &&
		    (!ranges[2 * i + 1] || ranges[2 * i] > ranges[2 * i + 1]))
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

/* The run-time rule for @fid, read whole under its lock: its action, or FILTER_NONE. */
static enum filter_action rule_action(__u32 fid)
{
	struct filter_rule *rule = bpf_map_lookup_elem(&filter_rules, &fid);
	__u32 id, action;

	if (!rule)
		return FILTER_NONE;
	bpf_spin_lock(&rule->lock);
	id = rule->id;
	action = rule->action;
	bpf_spin_unlock(&rule->lock);
	return id == fid ? valid_action(action) : FILTER_NONE;
}

/* The run-time range slot @slot, read whole under its lock: its action for @fid. */
static enum filter_action range_action(__u32 slot, __u32 fid)
{
	struct filter_range *range = bpf_map_lookup_elem(&filter_ranges, &slot);
	__u32 first, last, action;

	if (!range)
		return FILTER_NONE;
	bpf_spin_lock(&range->lock);
	first = range->first;
	last = range->last;
	action = range->action;
	bpf_spin_unlock(&range->lock);
	if (action == FILTER_NONE || fid < first || fid > last)
		return FILTER_NONE;
	return valid_action(action);
}

static enum filter_action runtime_action(__u32 fid)
{
	enum filter_action found = rule_action(fid);
	int i;

	if (found != FILTER_NONE)
		return found;
	/* Unrolled: a loop counter passed by address loses its bounds for the verifier. */
#pragma unroll
	for (i = 0; i < FILTER_MAX_RANGES; i++) {
		found = range_action(i, fid);
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

/* CPU_ON, either convention, with a target outside cpu_on_targets (when set). */
static bool cpu_on_refused(struct kvm_arm_exit_ctx *exit, __u32 fid)
{
	__u64 target;
	__u32 i;

	if (cpu_on_targets[0] == FILTER_CPU_ON_ANY ||
	    (fid != PSCI_0_2_FN_CPU_ON && fid != PSCI_0_2_FN64_CPU_ON))
		return false;
	if (bpf_kvm_exit_get_reg(exit, 1, &target))
		return true;
	if (fid == PSCI_0_2_FN_CPU_ON)
		target &= 0xffffffff;
	for (i = 0; i < FILTER_MAX_CPU_ON && cpu_on_targets[i]; i++) {
		if ((target & MPIDR_AFFINITY_MASK) == (cpu_on_targets[i] & MPIDR_AFFINITY_MASK))
			return false;
	}
	return true;
}

/* A denial, or in a dry run what would have been one: then KVM has the call. */
static int deny(struct kvm_arm_exit_ctx *exit, __u32 fid)
{
	count(exit, fid, FILTER_DENIED);
	log_call(exit, fid, dry_run ? FILTER_LOG_WOULD_DENY : FILTER_LOG_DENIED);
	return dry_run ? KVM_ARM_EXIT_DEFAULT : KVM_ARM_EXIT_HANDLED;
}

SEC("struct_ops/hvc")
int BPF_PROG(filter_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 fid = exit->smccc_fid;

	if (cpu_on_targets_malformed())
		REFUSE_TO_LOAD("cpu_on_targets: MPIDR_EL1 values, bit 31 set, no 0 among them");
	if (ranges_malformed(deny_ranges) || ranges_malformed(forward_ranges) ||
	    ranges_malformed(allow_ranges))
		REFUSE_TO_LOAD("deny, forward, allow_ranges: pairs FIRST,LAST, FIRST <= LAST");
	if (info_fid && fid == info_fid) {
		struct filter_vm *vm;

		count(exit, fid, FILTER_ANSWERED);
		if (dry_run)
			return KVM_ARM_EXIT_DEFAULT;
		vm = exit_vm(exit);
		bpf_kvm_exit_smccc_return(exit, SMCCC_RET_SUCCESS, vm ? vm->decided : 0,
					  vm ? vm->denied : 0, exit->vcpu_id);
		return KVM_ARM_EXIT_HANDLED;
	}
	switch (decide(fid)) {
	case FILTER_DENY:
		return deny(exit, fid);	/* no return values: NOT_SUPPORTED */
	case FILTER_FORWARD:
		if (!(exit->verdicts & (1 << KVM_ARM_EXIT_TO_USER))) {
			/* The VMM does not take this call: deny rather than leave it to KVM. */
			__sync_fetch_and_add(&unforwardable, 1);
			return deny(exit, fid);
		}
		count(exit, fid, FILTER_FORWARDED);
		log_call(exit, fid, dry_run ? FILTER_LOG_WOULD_FORWARD : FILTER_LOG_FORWARDED);
		return dry_run ? KVM_ARM_EXIT_DEFAULT : KVM_ARM_EXIT_TO_USER;
	default:
		break;
	}
	if (cpu_on_refused(exit, fid)) {
		if (!dry_run)
			bpf_kvm_exit_smccc_return(exit, FILTER_CPU_ON_DENIED, 0, 0, 0);
		return deny(exit, fid);
	}
	count(exit, fid, FILTER_ALLOWED);
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops hypercall_filter = {
	.hvc = (void *)filter_hvc,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_FAIL_CLOSED,
};

char LICENSE[] SEC("license") = "GPL";
