/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the test policies (tests/bpf) and the test VMM's scenarios that load them. */
#ifndef KVMEXIT_POLICY_TESTS_H
#define KVMEXIT_POLICY_TESTS_H

#include "testdev.h"

/* mmio_device: data-window offsets with a fixed verdict, and the log of other accesses. */
#define MMIO_OFF_INJECT		0x80
#define MMIO_OFF_TO_USER	0x88
#define MMIO_LOG_SIZE		32
#define MMIO_TO_USER_ANSWER	0x77	/* the VMM's answer to the forwarded read */

/* synthetic: SEA and LD64B/ST64BV verdicts by data-window offset. */
#define SEA_OFF_INJECT		0x00
#define SEA_OFF_TO_USER		0x08
#define SEA_OFF_FNV		0x10	/* FnV: INJECT with KVM's syndrome, FnV must stay */
/* The injected SEA's ISS: external abort, SET = restartable (0b11), EA. */
#define SEA_POLICY_ISS		(0x10 | (3 << 11) | (1 << 9))
#define LDST_OFF_HANDLED	0x40
#define LDST_OFF_INJECT		0x48
#define LDST_OFF_TO_USER	0x50
#define LD64B_WORD(i)		(0x64b0000000000000ULL + (i))

/* Plain C types: this header is also built for BPF and for the bare-metal guests. */
struct mmio_access {
	unsigned long long offset;
	unsigned long long data;
	unsigned int len;
	unsigned char is_write;
	unsigned char rt;
	unsigned char sign_extend;
	unsigned char reg64;
};

/* hvc_policy: what it does with each function id. */
#define HVC_EMULATED		(TEST_SMCCC_FWD_BASE + 1)	/* answered in BPF */
#define HVC_DENIED		(TEST_SMCCC_FWD_BASE + 2)	/* HANDLED, no results */
#define HVC_TO_USER		(TEST_SMCCC_FWD_BASE + 4)	/* forwarded by the policy */
#define HVC_DEFAULT		(TEST_SMCCC_FWD_BASE + 5)	/* forwarded by the filter */
#define PSCI_0_2_VERSION	0x84000000U			/* forwarded by the policy */
#define SMCCC_ARCH_VERSION	0x80000000U			/* never seen by a policy */
#define HVC_SEEN_MAX		16

/*
 * contract_policy: the verdict contract. Register writes reach the guest only with
 * HANDLED; a verdict the VM does not take (TO_USER for an id the VMM's filter does not
 * forward) is refused, never an ejection; a DENY the VMM configured stands against the
 * host-wide policy; ctx->pc is the calling instruction for HVC and SMC alike.
 */
#define CONTRACT_REWRITE	PSCI_0_2_VERSION		/* x0 := SYSTEM_OFF, DEFAULT */
#define PSCI_0_2_SYSTEM_OFF	0x84000008U			/* the VMM's filter denies it */
#define CONTRACT_TO_USER	(TEST_SMCCC_FWD_BASE + 7)	/* x1, x5 := BAD, TO_USER */
#define CONTRACT_HANDLED	(TEST_SMCCC_FWD_BASE + 8)	/* x5 := KEPT, HANDLED */
#define CONTRACT_REPORT		(TEST_SMCCC_FWD_BASE + 9)	/* x1 to the VMM, DEFAULT */
#define CONTRACT_REFUSED	TEST_SMCCC_UNFILTERED		/* x5 := BAD, TO_USER */
#define CONTRACT_VMM_DENIED	0xc3000300U			/* the VMM's filter denies it */
#define CONTRACT_BAD		0xbadbadbadULL
#define CONTRACT_KEPT		0x5555aaaa5555aaaaULL
#define CONTRACT_STORM_CALLS	10000
/* BIT(verdict) sets ctx->verdicts must hold: DEFAULT and HANDLED, then TO_USER too. */
#define CONTRACT_VERDICTS_REFUSED	0x3
#define CONTRACT_VERDICTS_TO_USER	0x7

