// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls as fast as the guest can make them while the VMM attaches, replaces and
 * detaches policies: every call must be answered by exactly one of them or by the VMM.
 * Every 64 calls it asks the VMM whether to stop; then it reports how many calls each
 * answered. Built with LIVE_VCPUS (guest hvc_load), vCPU 0 first turns on the others and
 * every vCPU does the same, each reporting its own counts.
 */
#include "guest.h"
#include "policy_tests.h"

#define DATA(off)	(TESTDEV_BASE + TESTDEV_DATA + (off))

int main(void)
{
	uint64_t count_a = 0, count_b = 0, count_vmm = 0, i;
	struct smccc_res res;

#ifdef LIVE_VCPUS
	if (!guest_cpu_id()) {
		for (i = 1; i < LIVE_VCPUS; i++)
			GUEST_ASSERT_EQ(guest_cpu_on(i), 0);
	}
#endif
	for (i = 0;; i++) {
		if (!(i % 64) && *(volatile uint64_t *)DATA(LIVE_OFF_STOP))
			break;
		res = smccc_hvc(HVC_LIVE, i, 0, 0);
		switch (res.a0) {
		case LIVE_TAG_A:
			count_a++;
			break;
		case LIVE_TAG_B:
			count_b++;
			break;
		case LIVE_TAG_VMM:
			count_vmm++;
			break;
		default:
			GUEST_ASSERT_EQ(res.a0, LIVE_TAG_VMM);
		}
	}
	*(volatile uint64_t *)DATA(LIVE_OFF_COUNT_A) = count_a;
	*(volatile uint64_t *)DATA(LIVE_OFF_COUNT_B) = count_b;
	*(volatile uint64_t *)DATA(LIVE_OFF_COUNT_VMM) = count_vmm;
	return 0;
}
