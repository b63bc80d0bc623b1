// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls forwarded to the VMM by KVM_ARM_VM_SMCCC_FILTER (FWD_TO_USER): an HVC and an
 * SMC in the filtered range come back with the VMM's answer; an id outside it is answered
 * by KVM (NOT_SUPPORTED) without reaching the VMM.
 */
#include "guest.h"

int main(void)
{
	struct smccc_res res;

	res = smccc_hvc(TEST_SMCCC_FWD_BASE + 1, 0x11, 0x22, 0x33);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 1, 0x11, 0x22, 0x33);

	res = smccc_smc(TEST_SMCCC_FWD_BASE + 2, 0x44, 0x55, 0x66);
	check_smccc_answer(res, TEST_SMCCC_FWD_BASE + 2, 0x44, 0x55, 0x66);

	res = smccc_hvc(TEST_SMCCC_UNFILTERED, 0x77, 0, 0);
	GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	return 0;
}