/* live_policy: the call the guest loops on, and who may answer it. */
#define HVC_LIVE		(TEST_SMCCC_FWD_BASE + 6)
#define LIVE_TAG_A		0xaaaa
#define LIVE_TAG_B		0xbbbb
#define LIVE_TAG_VMM		0xdddd
/* The guest's counts, written to the data window when the VMM says stop. */
#define LIVE_OFF_COUNT_A	0x00
#define LIVE_OFF_COUNT_B	0x08
#define LIVE_OFF_COUNT_VMM	0x10
#define LIVE_OFF_STOP		0x18	/* read: non-zero once the VMM wants the counts */

/* load_policy: its verdict for the call with index x1 (the guest's loop counter). */
#define LOAD_HANDLED		0
#define LOAD_TO_USER		1
#define LOAD_DEFAULT		2
#define LOAD_VERDICT(index)	((index) % 4 == 3 ? LOAD_DEFAULT : (index) % 4 == 2 ?	\
				 LOAD_TO_USER : LOAD_HANDLED)
#define LOAD_MAP_ENTRIES	256	/* far fewer than the calls: it fills up */
#define LOAD_RING_BYTES		4096	/* one page: about 250 records */

/* pvm_calls: the HVC_LIVE calls a protected VM makes. */
#define PVM_CALLS		100

/* spi_device: its registers in the data window, and its interrupt. */
#define SPI_DEVICE_RAISE	0x00
#define SPI_DEVICE_LOWER	0x08
#define SPI_DEVICE_SPI		5	/* INTID 37 */

/*
 * fastpath_device: a device and calls a policy answers, for the fast path's tests. Reads of
 * FAST_OFF_COUNT return how many the policy answered for this vCPU, this one included, so
 * the guest sees every access answered exactly once, in order.
 */
#define FAST_OFF_COUNT		0xa0
#define FAST_OFF_DECLINED	0xa8	/* read: FAST_HVC_DECLINED calls the policy saw */
#define FAST_OFF_RAISE		0xb0	/* write: raise FAST_SPI */
#define FAST_OFF_LOWER		0xb8	/* write: lower FAST_SPI */
#define FAST_OFF_TIMER		0xc0	/* write: raise FAST_SPI from a BPF timer, so many us later */
#define FAST_SPI		SPI_DEVICE_SPI
#define FAST_HVC_EMULATED	(TEST_SMCCC_FWD_BASE + 10)	/* x0 := calls so far */
#define FAST_HVC_DECLINED	TEST_SMCCC_UNFILTERED		/* DEFAULT: KVM answers */
/* guest fastpath_shared: exits each of two vCPUs on one host CPU makes before it ends. */
#define FAST_SHARED_READS	20000

/*
 * pl011 (policies/pl011.bpf.c), set away from its defaults: what the guest transmits, and
 * the input the VMM queues before the guest enables the receiver.
 */
#define PL011_TEST_BASE		0x09010000UL
#define PL011_TEST_SPI		7	/* INTID 39 */
#define PL011_TEST_TX		"kvmexit pl011: hello\n"
#define PL011_TEST_RX		"kvm!"
/*
 * Then input handed over while the guest waits in WFI: on the guest's write to
 * PL011_TEST_SEND (testdev data page), the VMM queues it and runs console_input.
 */
#define PL011_TEST_SEND		0x00
#define PL011_TEST_RX_IDLE	"irq!"
/*
 * Then, with no reader, more than console_out holds: 1 MiB of 16-byte records, less one (a
 * BPF ring buffer keeps its producer short of a full lap).
 */
#define PL011_TEST_FILL		65536

/*
 * policy-pl031: policies/pl031.bpf.c at another base and SPI than its defaults, its counter
 * from a fixed epoch; the guest writes PL031_TEST_DETACH to the testdev's data page with an
 * alarm pending, and the VMM detaches the policy before the alarm's timer fires.
 */
#define PL031_TEST_BASE		0x09030000UL
#define PL031_TEST_SPI		9	/* INTID 41 */
#define PL031_TEST_EPOCH	1000000
#define PL031_TEST_DETACH	0x00
#define PL031_TEST_IRQS		4	/* interrupts the guest takes */
#define PL031_TEST_ALARMS	5	/* matches: one per interrupt, one after detach */
/*
 * policy-pl031-reset: the same place, its defaults otherwise (the host's wall clock, counting
 * from reset). The guest reports what RTCDR reads to the testdev's data page: first at reset
 * (the VMM compares it with its own clock, then steps that clock an hour back), then after
 * the step (the VMM sets its clock right again).
 */
