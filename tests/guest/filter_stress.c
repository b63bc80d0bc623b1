// SPDX-License-Identifier: GPL-2.0
/*
 * The guest of tests/vmm/filter_stress.c: STRESS_ROUNDS rounds of calls to both ends of each
 * of the two places of the deny range the VMM keeps moving, and to STRESS_MIDDLE between
 * them. An end is denied (NOT_SUPPORTED) or forwarded to the VMM, as the range stood when the
 * filter read it; STRESS_MIDDLE must always reach the VMM: no read of the range is ever half
 * of one edit and half of another.
 */
#include "guest.h"
#include "policy_tests.h"

static const uint32_t ends[] = {
	STRESS_FIRST, STRESS_FIRST + 1, STRESS_LAST - 1, STRESS_LAST,
};

int main(void)
{
	struct smccc_res res;
	uint64_t round;
	unsigned int i;

	for (round = 0; round < STRESS_ROUNDS; round++) {
		for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
			res = smccc_hvc(ends[i], round, i, 0);
			if (res.a0 != SMCCC_RET_NOT_SUPPORTED)
				check_smccc_answer(res, ends[i], round, i, 0);
		}
		res = smccc_hvc(STRESS_MIDDLE, round, 0, 0);
		check_smccc_answer(res, STRESS_MIDDLE, round, 0, 0);
	}
	return 0;
}
