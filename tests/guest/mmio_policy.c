// SPDX-License-Identifier: GPL-2.0
/*
 * The same MMIO accesses, answered by a policy in the kernel (tests/bpf/mmio_device.bpf.c),
 * then a register the policy answers with an abort and one it forwards to the VMM.
 */
#include "guest.h"
#include "mmio_access.h"
#include "policy_tests.h"

int main(void)
{
	uint64_t val;

	check_mmio_accesses();

	expect_exception();
	{
		register uint64_t x2 asm("x2") = 0x1234;

		asm volatile("mmio_inject: ldr %0, [%1]" : "+r"(x2)
			     : "r"(DATA(MMIO_OFF_INJECT)) : "memory");
		val = x2;
	}
	{
		extern char mmio_inject[];

		GUEST_ASSERT_EQ(last_exception.count, 1);
		GUEST_ASSERT_EQ(ESR_EC(last_exception.esr), ESR_EC_DABT_CUR);
		GUEST_ASSERT_EQ(ESR_DFSC(last_exception.esr), ESR_DFSC_EXTABT);
		GUEST_ASSERT_EQ(last_exception.far, DATA(MMIO_OFF_INJECT));
		GUEST_ASSERT_EQ(last_exception.elr, (uint64_t)mmio_inject);
		GUEST_ASSERT_EQ(val, 0x1234);
	}

	val = *(volatile uint32_t *)DATA(MMIO_OFF_TO_USER);
	GUEST_ASSERT_EQ(val, MMIO_TO_USER_ANSWER);
	return 0;
}
