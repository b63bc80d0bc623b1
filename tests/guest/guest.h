/* SPDX-License-Identifier: GPL-2.0 */
/* What every test guest links against: output, assertions and exception capture. */
#ifndef KVMEXIT_GUEST_H
#define KVMEXIT_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "testdev.h"

#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_HVC64		0x16
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SERROR		0x2f
#define ESR_ISS_HVC_IMM(esr)	((esr) & 0xffff)
#define ESR_DFSC(esr)		((esr) & 0x3f)
#define ESR_DFSC_EXTABT		0x10
#define ESR_FNV			(1u << 10)	/* FAR not valid */

struct exc_regs {
	uint64_t x[31];
	uint64_t pad;
};

/* The last exception the guest took while one was expected. */
struct exception_record {
	uint64_t count;
	uint64_t esr;
	uint64_t far;
	uint64_t elr;
	unsigned int el;
};

extern volatile struct exception_record last_exception;

/*
 * Accept the next synchronous exception (record it and resume after the trapping
 * instruction) or SError (record it).
 */
void expect_exception(void);
/*
 * A guest hypervisor about to run a nested guest: accept the next synchronous exception
 * from the lower EL, record it, and resume at vEL2 at @resume, with the registers the
 * nested guest left (the nested guest must only change those its caller clobbers).
 */
void expect_nested_exit(const void *resume);

/* Called for each IRQ the guest takes, once set. */
extern void (*guest_irq_handler)(void);

/* The in-kernel vGICv3 (gic.c): route SPI @intid to this vCPU in group 1 and enable it. */
void gic_init_spi(unsigned int intid);
/* In an IRQ handler: acknowledge the interrupt (its INTID), and end it. */
uint64_t gic_ack(void);
void gic_eoi(uint64_t intid);
/* Wait (in WFI) until the guest's IRQ handler has counted @n interrupts in @count, not more. */
void wait_irqs(volatile uint64_t *count, uint64_t n);

void guest_puts(const char *s);
void guest_put_hex(uint64_t v);
void __attribute__((noreturn)) guest_fail(int line, const char *what, uint64_t a, uint64_t b);

#define GUEST_ASSERT(cond)							\
	do {									\
		if (!(cond))							\
			guest_fail(__LINE__, #cond, 0, 0);			\
	} while (0)

#define GUEST_ASSERT_EQ(a, b)							\
	do {									\
		uint64_t __a = (a), __b = (b);					\
		if (__a != __b)							\
			guest_fail(__LINE__, #a " == " #b, __a, __b);		\
	} while (0)

static inline unsigned int current_el(void)
{
	uint64_t el;

	asm volatile("mrs %0, CurrentEL" : "=r"(el));
	return (el >> 2) & 3;
}

static inline void testdev_write(unsigned long offset, uint64_t v)
{
	*(volatile uint64_t *)(TESTDEV_BASE + offset) = v;
}

/* A load that must fault with an external abort: returns the ESR, checks FAR and ELR. */
uint64_t expect_load_abort(uint64_t addr);

struct smccc_res {
	uint64_t a0, a1, a2, a3;
};

/* An SMCCC call through HVC or SMC #0: x0 = function id, x1..x3 arguments and results. */
#define DEFINE_SMCCC_CONDUIT(name, insn)					\
static inline struct smccc_res name(uint32_t fid, uint64_t a1, uint64_t a2,	\
				    uint64_t a3)				\
{										\
	register uint64_t x0 asm("x0") = fid;					\
	register uint64_t x1 asm("x1") = a1;					\
	register uint64_t x2 asm("x2") = a2;					\
	register uint64_t x3 asm("x3") = a3;					\
										\
	asm volatile(insn " #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)	\
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",	\
		     "x12", "x13", "x14", "x15", "x16", "x17", "memory");	\
	return (struct smccc_res){ x0, x1, x2, x3 };				\
}
DEFINE_SMCCC_CONDUIT(smccc_hvc, "hvc")
DEFINE_SMCCC_CONDUIT(smccc_smc, "smc")

#define SMCCC_RET_NOT_SUPPORTED	((uint64_t)-1)

/* This vCPU's number: MPIDR_EL1.Aff0, as KVM assigns it from the vCPU id. */
static inline unsigned int guest_cpu_id(void)
{
	uint64_t mpidr;

	asm volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & 0xff;
}

/* Turn on vCPU @cpu (created powered off) at _start with PSCI CPU_ON: the PSCI status. */
int64_t guest_cpu_on(unsigned int cpu);

/* The test VMM's (or a test policy's) answer to a call: tagged x0, arguments + 1. */
void check_smccc_answer(struct smccc_res res, uint32_t fid, uint64_t a1, uint64_t a2,
			uint64_t a3);

#endif
