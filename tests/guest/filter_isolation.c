// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of tests/vmm/filter_isolation.c: as many denied calls as its VMM says, then the
 * hypercall filter's information call, which must count this VM's calls alone (x1: the
 * calls it decided, this one included; x2: those it denied), whatever other VMs did.
 */
#include "guest.h"
#include "policy_tests.h"

int main(void)
{
	uint64_t calls = *(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_DATA), i;
	struct smccc_res res;

	for (i = 0; i < calls; i++)
		GUEST_ASSERT_EQ(smccc_hvc(ISOLATION_DENIED, i, 0, 0).a0, SMCCC_RET_NOT_SUPPORTED);
	res = smccc_hvc(ISOLATION_INFO_FID, 0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, 0);	/* SUCCESS */
	GUEST_ASSERT_EQ(res.a1, calls + 1);
	GUEST_ASSERT_EQ(res.a2, calls);
	return 0;
}
