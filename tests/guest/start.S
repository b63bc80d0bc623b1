/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exception vectors of the test guests. They start at EL1, or at EL2 when the VMM
 * created a guest hypervisor (KVM_ARM_VCPU_HAS_EL2); the same code serves both by installing
 * the vectors at the current EL. Every exception is handed to guest_exception() in C with the
 * saved registers; returning from it resumes at the (possibly updated) ELR.
 *
 * In a VM with several vCPUs, vCPU 0 starts first and the others (powered off by the VMM)
 * enter here when it turns them on (guest_cpu_on()): each takes the stack of its MPIDR
 * Aff0, and only vCPU 0 clears .bss, before any other runs.
 */
#include "testdev.h"

	.section .text.start, "ax"
	.globl _start
_start:
	mrs	x2, mpidr_el1
	and	x2, x2, #0xff
	ldr	x0, =__stack_top
	sub	x0, x0, x2, lsl #GUEST_STACK_SHIFT
	mov	sp, x0
	adr	x0, vectors
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.eq	1f
	msr	vbar_el1, x0
	b	2f
1:	msr	vbar_el2, x0
2:	isb
	cbnz	x2, 4f
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:	bl	main
	ldr	x1, =(TESTDEV_BASE + TESTDEV_DONE)
	str	x0, [x1]
5:	wfi
	b	5b

/* Save x0-x30 in a struct exc_regs on the stack, call guest_exception(regs, vector). */
.macro	vector_entry, index
	.balign	0x80
	sub	sp, sp, #(32 * 8)
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	exception_common
.endm

	.text
	.balign	0x800
vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector_entry \i
	.endr

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x0, sp
	bl	guest_exception
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #(32 * 8)
	eret
