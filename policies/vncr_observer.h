/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The interface of vncr_observer.bpf.c: its choice for failed translations and the
 * records of its log map. Plain C types: included by the policy and by its readers.
 */
#ifndef KVMEXIT_VNCR_OBSERVER_H
#define KVMEXIT_VNCR_OBSERVER_H

/* on_failure: what a guest hypervisor gets when its VNCR_EL2 page cannot be translated. */
enum vncr_on_failure {
	VNCR_REPORT_WALK = 0,		/* the fault KVM's walk found (KVM's behaviour) */
	VNCR_REPORT_EXTABT = 1,		/* an external abort, flagged VNCR */
};

#define VNCR_LOG_SIZE	64

/* vncr_log[seq % VNCR_LOG_SIZE]: one entry per fault, the latest VNCR_LOG_SIZE kept. */
struct vncr_record {
	unsigned long long seq;		/* 1 for the VM's first fault (0: empty entry) */
	unsigned long long esr;		/* ESR_EL2 of the fault */
	unsigned long long pc;		/* the access to a VNCR_EL2-backed register */
	unsigned long long vncr;	/* the guest hypervisor's VNCR_EL2: the page's address */
	int result;			/* 0: translated, else -errno of the failure */
	unsigned int fst;		/* fault status of a failed translation */
	unsigned int vcpu_id;
	unsigned int injected;		/* 1: the policy asked for an external abort */
};

#endif