#define PL031_RESET_WALL	0x00
#define PL031_RESET_STEPPED	0x08
#define PL031_RESET_STEP	3600	/* seconds the VMM steps the host's clock back */

/*
 * vm_id_policy: a read of VM_ID_READ in the testdev's data window returns ctx->vm_id; the
 * guest writes what it read to VM_ID_REPORT, which the policy leaves to the VMM.
 */
#define VM_ID_READ		0x00
#define VM_ID_REPORT		0x08
#define PL011_RING_RECORDS	65535
#define PL011_FILL_BYTE		'.'

/* bench: BENCH_ROUNDS timed loops of BENCH_ITERATIONS exits per path, each reported as
 * (path id << 48) | (round << 40) | counter ticks. */
#define BENCH_ITERATIONS	256
#define BENCH_ROUNDS		7
#define BENCH_RESULT(id, round, ticks)	\
	(((uint64_t)(id) << 48) | ((uint64_t)(round) << 40) | (ticks))
/* bench: function ids and data-window offsets of each measured path. */
#define BENCH_FID_DENY		(TEST_SMCCC_FWD_BASE + 0x100)	/* filter: DENY */
#define BENCH_FID_FWD		(TEST_SMCCC_FWD_BASE + 7)	/* filter: FWD_TO_USER */
#define BENCH_FID_BPF_DENY	(TEST_SMCCC_FWD_BASE + 8)	/* policy: HANDLED */
#define BENCH_FID_BPF_EMUL	(TEST_SMCCC_FWD_BASE + 9)	/* policy: HANDLED, returns */
#define BENCH_OFF_BPF		0x00	/* reads and writes emulated by the policy */
#define BENCH_OFF_VMM		0x80	/* reads and writes left to the VMM */
#define BENCH_OFF_RESULT	0xf0	/* write: BENCH_RESULT() of one loop */
#define BENCH_OFF_PHASE		0xf8	/* write: the VMM detaches the policy */
#define BENCH_OFF_FASTPATH	0xe8	/* write: the VMM turns the fast path on (1) or off (0) */

/* vncr: where the guest hypervisor points VNCR_EL2 to make its translation fail. */
#define VNCR_UNBACKED		0x20000000UL	/* no memslot there */
#define VNCR_OFF_ESR		0x08	/* write: the ESR of the failure, for the VMM */
/* vncr_policy: the ISS its INJECT gives a failed translation (KVM's: EXTABT, no EA). */
#define VNCR_POLICY_ISS		(0x10 | (1 << 9))
#define VNCR_ESR_EA		(1ULL << 9)

/* bad_verdict: calls the guest makes; the policy is ejected after 64 bad verdicts. */
#define HVC_STORM_CALLS		200

/*
 * filter-serve (policies/hypercall_filter.bpf.c, attached and changed by
 * tests/suites/policies-filter.sh): the guest waits for each phase, then reports it done.
 */
#define FILTER_OFF_PHASE	0x00	/* read: how many times the VMM was told to go on */
#define FILTER_OFF_DONE		0x08	/* write: the phase the guest finished */
/* Phase 5: more distinct ids, all denied, than filter_counts holds (FILTER_MAX_COUNTED). */
#define FILTER_STORM_BASE	0xc3001000U
#define FILTER_STORM_LAST	0xc3001fffU	/* the last id of the script's deny range */
#define FILTER_STORM_CALLS	300

/*
 * filter-edit-stress: while the guest calls, the VMM moves hypercall_filter's run-time deny
 * range between both ends of the forwarded test range, [FIRST, FIRST + 1] and [LAST - 1,
 * LAST]; STRESS_MIDDLE, between them, is never in it. A range read half old, half new,
 * FIRST..LAST, would deny it.
 */
#define STRESS_FIRST		TEST_SMCCC_FWD_BASE
#define STRESS_MIDDLE		(TEST_SMCCC_FWD_BASE + 7)
#define STRESS_LAST		(TEST_SMCCC_FWD_BASE + 15)
#define STRESS_ROUNDS		5000	/* of the five calls: both ends of each range, MIDDLE */

