// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO loads of each size, sign-extending loads and stores to the testdev data window, in
 * the order tests/vmm/mmio.c expects them. Loads name their destination register so the
 * test shows the data lands in Rt and nowhere else.
 */
#include "guest.h"
#include "mmio_access.h"

#define LOAD(insn, reg, off)							\
	({									\
		register uint64_t __r asm(reg) = 0x5555555555555555ULL;		\
		asm volatile(insn " %w0, [%1]" : "+r"(__r) : "r"(DATA(off)) : "memory"); \
		__r;								\
	})
#define LOADX(insn, reg, off)							\
	({									\
		register uint64_t __r asm(reg) = 0x5555555555555555ULL;		\
		asm volatile(insn " %x0, [%1]" : "+r"(__r) : "r"(DATA(off)) : "memory"); \
		__r;								\
	})

/*
 * With SCTLR_EL1.EE set the guest's data accesses are big-endian: the same bytes on the
 * bus read as the byte-swapped value, and a store puts its bytes in the opposite order.
 * Nothing may touch memory while EE is set: the stack is little-endian data.
 */
static void check_big_endian_accesses(void)
{
	register uint64_t x5 asm("x5") = 0;
	register uint64_t x6 asm("x6") = 0;
	uint64_t sctlr, tmp;

	asm volatile("mrs	%[sctlr], sctlr_el1\n"
		     "orr	%[tmp], %[sctlr], #(1 << 25)\n"
		     "msr	sctlr_el1, %[tmp]\n"
		     "isb\n"
		     "ldr	w5, [%[ld32]]\n"
		     "ldrsh	x6, [%[ld16]]\n"
		     "strh	%w[val], [%[st16]]\n"
		     "msr	sctlr_el1, %[sctlr]\n"
		     "isb\n"
		     : [sctlr] "=&r"(sctlr), [tmp] "=&r"(tmp), "+r"(x5), "+r"(x6)
		     : [ld32] "r"(DATA(0x68)), [ld16] "r"(DATA(0x70)), [st16] "r"(DATA(0x78)),
		       [val] "r"(0x1234UL)
		     : "memory");
	GUEST_ASSERT_EQ(x5, __builtin_bswap32((uint32_t)TESTDEV_READ_PATTERN));
	GUEST_ASSERT_EQ(x6, (uint64_t)(int64_t)(int16_t)
			    __builtin_bswap16((uint16_t)TESTDEV_READ_PATTERN));
}

void check_mmio_accesses(void)
{
	const uint64_t p = TESTDEV_READ_PATTERN;

	/* Zero-extending loads; a 32-bit destination clears the upper half of Xt. */
	GUEST_ASSERT_EQ(LOAD("ldrb", "x3", 0x00), p & 0xff);
	GUEST_ASSERT_EQ(LOAD("ldrh", "x9", 0x08), p & 0xffff);
	GUEST_ASSERT_EQ(LOAD("ldr", "x17", 0x10), p & 0xffffffff);
	GUEST_ASSERT_EQ(LOADX("ldr", "x28", 0x18), p);

	/* Sign-extending loads, to 64 bits (SF=1) and to 32 bits (SF=0). */
	GUEST_ASSERT_EQ(LOADX("ldrsb", "x4", 0x20), (uint64_t)(int64_t)(int8_t)p);
	GUEST_ASSERT_EQ(LOADX("ldrsh", "x5", 0x28), (uint64_t)(int64_t)(int16_t)p);
	GUEST_ASSERT_EQ(LOADX("ldrsw", "x6", 0x30), (uint64_t)(int64_t)(int32_t)p);
	GUEST_ASSERT_EQ(LOAD("ldrsh", "x7", 0x38), (uint32_t)(int32_t)(int16_t)p);

	/* Stores of each size; the VMM checks length and data. */
	asm volatile("strb %w0, [%1]" : : "r"(0x5aUL), "r"(DATA(0x40)) : "memory");
	asm volatile("strh %w0, [%1]" : : "r"(0xbeefUL), "r"(DATA(0x48)) : "memory");
	asm volatile("str %w0, [%1]" : : "r"(0xdeadbeefUL), "r"(DATA(0x50)) : "memory");
	asm volatile("str %x0, [%1]" : : "r"(0x0123456789abcdefUL), "r"(DATA(0x58)) : "memory");
	/* Rt = 31 is XZR for a store: the VMM must see zeroes. */
	asm volatile("str xzr, [%0]" : : "r"(DATA(0x60)) : "memory");

	check_big_endian_accesses();
}
