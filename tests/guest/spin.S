/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scaling benchmark's guest (kvmexit-bench): exits in a loop with no stack and no
 * memory writes, so any number of vCPUs can run it at once from the same entry point.
 * The VMM sets x19 to the SMCCC function id to call, or to 0 to read from the MMIO address
 * in x20 instead, and x21 to the number of exits; then the guest writes TESTDEV_DONE and,
 * when run again, starts over with the registers the VMM set meanwhile.
 */
#include "testdev.h"

	.section .text.start, "ax"
	.globl _start
_start:
	cbz	x19, 2f
1:	mov	x0, x19
	hvc	#0
	subs	x21, x21, #1
	b.ne	1b
	b	3f
2:	ldr	w0, [x20]
	subs	x21, x21, #1
	b.ne	2b
3:	ldr	x1, =(TESTDEV_BASE + TESTDEV_DONE)
	str	xzr, [x1]
	b	_start
