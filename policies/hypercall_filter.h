/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The interface of hypercall_filter.bpf.c to the programs around it: the actions of its
 * run-time rules, its per-id counters, its audit log and its information call. Plain C
 * types: included by the policy, by VMMs and tools reading its maps (kvmexit rule, kvmexit
 * log), and by bare-metal guests.
 */
#ifndef KVMEXIT_HYPERCALL_FILTER_H
#define KVMEXIT_HYPERCALL_FILTER_H

/* The action of a rule in filter_rules (key: function id) or filter_ranges. */
enum filter_action {
	FILTER_NONE = 0,	/* no rule: look further */
	FILTER_ALLOW = 1,	/* leave the call to KVM (its PSCI, its SMCCC filter, ...) */
	FILTER_DENY = 2,	/* answer NOT_SUPPORTED in x0 */
	FILTER_FORWARD = 3,	/* KVM_EXIT_HYPERCALL to the VMM (its filter must forward the id) */
};

/*
 * The lock of a rule or range: the policy reads an entry under it and kvmexit writes the
 * entry with BPF_F_LOCK, so an edit is seen whole or not at all (never a range's new first id
 * with its old last one). The kernel's struct bpf_spin_lock in the policy, the same four
 * bytes elsewhere.
 */
#ifdef __bpf__
#define FILTER_LOCK	struct bpf_spin_lock
#else
#define FILTER_LOCK	struct { unsigned int val; }
#endif

/*
 * filter_rules values (key: function id). id repeats the key: an entry deleted while the
 * policy read it and reused for another id is seen as that id's, not taken for this one's.
 */
struct filter_rule {
	FILTER_LOCK lock;
	unsigned int id;
	unsigned int action;	/* enum filter_action */
};

/* filter_ranges entries: function ids first..last (inclusive) get action. */
struct filter_range {
	FILTER_LOCK lock;
	unsigned int first;
	unsigned int last;
	unsigned int action;	/* enum filter_action; FILTER_NONE: unused */
};

/* filter_counts values, per function id: how many calls got each outcome. */
enum filter_outcome {
	FILTER_ALLOWED,
	FILTER_DENIED,
	FILTER_FORWARDED,
	FILTER_ANSWERED,	/* the information call, answered by the policy */
	FILTER_NR_OUTCOMES,
};

struct filter_count {
	unsigned long long calls[FILTER_NR_OUTCOMES];
};

/*
 * filter_vms values, per VM (key: ctx->vm_id, which KVM never gives two VMs): what the
 * information call answers, and the VM's own audit-log budget, so that one guest can
 * neither learn of another's calls nor use up its log.
 */
struct filter_vm {
	unsigned long long decided, denied;
	unsigned long long log_due_ns;	/* the VM's token bucket: see log_may_record() */
};

/* What a record of filter_log says became of the call. */
enum filter_log_action {
	FILTER_LOG_DENIED = 1,		/* NOT_SUPPORTED, or PSCI DENIED for a CPU_ON */
	FILTER_LOG_FORWARDED,		/* KVM_EXIT_HYPERCALL to the VMM */
	FILTER_LOG_WOULD_DENY,		/* dry_run: would have been denied, left to KVM */
	FILTER_LOG_WOULD_FORWARD,	/* dry_run: would have been forwarded, left to KVM */
};

/* A record of the ring buffer filter_log: one denied or forwarded call. */
struct filter_record {
	unsigned long long time_ns;	/* CLOCK_MONOTONIC (bpf_ktime_get_ns()) */
	unsigned long long pc;		/* the calling instruction */
	unsigned long long args[6];	/* x1..x6 */
	unsigned long long vm_id;	/* whose VM (ctx->vm_id), where the filter is a
					 * cgroup's or the host's */
	unsigned int fid;		/* x0: the SMCCC function id */
	unsigned int vcpu_id;
	unsigned short action;		/* enum filter_log_action */
	unsigned short is_smc;		/* the conduit was SMC (else HVC) */
	unsigned int pid;		/* the VMM's (its tgid) */
};

/*
 * The suggested id of the information call (off unless info_fid sets it): an SMC64/HVC64
 * vendor-specific hypervisor service; x0 = SUCCESS, x1 = calls the filter decided on this
 * VM including this one, x2 = how many of them it denied, x3 = the calling vCPU's id. KVM
 * also names this id (ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_VER_FUNC_ID, which it does not
 * implement itself): the filter answering it hides that service from the guest.
 */
#define FILTER_INFO_FID		0xc6000040U

/*
 * PSCI CPU_ON (SMC32 and SMC64), whose target (x1) the filter can restrict: as
 * <linux/psci.h> has them, for the programs that do not include it.
 */
#ifndef PSCI_0_2_FN_CPU_ON
#define PSCI_0_2_FN_CPU_ON	0x84000003U
#define PSCI_0_2_FN64_CPU_ON	0xc4000003U
#endif
/* The answer to a CPU_ON the filter refuses: PSCI DENIED. */
#define FILTER_CPU_ON_DENIED	(-3LL)
/* The affinity fields of an MPIDR (Aff3, Aff2, Aff1, Aff0). */
#define MPIDR_AFFINITY_MASK	0xff00ffffffULL
/* MPIDR_EL1 bit 31, RES1: set in every MPIDR_EL1 value, so a target is never 0. */
#define MPIDR_RES1		(1ULL << 31)
/* cpu_on_targets[0] when CPU_ON is not restricted (its default). */
#define FILTER_CPU_ON_ANY	(~0ULL)

#define FILTER_MAX_IDS		16
#define FILTER_MAX_RANGES	8	/* ranges set at attach time, and in filter_ranges */
#define FILTER_MAX_RULES	256	/* run-time rules by id */
#define FILTER_MAX_COUNTED	256	/* ids counted in filter_counts (the latest ones) */
#define FILTER_MAX_VMS		1024	/* VMs counted for the information call */
#define FILTER_MAX_CPU_ON	8
#define FILTER_LOG_BYTES	(64 * 1024)

#endif
