/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest for QEMU's virt board, loaded raw with -kernel (tests/suites/qemu-cgroup.sh):
 * its very first instruction is an SMCCC call, CHAIN_A of tests/bpf/policy_tests.h. A
 * policy that answers it with CHAIN_TAG_CGROUP can only have been on the VM before the
 * guest ran. It says on QEMU's PL011 which answer it got, then waits. Position-independent
 * and without a stack: QEMU loads it wherever it loads a raw kernel.
 */
#define UART			0x09000000
#define CHAIN_A			0xc3000120
#define CHAIN_TAG_CGROUP	0xc6

	.section .text.start, "ax"
	.globl _start
_start:
	movz	w0, #(CHAIN_A & 0xffff)
	movk	w0, #(CHAIN_A >> 16), lsl #16
	hvc	#0
	adr	x1, answered
	cmp	x0, #CHAIN_TAG_CGROUP
	b.eq	1f
	adr	x1, unanswered
1:	mov	x2, #UART
2:	ldrb	w3, [x1], #1
	cbz	w3, 3f
	strb	w3, [x2]
	b	2b
3:	wfi
	b	3b

answered:
	.asciz	"FIRST-EXIT-ANSWERED\n"
unanswered:
	.asciz	"FIRST-EXIT-NOT-ANSWERED\n"
