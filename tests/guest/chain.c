// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls through a chain of policies (tests/vmm/policy_chain.c): each answered by the
 * first policy that answers it, or by KVM; a policy refused or erring leaves nothing the
 * next one or KVM could see (x5 stays as the guest set it).
 */
#include "guest.h"
#include "policy_tests.h"

#define X5_GUEST	0x5e5e5e5e5e5e5e5eULL

/* An SMCCC call through HVC that also passes x5 and returns it. */
static struct smccc_res call_x5(uint32_t fid, uint64_t *x5)
{
	register uint64_t x0 asm("x0") = fid, x1 asm("x1") = 0, x2 asm("x2") = 0;
	register uint64_t x3 asm("x3") = 0, r5 asm("x5") = X5_GUEST;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(r5) : : "memory");
	*x5 = r5;
	return (struct smccc_res){ x0, x1, x2, x3 };
}

static void expect_answer(uint32_t fid, uint64_t tag)
{
	struct smccc_res res;
	uint64_t x5;

	res = call_x5(fid, &x5);
	GUEST_ASSERT_EQ(res.a0, tag);
	GUEST_ASSERT_EQ(res.a1, fid);
	GUEST_ASSERT_EQ(x5, X5_GUEST);
}

int main(void)
{
	struct smccc_res res;
	uint64_t x5;
	int i;

	for (i = 0; i < CHAIN_ROUNDS; i++) {
		expect_answer(CHAIN_A, CHAIN_TAG_A);
		expect_answer(CHAIN_B, CHAIN_TAG_B);
		expect_answer(CHAIN_BOTH, CHAIN_TAG_A);
		expect_answer(CHAIN_REFUSED, CHAIN_TAG_B);
		res = call_x5(CHAIN_NONE, &x5);
		GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
		GUEST_ASSERT_EQ(x5, X5_GUEST);
	}
	/* E errs on each; after 64, KVM ejects it, and B answers them all throughout. */
	for (i = 0; i < CHAIN_ERR_CALLS; i++)
		expect_answer(CHAIN_ERR, CHAIN_TAG_B);
	return 0;
}
