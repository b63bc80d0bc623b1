// SPDX-License-Identifier: GPL-2.0
/*
 * Many forwarded hypercalls in a row, under a policy that answers each with a verdict the
 * exit forbids: every call must still get the VMM's answer.
 */
#include "guest.h"
#include "policy_tests.h"

int main(void)
{
	struct smccc_res res;
	uint64_t i;

	for (i = 0; i < HVC_STORM_CALLS; i++) {
		res = smccc_hvc(HVC_DEFAULT, i, 0, 0);
		GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(HVC_DEFAULT));
		GUEST_ASSERT_EQ(res.a1, i + 1);
	}
	return 0;
}
