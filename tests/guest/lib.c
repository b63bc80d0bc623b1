// SPDX-License-Identifier: GPL-2.0
/* Output, failure reporting and the exception handler shared by all test guests. */
#include "guest.h"

volatile struct exception_record last_exception;
static volatile bool exception_expected;
static const void *volatile nested_resume;

void (*guest_irq_handler)(void);

/* Vector entries in start.S: synchronous, from the current EL and from a lower AArch64 EL. */
#define VECTOR_SYNC_CURRENT	4
#define VECTOR_IRQ_CURRENT	5
#define VECTOR_SERROR_CURRENT	7
#define VECTOR_SYNC_LOWER	8
#define SPSR_EL2H_MASKED	0x3c9

void expect_nested_exit(const void *resume)
{
	nested_resume = resume;
}

void guest_puts(const char *s)
{
	while (*s)
		testdev_write(TESTDEV_PUTC, *s++);
}

void guest_put_hex(uint64_t v)
{
	char buf[19] = "0x";
	int i;

	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = 0;
	guest_puts(buf);
}

void guest_fail(int line, const char *what, uint64_t a, uint64_t b)
{
	guest_puts("guest assertion failed: ");
	guest_puts(what);
	guest_puts(" (");
	guest_put_hex(a);
	guest_puts(", ");
	guest_put_hex(b);
	guest_puts(")\n");
	testdev_write(TESTDEV_DONE, line);
	for (;;)
		asm volatile("wfi");
}

void expect_exception(void)
{
	exception_expected = true;
}

#define READ_ELX(reg, el)							\
	({									\
		uint64_t __v;							\
		if ((el) == 2)							\
			asm volatile("mrs %0, " #reg "_el2" : "=r"(__v));	\
		else								\
			asm volatile("mrs %0, " #reg "_el1" : "=r"(__v));	\
		__v;								\
	})

/* Called from the vectors in start.S; vector 4 is a synchronous exception at the current EL. */
void guest_exception(struct exc_regs *regs, unsigned long vector)
{
	unsigned int el = current_el();
	uint64_t esr = READ_ELX(esr, el);
	uint64_t elr = READ_ELX(elr, el);

	(void)regs;
	if (vector == VECTOR_IRQ_CURRENT && guest_irq_handler) {
		guest_irq_handler();
		return;
	}
	if (vector == VECTOR_SYNC_LOWER && el == 2 && nested_resume) {
		last_exception.count++;
		last_exception.esr = esr;
		last_exception.far = READ_ELX(far, el);
		last_exception.elr = elr;
		last_exception.el = el;
		asm volatile("msr elr_el2, %0\n"
			     "msr spsr_el2, %1" : : "r"(nested_resume), "r"(SPSR_EL2H_MASKED));
		nested_resume = NULL;
		return;
	}
	if ((vector != VECTOR_SYNC_CURRENT && vector != VECTOR_SERROR_CURRENT) ||
	    !exception_expected)
		guest_fail(__LINE__, "unexpected exception: vector, ESR", vector, esr);

	exception_expected = false;
	last_exception.count++;
	last_exception.esr = esr;
	last_exception.far = READ_ELX(far, el);
	last_exception.elr = elr;
	last_exception.el = el;

	/* Aborts return to the faulting instruction; HVC/SMC already point past theirs. */
	if (ESR_EC(esr) == ESR_EC_DABT_CUR || ESR_EC(esr) == ESR_EC_IABT_CUR) {
		if (el == 2)
			asm volatile("msr elr_el2, %0" : : "r"(elr + 4));
		else
			asm volatile("msr elr_el1, %0" : : "r"(elr + 4));
	}
}

uint64_t expect_load_abort(uint64_t addr)
{
	uint64_t before = last_exception.count;
	extern char abort_load[];

	expect_exception();
	{
		register uint64_t x2 asm("x2") = addr;

		asm volatile("abort_load: ldr x3, [%0]" : : "r"(x2) : "x3", "memory");
	}
	GUEST_ASSERT_EQ(last_exception.count, before + 1);
	GUEST_ASSERT_EQ(ESR_EC(last_exception.esr), ESR_EC_DABT_CUR);
	GUEST_ASSERT_EQ(last_exception.elr, (uint64_t)abort_load);
	return last_exception.esr;
}

void check_smccc_answer(struct smccc_res res, uint32_t fid, uint64_t a1, uint64_t a2,
			uint64_t a3)
{
	GUEST_ASSERT_EQ(res.a0, TEST_SMCCC_ANSWER(fid));
	GUEST_ASSERT_EQ(res.a1, a1 + 1);
	GUEST_ASSERT_EQ(res.a2, a2 + 1);
	GUEST_ASSERT_EQ(res.a3, a3 + 1);
}

#define PSCI_0_2_FN64_CPU_ON	0xc4000003U

int64_t guest_cpu_on(unsigned int cpu)
{
	extern char _start[];

	return (int64_t)smccc_hvc(PSCI_0_2_FN64_CPU_ON, cpu, (uint64_t)_start, 0).a0;
}
