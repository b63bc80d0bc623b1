/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The interface of hypercall_filter.bpf.c to the programs around it: the actions of its
 * run-time rules, its per-id counters and its information call. Plain C types: included by
 * the policy, by VMMs and tools reading its maps, and by bare-metal guests.
 */
#ifndef KVMEXIT_HYPERCALL_FILTER_H
#define KVMEXIT_HYPERCALL_FILTER_H

/* The value of a rule in filter_rules (key: function id) or filter_ranges. */
enum filter_action {
	FILTER_NONE = 0,	/* no rule: look further */
	FILTER_ALLOW = 1,	/* leave the call to KVM (its PSCI, its SMCCC filter, ...) */
	FILTER_DENY = 2,	/* answer NOT_SUPPORTED in x0 */
	FILTER_FORWARD = 3,	/* KVM_EXIT_HYPERCALL to the VMM (its filter must forward the id) */
};

/* filter_ranges entries: function ids first..last (inclusive) get action. */
struct filter_range {
	unsigned int first;
	unsigned int last;
	unsigned int action;
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
 * The information call (default function id, an SMC64/HVC64 vendor-specific hypervisor
 * service): x0 = SUCCESS, x1 = calls the filter decided on this VM including this one,
 * x2 = how many of them it denied, x3 = the calling vCPU's id.
 */
#define FILTER_INFO_FID		0xc6000040U

/* PSCI CPU_ON (SMC32 and SMC64), whose target (x1) the filter can restrict. */
#define PSCI_0_2_FN_CPU_ON	0x84000003U
#define PSCI_0_2_FN64_CPU_ON	0xc4000003U
/* The answer to a CPU_ON the filter refuses: PSCI DENIED. */
#define FILTER_CPU_ON_DENIED	(-3LL)
/* The affinity fields of an MPIDR (Aff3, Aff2, Aff1, Aff0). */
#define MPIDR_AFFINITY_MASK	0xff00ffffffULL

#define FILTER_MAX_IDS		16
#define FILTER_MAX_RANGES	8	/* ranges set at attach time, and in filter_ranges */
#define FILTER_MAX_RULES	256	/* run-time rules by id, and ids counted */
#define FILTER_MAX_CPU_ON	8

#endif
