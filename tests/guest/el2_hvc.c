// SPDX-License-Identifier: GPL-2.0
/*
 * A guest hypervisor: it starts at vEL2, so its HVC is taken by its own EL2 vectors and never
 * reaches the VMM, even with the VMM's FWD_TO_USER filter covering that id. Its SMC (with
 * HCR_EL2.TSC clear) does go through KVM's SMCCC handling and reaches the VMM.
 */
#include "guest.h"

int main(void)
{
	struct smccc_res res;

	GUEST_ASSERT_EQ(current_el(), 2);

	expect_exception();
	{
		register uint64_t x0 asm("x0") = TEST_SMCCC_FWD_BASE + 1;

		asm volatile("hvc #0x42" : "+r"(x0) : : "memory");
	}
	GUEST_ASSERT_EQ(last_exception.count, 1);
	GUEST_ASSERT_EQ(last_exception.el, 2);
	GUEST_ASSERT_EQ(ESR_EC(last_exception.esr), ESR_EC_HVC64);
	GUEST_ASSERT_EQ(ESR_ISS_HVC_IMM(last_exception.esr), 0x42);

	res = smccc_smc(TEST_SMCCC_FWD_BASE + 3, 1, 2, 3);
	GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(TEST_SMCCC_FWD_BASE + 3));
	GUEST_ASSERT_EQ(res.a1, 2);
	return 0;
}
