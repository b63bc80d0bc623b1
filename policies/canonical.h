/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The interface of canonical.bpf.c to the programs around it: its SEA verdicts and the
 * records it writes to its ring buffer. Plain C types: included by the policy and by the
 * programs that read its records.
 */
#ifndef KVMEXIT_CANONICAL_H
#define KVMEXIT_CANONICAL_H

/* sea_verdict: what a guest-owned synchronous external abort gets. */
enum canonical_sea_verdict {
	SEA_INJECT = 0,		/* a matching SEA, with sea_iss (0: KVM's syndrome) */
	SEA_FORWARD = 1,	/* KVM_EXIT_ARM_SEA (the VMM enabled KVM_CAP_ARM_SEA_TO_USER) */
	SEA_SERROR = 2,		/* an SError */
};

/* One record in sea_events per SEA, while the rate limit allows. */
struct sea_record {
	unsigned long long ipa;		/* faulting IPA (with the offset in the page) */
	unsigned long long far;		/* faulting guest VA */
	unsigned long long esr;		/* ESR_EL2 of the abort */
	unsigned long long pc;		/* guest PC of the access */
	unsigned long long time_ns;	/* bpf_ktime_get_ns() at the exit */
	unsigned int vcpu_id;
	unsigned int is_iabt;		/* 1: on an instruction fetch */
};

#endif
