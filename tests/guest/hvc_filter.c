// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls under policies/hypercall_filter.bpf.c, attached from outside by
 * tests/suites/policies-filter.sh with the rules that script sets, one phase per policy
 * state: 1. its attach-time rules (ids, a range, default deny, CPU_ON targets, the
 * information call set); 2. run-time rules set with kvmexit rule (one of them invalid, one
 * forwarding an id the VMM does not take, a range, SMCCC names from a file); 3. the same
 * after kvmexit replace (all of it kept); 4. a dry run (replaced --fresh); 5. the defaults
 * (no information call) and more distinct denied ids than the filter counts one by one or
 * logs at its rate. Every range is called at both ends. Every answer is checked, and the
 * filter's own count of what it decided (its information call).
 */
#include "guest.h"
#include "policy_tests.h"
#include "hypercall_filter.h"

#define DATA(off)		(TESTDEV_BASE + TESTDEV_DATA + (off))
#define SMCCC_VERSION_1_1	0x10001
#define PSCI_VERSION_1_3	0x10003	/* KVM's */
#define PSCI_RET_INVALID_PARAMS	(-2LL)
#define PSCI_RET_ALREADY_ON	(-4LL)

static void wait_phase(uint64_t phase)
{
	while (*(volatile uint64_t *)DATA(FILTER_OFF_PHASE) < phase)
		;
}

/* An HVC with x1..x6 set: the filter's log records all six. */
static uint64_t hvc6(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		     uint64_t a5, uint64_t a6)
{
	register uint64_t x0 asm("x0") = fid;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;
	register uint64_t x4 asm("x4") = a4;
	register uint64_t x5 asm("x5") = a5;
	register uint64_t x6 asm("x6") = a6;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
		     "+r"(x6) : : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
		     "x16", "x17", "memory");
	return x0;
}

/* The filter's information call: the calls it decided so far, this one included. */
static void check_filter_info(uint64_t calls, uint64_t denied)
{
	struct smccc_res res = smccc_hvc(FILTER_INFO_FID, 0, 0, 0);

	GUEST_ASSERT_EQ(res.a0, 0);
	GUEST_ASSERT_EQ(res.a1, calls);
	GUEST_ASSERT_EQ(res.a2, denied);
	GUEST_ASSERT_EQ(res.a3, 0);	/* vCPU 0 */
}

static uint64_t cpu_on(uint64_t target)
{
	return smccc_hvc(PSCI_0_2_FN64_CPU_ON, target, GUEST_RAM_BASE, 0).a0;
}

static uint64_t cpu_on32(uint64_t target)
{
	return smccc_hvc(PSCI_0_2_FN_CPU_ON, target, GUEST_RAM_BASE, 0).a0;
}

static void phase_attach_time(void)
{
	struct smccc_res res;

	/* In deny_ids, and in the allowed range: the id wins. */
	GUEST_ASSERT_EQ(hvc6(TEST_SMCCC_FWD_BASE + 1, 1, 2, 3, 4, 5, 6), SMCCC_RET_NOT_SUPPORTED);
	/* In the allowed range: left to KVM, whose SMCCC filter forwards it to the VMM. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 2, 4, 5, 6);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 2, 4, 5, 6);
	/* In forward_ids: forwarded by the policy. */
	res = smccc_smc(TEST_SMCCC_FWD_BASE + 3, 7, 8, 9);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 3, 7, 8, 9);
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 4, 16, 17, 18);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 4, 16, 17, 18);
	/* No rule, default deny: KVM would have answered its PSCI version. */
	res = smccc_hvc(PSCI_0_2_VERSION, 0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	/* An Arm Architecture Call: never seen by a policy, KVM answers. */
	res = smccc_hvc(SMCCC_ARCH_VERSION, 0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, SMCCC_VERSION_1_1);
	/* CPU_ON to allowed targets reaches KVM's PSCI: this CPU is on, 0x100 does not exist. */
	GUEST_ASSERT_EQ(cpu_on(0), PSCI_RET_ALREADY_ON);
	GUEST_ASSERT_EQ(cpu_on(0x100), PSCI_RET_INVALID_PARAMS);
	/* A target the filter refuses: DENIED, where KVM would say INVALID_PARAMS; SMC32 too. */
	GUEST_ASSERT_EQ(cpu_on(1), FILTER_CPU_ON_DENIED);
	GUEST_ASSERT_EQ(cpu_on32(1), FILTER_CPU_ON_DENIED);
	GUEST_ASSERT_EQ(cpu_on32(0), PSCI_RET_ALREADY_ON);
	/* Both ends of the allowed range: left to KVM, whose filter forwards them. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE, 31, 32, 33);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE, 31, 32, 33);
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 15, 34, 35, 36);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 15, 34, 35, 36);
	check_filter_info(13, 4);
}

static void phase_run_time(void)
{
	struct smccc_res res;

	/* Run-time rules: the first id allowed, the second denied, a range denied. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 1, 10, 11, 12);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 1, 10, 11, 12);
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 2, 13, 14, 15);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 4, 19, 20, 21);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	/* Its id rule has no valid action: ignored, the range decides. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 5, 22, 23, 24);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	/* Forwarded by a rule, but the VMM's filter does not forward it: the filter denies. */
	res = smccc_hvc(TEST_SMCCC_UNFILTERED, 25, 26, 27);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	/* From the rules file: PSCI_VERSION allowed, PSCI_CPU_ON (both ids) denied. */
	GUEST_ASSERT_EQ(smccc_hvc(PSCI_0_2_VERSION, 0, 0, 0).a0, PSCI_VERSION_1_3);
	GUEST_ASSERT_EQ(cpu_on32(0), SMCCC_RET_NOT_SUPPORTED);
	GUEST_ASSERT_EQ(cpu_on(0), SMCCC_RET_NOT_SUPPORTED);
	check_filter_info(22, 10);
}

