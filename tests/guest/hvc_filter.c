// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls under policies/hypercall_filter.bpf.c, attached from outside by
 * tests/suites/policies-filter.sh with the rules that script sets: in phase 1 its
 * attach-time rules (ids, a range, default deny, CPU_ON targets), in phase 2 after it
 * changed id rules (filter_rules, one of them invalid, one forwarding an id the VMM
 * does not take) and added a range (filter_ranges) while this guest waited. Every answer is
 * checked, and the filter's own count of what it decided (its information call).
 */
#include "guest.h"
#include "policy_tests.h"
#include "hypercall_filter.h"

#define DATA(off)		(TESTDEV_BASE + TESTDEV_DATA + (off))
#define SMCCC_VERSION_1_1	0x10001
#define PSCI_RET_INVALID_PARAMS	(-2LL)
#define PSCI_RET_ALREADY_ON	(-4LL)

static void wait_phase(uint64_t phase)
{
	while (*(volatile uint64_t *)DATA(FILTER_OFF_PHASE) < phase)
		;
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

int main(void)
{
	struct smccc_res res;

	wait_phase(1);
	/* In deny_ids, and in the allowed range: the id wins. */
	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 1, 1, 2, 3);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
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
	/* A target the filter refuses: DENIED, where KVM would say INVALID_PARAMS. */
	GUEST_ASSERT_EQ(cpu_on(1), FILTER_CPU_ON_DENIED);
	check_filter_info(9, 3);
	testdev_write(TESTDEV_DATA + FILTER_OFF_DONE, 1);

	/* Run-time rules: the first id allowed, the second denied, a range denied. */
	wait_phase(2);
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
	check_filter_info(15, 7);
	testdev_write(TESTDEV_DATA + FILTER_OFF_DONE, 2);

	/* The script reads the counters while this VM still exists. */
	wait_phase(3);
	return 0;
}
