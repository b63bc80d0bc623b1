// SPDX-License-Identifier: GPL-2.0
/*
 * The aborts policies/canonical.bpf.c answers: a load without a valid syndrome (NISV),
 * SYNTHETIC LD64B and ST64BV, and SYNTHETIC SEAs in two rate-limit windows. Each must come
 * back as an external data abort at the access; the SEAs as the policy's sea_verdict says:
 * with the ISS the VMM set as its parameter, as the VMM's own abort (forwarded), or as an
 * SError (the load is then retried, and completes as MMIO the VMM answers). The VMM checks
 * what the policy recorded.
 */
#include "guest.h"
#include "policy_tests.h"
#include "canonical.h"

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

/* An SError pends, masked, while the load is retried; it is taken once unmasked. */
static void sea_as_serror(uint64_t addr)
{
	uint64_t before = last_exception.count;

	GUEST_ASSERT_EQ(*(volatile uint64_t *)addr, CANON_SERROR_READ);
	GUEST_ASSERT_EQ(last_exception.count, before);
	expect_exception();
	asm volatile("msr daifclr, #4\n"
		     "isb\n"
		     "msr daifset, #4" : : : "memory");
	GUEST_ASSERT_EQ(last_exception.count, before + 1);
	GUEST_ASSERT_EQ(ESR_EC(last_exception.esr), ESR_EC_SERROR);
}

static void synthetic_seas(unsigned int first, unsigned int n, uint64_t verdict)
{
	uint64_t esr, addr;
	unsigned int i;

	for (i = first; i < first + n; i++) {
		addr = DATA(CANON_OFF_SEA + 8 * i);
		testdev_write(TESTDEV_SYNTHETIC, SYNTH_SEA);
		if (verdict == SEA_SERROR) {
			sea_as_serror(addr);
			continue;
		}
		esr = expect_load_abort(addr);
		if (verdict == SEA_INJECT)
			GUEST_ASSERT_EQ(esr & 0x1ffffff, CANON_SEA_ISS);
		else
			GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
		GUEST_ASSERT_EQ(last_exception.far, addr);
	}
}

int main(void)
{
	uint64_t verdict = *(volatile uint64_t *)DATA(CANON_OFF_SEA_VERDICT);

	nisv_load();
	synthetic_ldst64b(SYNTH_LD64B);
	synthetic_ldst64b(SYNTH_ST64BV);
	synthetic_seas(0, CANON_SEAS_FIRST, verdict);
	testdev_write(TESTDEV_DATA + CANON_OFF_NEXT_WINDOW, 1);
	synthetic_seas(CANON_SEAS_FIRST, CANON_SEAS_SECOND, verdict);
	return 0;
}
