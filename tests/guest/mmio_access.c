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
}