/* canonical (policies/canonical.bpf.c): where the guest's aborts are, and its parameters. */
#define CANON_OFF_NISV		0x00
#define CANON_OFF_LDST		0x08
#define CANON_OFF_SEA		0x40	/* the i-th SEA at CANON_OFF_SEA + 8 * i */
#define CANON_OFF_NEXT_WINDOW	0xf0	/* write: the VMM ends the rate window */
#define CANON_OFF_SEA_VERDICT	0xf8	/* read: the policy's sea_verdict */
#define CANON_SERROR_READ	0x5e	/* the VMM's answer to a load retried after an SError */
#define CANON_SEA_ISS		(0x15 | (1 << 9))	/* external abort on a walk (level 1), EA */
#define CANON_SEA_BURST		4
#define CANON_SEA_PERIOD_MS	60000	/* longer than the test: only the VMM ends a window */
#define CANON_SEAS_FIRST	6	/* in the first window: CANON_SEA_BURST recorded */
#define CANON_SEAS_SECOND	2	/* after it: all recorded */

/*
 * chain_policy: several policies on one VM. Each answers the ids in its answer[] with its
 * tag, stages x5 := CONTRACT_BAD and returns TO_USER (refused: the VMM does not forward
 * them) for the ids in its refuse[], returns INJECT (never allowed for an HVC) for those in
 * its err[], and declines the rest; it counts each.
 */
#define CHAIN_A			(TEST_SMCCC_FWD_BASE + 0x20)	/* answered by A */
#define CHAIN_B			(TEST_SMCCC_FWD_BASE + 0x21)	/* answered by B */
#define CHAIN_BOTH		(TEST_SMCCC_FWD_BASE + 0x22)	/* both: the first decides */
#define CHAIN_NONE		TEST_SMCCC_UNFILTERED		/* no policy: KVM's answer */
#define CHAIN_REFUSED		(TEST_SMCCC_UNFILTERED + 1)	/* A is refused, B answers */
#define CHAIN_ERR		(TEST_SMCCC_UNFILTERED + 2)	/* E errs, B answers */
#define CHAIN_IDS		4
#define CHAIN_TAG_A		0xa1
#define CHAIN_TAG_B		0xb1
#define CHAIN_TAG_E		0xe1
#define CHAIN_TAG_CGROUP	0xc6	/* tests/guest/first_hvc.S */
#define CHAIN_ROUNDS		4	/* of each call but CHAIN_ERR */
#define CHAIN_ERR_CALLS		80	/* more than the 64 errors that eject E */

/*
 * lib_policy: the policy tests/vmm/library.c drives through libkvmexit alone. It answers
 * LIB_CALL with x0 = its tag (a parameter), x1 = lib_answer[0] (a map the VMM changes at
 * run time); the guest marks each phase with a write of its number to LIB_PHASE, where the
 * VMM changes the policies before the guest makes LIB_CALLS calls.
 */
#define LIB_CALL		(TEST_SMCCC_UNFILTERED + 0x10)	/* KVM: NOT_SUPPORTED */
#define LIB_PHASE		(TESTDEV_DATA + 0x80)
#define LIB_CALLS		4
#define LIB_TAG_DEFAULT		0x1ab
#define LIB_TAG(phase)		(0x1ab0 + (phase))

/*
 * tests/vmm/filter_isolation.c: policies/hypercall_filter.bpf.c host-wide, denying
 * ISOLATION_DENIED, on two VMs of one VMM, one after the other. Each guest reads from the
 * testdev data window how many calls to make (its VMM says: ISOLATION_CALLS_FIRST for the
 * VM that runs first, ISOLATION_CALLS for the other), makes them, then the information call,
 * which must count its own VM's calls alone. The filter logs ISOLATION_LOG_BURST records a
 * VM at once, one more a second: the first VM's calls use up its own budget, not the other's.
 */
#define ISOLATION_DENIED	(TEST_SMCCC_UNFILTERED + 0x20)
#define ISOLATION_CALLS		8
#define ISOLATION_CALLS_FIRST	10
#define ISOLATION_LOG_BURST	8
#define ISOLATION_INFO_FID	0xc6000040U	/* FILTER_INFO_FID */

#endif
