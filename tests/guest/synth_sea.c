// SPDX-License-Identifier: GPL-2.0
/*
 * SYNTHETIC: loads that KVM's routing sees as synchronous external aborts (QEMU cannot
 * route a real one to EL2). tests/bpf/synthetic.bpf.c injects the first back with an ISS of
 * its choosing, forwards the second to the VMM (KVM_EXIT_ARM_SEA), which injects an
 * external abort with KVM_SET_VCPU_EVENTS, and injects the third, whose FAR KVM did not
 * have (FnV), with KVM's own syndrome.
 */
#include "guest.h"
#include "policy_tests.h"

#define DATA(off)	(TESTDEV_BASE + TESTDEV_DATA + (off))

int main(void)
{
	uint64_t esr;

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_SEA);
	esr = expect_load_abort(DATA(SEA_OFF_INJECT));
	GUEST_ASSERT_EQ(esr & 0x1ffffff, SEA_POLICY_ISS);
	GUEST_ASSERT_EQ(last_exception.far, DATA(SEA_OFF_INJECT));

	testdev_write(TESTDEV_SYNTHETIC, SYNTH_SEA);
	esr = expect_load_abort(DATA(SEA_OFF_TO_USER));
	GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
	GUEST_ASSERT_EQ(last_exception.far, DATA(SEA_OFF_TO_USER));

	/* KVM had no valid FAR: the injected abort, in KVM's syndrome, says so too. */
	testdev_write(TESTDEV_SYNTHETIC, SYNTH_SEA_FNV);
	esr = expect_load_abort(DATA(SEA_OFF_FNV));
	GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
	GUEST_ASSERT(esr & ESR_FNV);
	return 0;
}
