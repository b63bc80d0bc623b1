// SPDX-License-Identifier: GPL-2.0
/*
 * In a protected VM: hypercalls a host-wide policy would answer (HVC_LIVE, tagged), which
 * KVM must answer itself with NOT_SUPPORTED: no policy sees a protected VM's exits.
 */
#include "guest.h"
#include "policy_tests.h"

int main(void)
{
	struct smccc_res res;
	int i;

	for (i = 0; i < PVM_CALLS; i++) {
		res = smccc_hvc(HVC_LIVE, i, 0, 0);
		GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
	}
	return 0;
}