/*
 * The same filter again, replaced by itself with no parameter given: the run-time rules,
 * the ranges (both ends), the parameters (the information call) and the counts all stayed.
 */
static void phase_replaced(void)
{
	GUEST_ASSERT_EQ(smccc_hvc(TEST_SMCCC_FWD_BASE + 2, 37, 38, 39).a0,
			SMCCC_RET_NOT_SUPPORTED);
	GUEST_ASSERT_EQ(smccc_hvc(TEST_SMCCC_FWD_BASE + 4, 40, 41, 42).a0,
			SMCCC_RET_NOT_SUPPORTED);
	GUEST_ASSERT_EQ(smccc_hvc(TEST_SMCCC_FWD_BASE + 5, 43, 44, 45).a0,
			SMCCC_RET_NOT_SUPPORTED);
	GUEST_ASSERT_EQ(smccc_hvc(PSCI_0_2_VERSION, 0, 0, 0).a0, PSCI_VERSION_1_3);
	GUEST_ASSERT_EQ(cpu_on(0), SMCCC_RET_NOT_SUPPORTED);
	check_filter_info(28, 14);
}

/* dry_run: what the filter would deny or forward gets KVM's answer. */
static void phase_dry_run(void)
{
	struct smccc_res res;

	GUEST_ASSERT_EQ(smccc_hvc(PSCI_0_2_VERSION, 0, 0, 0).a0, PSCI_VERSION_1_3);
	/* Would be forwarded by the policy: KVM's SMCCC filter forwards it all the same. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 3, 28, 29, 30);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 3, 28, 29, 30);
	GUEST_ASSERT_EQ(cpu_on(1), PSCI_RET_INVALID_PARAMS);
}

static void phase_defaults(void)
{
	uint32_t i;

	/* No information call by default: KVM's answer to the id. */
	GUEST_ASSERT_EQ(smccc_hvc(FILTER_INFO_FID, 0, 0, 0).a0, SMCCC_RET_NOT_SUPPORTED);
	for (i = 0; i < FILTER_STORM_CALLS; i++)
		GUEST_ASSERT_EQ(smccc_hvc(FILTER_STORM_BASE + i, i, 0, 0).a0,
				SMCCC_RET_NOT_SUPPORTED);
	/* The deny range's last id (KVM would answer NOT_SUPPORTED too: the counts tell). */
	GUEST_ASSERT_EQ(smccc_hvc(FILTER_STORM_LAST, 0, 0, 0).a0, SMCCC_RET_NOT_SUPPORTED);
}

int main(void)
{
	static void (*const phases[])(void) = {
		phase_attach_time, phase_run_time, phase_replaced, phase_dry_run, phase_defaults,
	};
	uint64_t i;

	for (i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		wait_phase(i + 1);
		phases[i]();
		testdev_write(TESTDEV_DATA + FILTER_OFF_DONE, i + 1);
	}
	/* The script reads the counters while this VM still exists. */
	wait_phase(i + 1);
	return 0;
}
