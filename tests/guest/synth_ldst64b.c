// SPDX-License-Identifier: GPL-2.0
/*
 * SYNTHETIC: loads that KVM's routing sees as LD64B or ST64BV (FEAT_LS64 is not in QEMU):
 * tests/bpf/synthetic.bpf.c completes one LD64B by writing Xt..Xt+7, injects an abort for
 * another, forwards a third (KVM_EXIT_ARM_LDST64B, answered by the VMM with an abort), and
 * asks to complete an ST64BV, which KVM refuses: the VMM gets that one too.
 */
#include "guest.h"
#include "policy_tests.h"

#define DATA(off)	(TESTDEV_BASE + TESTDEV_DATA + (off))

static void check_ld64b_completed(void)
{
	register uint64_t x10 asm("x10") = 0;
	register uint64_t x11 asm("x11") = 0;
	register uint64_t x12 asm("x12") = 0;
	register uint64_t x13 asm("x13") = 0;
	register uint64_t x14 asm("x14") = 0;
	register uint64_t x15 asm("x15") = 0;
	register uint64_t x16 asm("x16") = 0;
	register uint64_t x17 asm("x17") = 0;
	uint64_t got[8];
	int i;

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_LD64B);
	asm volatile("ldr %0, [%8]"
		     : "+r"(x10), "+r"(x11), "+r"(x12), "+r"(x13), "+r"(x14), "+r"(x15),
		       "+r"(x16), "+r"(x17)
		     : "r"(DATA(LDST_OFF_HANDLED)) : "memory");
	got[0] = x10; got[1] = x11; got[2] = x12; got[3] = x13;
	got[4] = x14; got[5] = x15; got[6] = x16; got[7] = x17;
	for (i = 0; i < 8; i++)
		GUEST_ASSERT_EQ(got[i], LD64B_WORD(i));
}

int main(void)
{
	check_ld64b_completed();

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_LD64B);
	expect_load_abort(DATA(LDST_OFF_INJECT));

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_LD64B);
	expect_load_abort(DATA(LDST_OFF_TO_USER));

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_ST64BV);
	expect_load_abort(DATA(LDST_OFF_HANDLED));
	return 0;
}
