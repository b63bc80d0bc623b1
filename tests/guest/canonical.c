// SPDX-License-Identifier: GPL-2.0
/*
 * The aborts policies/canonical.bpf.c answers: a load without a valid syndrome (NISV),
 * SYNTHETIC LD64B and ST64BV, and SYNTHETIC SEAs in two rate-limit windows. Each must come
 * back as an external data abort at the access; the SEAs with the ISS the VMM set as the
 * policy's parameter, or, where the policy forwards them, as the VMM's own abort. The VMM
 * checks what the policy recorded.
 */
#include "guest.h"
#include "policy_tests.h"

#define DATA(off)	(TESTDEV_BASE + TESTDEV_DATA + (off))

static void nisv_load(void)
{
	extern char canonical_nisv_load[];
	uint64_t before = last_exception.count, x1_after;

	expect_exception();
	{
		register uint64_t x0 asm("x0") = 0x1234;
		register uint64_t x1 asm("x1") = DATA(CANON_OFF_NISV);

		asm volatile("canonical_nisv_load: ldr %0, [%1], #8"
			     : "+r"(x0), "+r"(x1) : : "memory");
		x1_after = x1;
	}
	GUEST_ASSERT_EQ(last_exception.count, before + 1);
	GUEST_ASSERT_EQ(ESR_EC(last_exception.esr), ESR_EC_DABT_CUR);
	GUEST_ASSERT_EQ(ESR_DFSC(last_exception.esr), ESR_DFSC_EXTABT);
	GUEST_ASSERT_EQ(last_exception.far, DATA(CANON_OFF_NISV));
	GUEST_ASSERT_EQ(last_exception.elr, (uint64_t)canonical_nisv_load);
	GUEST_ASSERT_EQ(x1_after, DATA(CANON_OFF_NISV));	/* no writeback */
}

static void synthetic_ldst64b(uint64_t which)
{
	uint64_t esr;

	testdev_write(TESTDEV_SYNTHETIC, which);
	esr = expect_load_abort(DATA(CANON_OFF_LDST));
	GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
	GUEST_ASSERT_EQ(last_exception.far, DATA(CANON_OFF_LDST));
}

static void synthetic_seas(unsigned int first, unsigned int n, uint64_t iss)
{
	unsigned int i;
	uint64_t esr;

	for (i = first; i < first + n; i++) {
		testdev_write(TESTDEV_SYNTHETIC, SYNTH_SEA);
		esr = expect_load_abort(DATA(CANON_OFF_SEA + 8 * i));
		if (iss)
			GUEST_ASSERT_EQ(esr & 0x1ffffff, iss);
		else
			GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
		GUEST_ASSERT_EQ(last_exception.far, DATA(CANON_OFF_SEA + 8 * i));
	}
}

int main(void)
{
	uint64_t iss = *(volatile uint64_t *)DATA(CANON_OFF_SEA_ISS);

	nisv_load();
	synthetic_ldst64b(SYNTH_LD64B);
	synthetic_ldst64b(SYNTH_ST64BV);
	synthetic_seas(0, CANON_SEAS_FIRST, iss);
	testdev_write(TESTDEV_DATA + CANON_OFF_NEXT_WINDOW, 1);
	synthetic_seas(CANON_SEAS_FIRST, CANON_SEAS_SECOND, iss);
	return 0;
}
