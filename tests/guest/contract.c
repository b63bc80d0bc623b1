// SPDX-License-Identifier: GPL-2.0
/*
 * Calls decided by tests/bpf/contract_policy.bpf.c, each checking what the policy wrote
 * reached this vCPU only where the verdict commits it. x5 is the witness: SMCCC 1.1
 * preserves it, and the policy writes it on every call.
 */
#include "guest.h"
#include "policy_tests.h"

#define WITNESS	0x1234567890abcdefULL

/* A call through @insn: x0..x3 as smccc_hvc(), x5 in and out, and the call's address. */
#define DEFINE_WITNESSED_CALL(name, insn)					\
static struct smccc_res name(uint32_t fid, uint64_t a1, uint64_t *x5_inout,	\
			     uint64_t *pc)					\
{										\
	register uint64_t x0 asm("x0") = fid;					\
	register uint64_t x1 asm("x1") = a1;					\
	register uint64_t x2 asm("x2") = 0;					\
	register uint64_t x3 asm("x3") = 0;					\
	register uint64_t x5 asm("x5") = *x5_inout;				\
	uint64_t at;								\
										\
	asm volatile("adr %5, 1f\n1:\t" insn " #0"				\
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x5), "=&r"(at)	\
		     : : "x4", "x6", "x7", "x8", "x9", "x10", "x11", "x12",	\
		     "x13", "x14", "x15", "x16", "x17", "memory");		\
	*x5_inout = x5;								\
	*pc = at;								\
	return (struct smccc_res){ x0, x1, x2, x3 };				\
}
DEFINE_WITNESSED_CALL(witnessed_hvc, "hvc")
DEFINE_WITNESSED_CALL(witnessed_smc, "smc")

static void check_handled(struct smccc_res res, uint64_t x5, uint64_t pc)
{
	GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(CONTRACT_HANDLED));
	GUEST_ASSERT_EQ(res.a1, pc);	/* ctx->pc: this call's own address */
	GUEST_ASSERT_EQ(x5, CONTRACT_KEPT);
}

int main(void)
{
	struct smccc_res res;
	uint64_t x5, pc;
	int i;

	/* DEFAULT: KVM's PSCI reads the guest's x0, not the policy's SYSTEM_OFF. */
	x5 = WITNESS;
	res = witnessed_hvc(CONTRACT_REWRITE, 0, &x5, &pc);
	GUEST_ASSERT_EQ(res.a0 >> 16, 1);	/* PSCI 1.x */
	GUEST_ASSERT_EQ(x5, WITNESS);

	/* TO_USER: the VMM sees x1 and x5 as the guest left them (it checks, answers). */
	x5 = WITNESS;
	res = witnessed_hvc(CONTRACT_TO_USER, 0x71, &x5, &pc);
	GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(CONTRACT_TO_USER));
	GUEST_ASSERT_EQ(res.a1, 0x72);
	GUEST_ASSERT_EQ(x5, WITNESS);

	/* HANDLED commits, and ctx->pc is the calling instruction for both conduits. */
	x5 = WITNESS;
	res = witnessed_hvc(CONTRACT_HANDLED, 0, &x5, &pc);
	check_handled(res, x5, pc);
	x5 = WITNESS;
	res = witnessed_smc(CONTRACT_HANDLED, 0, &x5, &pc);
	check_handled(res, x5, pc);

	/*
	 * TO_USER for an id the VMM's filter does not forward: refused every time, KVM
	 * answers as without a policy, nothing staged leaks, and the policy stays.
	 */
	for (i = 0; i < CONTRACT_STORM_CALLS; i++) {
		x5 = WITNESS;
		res = witnessed_hvc(CONTRACT_REFUSED, i, &x5, &pc);
		GUEST_ASSERT_EQ(res.a0, SMCCC_RET_NOT_SUPPORTED);
		GUEST_ASSERT_EQ(x5, WITNESS);
	}
	x5 = WITNESS;
	res = witnessed_hvc(CONTRACT_HANDLED, 0, &x5, &pc);
	check_handled(res, x5, pc);

	/* An id the VMM denies: the VMM checks who answered (its own policy may). */
	res = smccc_hvc(CONTRACT_VMM_DENIED, 0, 0, 0);
	res = smccc_hvc(CONTRACT_REPORT, res.a0, 0, 0);
	GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(CONTRACT_REPORT));
	return 0;
}
