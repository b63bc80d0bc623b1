// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of tests/vmm/library.c: in each phase, after the VMM changed the policies at
 * the phase mark, LIB_CALL must get the answer of the policy the VMM attached (its tag, and
 * the value it last wrote to the policy's map), or KVM's where none is.
 */
#include "guest.h"
#include "policy_tests.h"

/* Per phase: the tag of the policy answering, 0 for none, and the map's value. */
static const struct {
	uint64_t tag, answer;
} expected[] = {
	{ LIB_TAG(0), 7 },	/* A attached, its map set to 7 */
	{ LIB_TAG(0), 8 },	/* its map changed to 8 at run time */
	{ LIB_TAG(2), 8 },	/* B replaced A in process, keeping its map */
	{ LIB_TAG(3), 0 },	/* C replaced B through B's pin, fresh */
	{ 0, 0 },		/* the pinned link detached, B still holding it */
	{ LIB_TAG(5), 0 },	/* D, host-wide */
	{ LIB_TAG(6), 0 },	/* D detached; E attached */
};

int main(void)
{
	struct smccc_res res;
	unsigned int phase, i;

	for (phase = 0; phase < sizeof(expected) / sizeof(expected[0]); phase++) {
		testdev_write(LIB_PHASE, phase);
		for (i = 0; i < LIB_CALLS; i++) {
			res = smccc_hvc(LIB_CALL, 0, 0, 0);
			if (!expected[phase].tag) {
				GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
				continue;
			}
			GUEST_ASSERT_EQ(res.a0, expected[phase].tag);
			GUEST_ASSERT_EQ(res.a1, expected[phase].answer);
		}
	}
	return 0;
}
