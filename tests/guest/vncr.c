// SPDX-License-Identifier: GPL-2.0
/*
 * A guest hypervisor (vEL2) runs a nested guest hypervisor: HCR_EL2.{NV,NV2} set, so the
 * nested one's read of HCR_EL2 becomes a load from the page at VNCR_EL2, which KVM must
 * translate and map: a VNCR_EL2 fault. First with VNCR_EL2 on a page of guest RAM (the
 * translation succeeds; the nested guest goes on to its HVC), then on an address no memslot
 * backs: the translation fails and the guest hypervisor gets an external abort flagged VNCR,
 * from KVM by default and as the verdict of tests/bpf/vncr_policy.bpf.c under it. (For this
 * failure both give the same syndrome; the VMM checks the policy's verdict was applied.)
 */
#include "guest.h"
#include "policy_tests.h"

#define HCR_RW		(1UL << 31)
#define HCR_E2H		(1UL << 34)
#define HCR_NV		(1UL << 42)
#define HCR_NV2		(1UL << 45)
#define ESR_VNCR	(1UL << 13)
#define SCTLR_EL1_RES1	0x30d00800UL
#define SPSR_EL1H_MASKED	0x3c5UL

static uint8_t vncr_page[4096] __attribute__((aligned(4096)));

/* Run the nested guest with VNCR_EL2 = @vncr until it exits to us; its exit's ESR. */
static uint64_t run_nested(uint64_t vncr)
{
	uint64_t hcr, saved_hcr;
	extern char nested_code[], nested_return[];

	asm volatile("mrs %0, hcr_el2" : "=r"(saved_hcr));
	hcr = saved_hcr | HCR_RW | HCR_E2H | HCR_NV | HCR_NV2;
	expect_nested_exit(nested_return);
	asm volatile("msr	S3_4_C2_C2_0, %[vncr]\n"	/* VNCR_EL2 */
		     "msr	S3_5_C1_C0_0, %[sctlr]\n"	/* SCTLR_EL12: MMU off */
		     "msr	elr_el2, %[entry]\n"
		     "msr	spsr_el2, %[spsr]\n"
		     "msr	hcr_el2, %[hcr]\n"
		     "isb\n"
		     "eret\n"
		     "nested_code:\n"
		     "	mrs	x1, hcr_el2\n"		/* NV2: a load from VNCR_EL2 + 0x78 */
		     "	hvc	#0x11\n"
		     "	b	.\n"
		     "nested_return:\n"
		     "	msr	hcr_el2, %[saved]\n"
		     "	isb\n"
		     : : [vncr] "r"(vncr), [sctlr] "r"(SCTLR_EL1_RES1), [entry] "r"(nested_code),
		       [spsr] "r"(SPSR_EL1H_MASKED), [hcr] "r"(hcr), [saved] "r"(saved_hcr)
		     : "x1", "memory");
	return last_exception.esr;
}

int main(void)
{
	uint64_t esr, count;

	GUEST_ASSERT_EQ(current_el(), 2);

	count = last_exception.count;
	esr = run_nested((uint64_t)vncr_page);
	GUEST_ASSERT_EQ(last_exception.count, count + 1);
	GUEST_ASSERT_EQ(ESR_EC(esr), ESR_EC_HVC64);
	GUEST_ASSERT_EQ(ESR_ISS_HVC_IMM(esr), 0x11);

	esr = run_nested(VNCR_UNBACKED);
	testdev_write(TESTDEV_DATA + VNCR_OFF_ESR, esr);
	GUEST_ASSERT_EQ(last_exception.count, count + 2);
	GUEST_ASSERT(esr & ESR_VNCR);
	GUEST_ASSERT_EQ(ESR_DFSC(esr), ESR_DFSC_EXTABT);
	return 0;
}
