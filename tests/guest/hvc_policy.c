// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls decided by tests/bpf/hvc_policy.bpf.c: emulated in BPF (HVC and SMC), denied,
 * forwarded to the VMM by the policy (PSCI too) and by the filter, and an Arm Architecture
 * Call the policy never sees.
 */
#include "guest.h"
#include "policy_tests.h"

#define SMCCC_VERSION_1_1	0x10001

int main(void)
{
	struct smccc_res res;

	res = smccc_hvc(HVC_EMULATED, 0x11, 0x22, 0x33);
	check_smccc_answer(res, HVC_EMULATED, 0x11, 0x22, 0x33);
	res = smccc_smc(HVC_EMULATED, 0x44, 0x55, 0x66);
	check_smccc_answer(res, HVC_EMULATED, 0x44, 0x55, 0x66);

	res = smccc_hvc(HVC_DENIED, 1, 2, 3);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);

	res = smccc_hvc(HVC_TO_USER, 1, 2, 3);
	check_smccc_answer(res, HVC_TO_USER, 1, 2, 3);
	res = smccc_hvc(HVC_DEFAULT, 4, 5, 6);
	check_smccc_answer(res, HVC_DEFAULT, 4, 5, 6);
	res = smccc_hvc(PSCI_0_2_VERSION, 7, 8, 9);
	check_smccc_answer(res, PSCI_0_2_VERSION, 7, 8, 9);

	res = smccc_hvc(SMCCC_ARCH_VERSION, 0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, SMCCC_VERSION_1_1);
	return 0;
}
