// SPDX-License-Identifier: GPL-2.0
/*
 * A post-indexed load from MMIO has no valid syndrome (ESR.ISV = 0): with
 * KVM_CAP_ARM_NISV_TO_USER it reaches the VMM as KVM_EXIT_ARM_NISV, and the VMM answers by
 * injecting an external data abort, which the guest must see at the faulting instruction
 * with neither the destination nor the base register changed.
 */
#include "guest.h"

int main(void)
{
	const uint64_t addr = TESTDEV_BASE + TESTDEV_DATA;
	extern char nisv_load[];
	uint64_t esr, x0_after, x1_after;

	expect_exception();
	{
		/* Declared after the call: a call may clobber x0/x1 before the asm. */
		register uint64_t x0 asm("x0") = 0x1234;
		register uint64_t x1 asm("x1") = addr;

		asm volatile("nisv_load: ldr %0, [%1], #8" : "+r"(x0), "+r"(x1) : : "memory");
		x0_after = x0;
		x1_after = x1;
	}

	esr = last_exception.esr;
	GUEST_ASSERT_EQ(last_exception.count, 1);
	GUEST_ASSERT_EQ(ESR_EC(esr), ESR_EC_DABT_CUR);
	GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
	GUEST_ASSERT_EQ(last_exception.far, addr);
	GUEST_ASSERT_EQ(last_exception.elr, (uint64_t)nisv_load);
	GUEST_ASSERT_EQ(x0_after, 0x1234);
	GUEST_ASSERT_EQ(x1_after, addr);
	return 0;
}
