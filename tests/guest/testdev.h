/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the test VMM and its bare-metal guests: where guest memory is, and
 * the "testdev", an MMIO page outside every memslot that the VMM emulates. Every access to
 * it is a KVM_EXIT_MMIO, so the guest can report results and print even when the exit under
 * test is broken. Shared by tests/guest and tests/vmm.
 */
#ifndef KVMEXIT_TESTDEV_H
#define KVMEXIT_TESTDEV_H

#define GUEST_RAM_BASE		0x40000000UL
#define GUEST_RAM_SIZE		0x00200000UL
/* vCPUs a guest may have (by MPIDR Aff0), each with a stack of 1 << GUEST_STACK_SHIFT. */
#define GUEST_MAX_VCPUS		4
#define GUEST_STACK_SHIFT	14

#define GIC_DIST_BASE		0x08000000UL
#define GIC_REDIST_BASE		0x080a0000UL

#define TESTDEV_BASE		0x0a000000UL
#define TESTDEV_SIZE		0x1000UL
/* Control registers, written by the guest, consumed by the VMM itself. */
#define TESTDEV_DONE		0x000	/* u64: 0 = the guest's checks passed, else a line number */
#define TESTDEV_PUTC		0x008	/* u8: one character of guest output */
/* u64: the VMM makes KVM rewrite the syndrome of the guest's next abort (SYNTH_*). */
#define TESTDEV_SYNTHETIC	0x010
/* The data window: MMIO that scenarios observe and answer. */
#define TESTDEV_DATA		0x100
#define TESTDEV_DATA_END	0x200

/* Function ids forwarded by the SMCCC filter: the SMC64 OEM service range (OEN 3). */
#define TEST_SMCCC_FWD_BASE	0xc3000100U
#define TEST_SMCCC_FWD_COUNT	16U
/* In the OEM range but outside the filter: KVM answers NOT_SUPPORTED itself. */
#define TEST_SMCCC_UNFILTERED	0xc3000200U
/*
 * Synthetic syndromes (CONFIG_KVM_ARM_EXIT_BPF_SYNTHETIC_ABORT) for exits a guest in QEMU
 * cannot take: the next data abort reaches KVM's routing as an external abort (SEA), or as
 * LD64B/ST64B or ST64BV (ESR.LST), though the guest executed an ordinary load.
 */
#define SYNTH_SEA		1
#define SYNTH_LD64B		2
#define SYNTH_ST64BV		3
#define SYNTH_SEA_FNV		4	/* an SEA whose FAR is not valid (ESR.FnV) */

/* The test VMM's answer to a forwarded call: x0 tags the id, x1..x3 echo the arguments + 1. */
#define TEST_SMCCC_ANSWER(fid)	(0xa5a5000000000000ULL | (fid))

/*
 * What the test VMM returns for a read of the data window: the low bytes of this value.
 * Every byte has its top bit set, so each load size shows whether it was sign-extended.
 */
#define TESTDEV_READ_PATTERN	0xf1e2d3c4b5a69788ULL

#endif
