/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What a kvmexit policy includes: the kernel's types (vmlinux.h, generated from the host
 * kernel's BTF: struct kvm_arm_exit_ops, struct kvm_arm_exit_ctx, the verdicts), the kfuncs
 * a policy acts through, and helpers to decode ESR and SMCCC values.
 *
 * A policy is a struct kvm_arm_exit_ops in SEC(".struct_ops.link"); each callback gets the
 * exit's read-only context and returns a verdict. This one denies the Arm TRNG firmware
 * interface (HANDLED with no results set: the guest gets NOT_SUPPORTED) and leaves every
 * other call to the next policy or KVM (the test bpf-header-example compiles it as it is):
 *
 *	#include "kvmexit.h"
 *
 *	SEC("struct_ops/hvc")
 *	int BPF_PROG(deny_trng, struct kvm_arm_exit_ctx *exit)
 *	{
 *		__u32 func = SMCCC_FUNC(exit->smccc_fid);
 *
 *		if (SMCCC_OWNER(exit->smccc_fid) != SMCCC_OWNER_STANDARD ||
 *		    func < 0x50 || func > 0x53)
 *			return KVM_ARM_EXIT_DEFAULT;
 *		return KVM_ARM_EXIT_HANDLED;
 *	}
 *
 *	SEC(".struct_ops.link")
 *	struct kvm_arm_exit_ops policy = { .hvc = (void *)deny_trng, .vm_fd = -1 };
 *
 *	char LICENSE[] SEC("license") = "GPL";
 *
 * vm_fd is set by the loader to the VM's fd; a host-wide or cgroup policy says so in .flags
 * (KVM_ARM_EXIT_OPS_HOST_WIDE, KVM_ARM_EXIT_OPS_CGROUP with .cgroup_fd), as does its place
 * among its target's (KVM_ARM_EXIT_OPS_BEFORE or _AFTER, .anchor_id): the loader (libkvmexit,
 * kvmexit) sets those too. A VM's exits go through a chain of up to 8 policies, each asked
 * until one returns a verdict other than DEFAULT: decline what is not yours. A policy the VM's
 * security depends on asks to fail closed (KVM_ARM_EXIT_OPS_FAIL_CLOSED: ejected for its
 * errors, it stops its VM).
 *
 * The context names the exit's vCPU (vcpu_id) and VM (vm_id: a number KVM gives each VM at
 * its creation, counted from 1 and never given to another VM while the host runs, the same
 * at every exit; the VMM reads it as the VM statistic exit_bpf_vm_id, or with
 * kvmexit_read_vm_id()). A policy on several VMs (host-wide, a cgroup's) keeps its state
 * per VM by vm_id: the VMM's pid is shared by its VMs, and a VM's fd number comes back for
 * a later VM.
 *
 * A verdict is a transaction: what the kfuncs below stage (registers, read data, SMCCC
 * results, the injection) takes effect only with a verdict that commits it (HANDLED,
 * INJECT) and that KVM takes for this exit, as exit->verdicts tells (BIT(verdict));
 * anything else gets KVM's default and leaves the guest as the exit left it. A verdict
 * the exit kind never allows is an error (64 eject the policy); one the kind allows but
 * this VM does not take now is a refusal, which never does.
 *
 * The kfuncs need a GPL-compatible program: char LICENSE[] SEC("license") = "GPL";
 */
#ifndef KVMEXIT_BPF_H
#define KVMEXIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/*
 * On the struct_ops variable of a policy whose state is one VM's, such as an emulated
 * device's registers and console: loaders refuse to attach it to a cgroup or the host, where
 * every VM would share that one device (libkvmexit: -EXDEV).
 *
 *	SEC(".struct_ops.link")
 *	struct kvm_arm_exit_ops uart KVMEXIT_ONE_VM = { .mmio = (void *)uart_mmio, .vm_fd = -1 };
 */
#define KVMEXIT_ONE_VM	__attribute__((btf_decl_tag("kvmexit:one_vm")))

/*
 * Read x0..x30 of the exiting vCPU (what set_reg staged in this exit, else the guest's);
 * -EINVAL for other numbers.
 */
extern int bpf_kvm_exit_get_reg(struct kvm_arm_exit_ctx *ctx, __u32 reg, __u64 *val) __ksym;
/*
 * Stage a write of x0..x30 (MMIO, LDST64B and HVC exits only: -EINVAL elsewhere). It
 * reaches the guest only with KVM_ARM_EXIT_HANDLED, before KVM's own completion (an MMIO
 * read's Rt, smccc_return's x0..x3), which wins; any other verdict discards it.
 */
extern int bpf_kvm_exit_set_reg(struct kvm_arm_exit_ctx *ctx, __u32 reg, __u64 val) __ksym;
/* The data an MMIO read returns; applied with KVM_ARM_EXIT_HANDLED. */
extern int bpf_kvm_exit_mmio_read_data(struct kvm_arm_exit_ctx *ctx, __u64 data) __ksym;
/* x0..x3 of an HVC/SMC; applied with KVM_ARM_EXIT_HANDLED (without it: NOT_SUPPORTED). */
extern int bpf_kvm_exit_smccc_return(struct kvm_arm_exit_ctx *ctx, __u64 a0, __u64 a1,
				     __u64 a2, __u64 a3) __ksym;
/*
 * Raise (level true) or lower a shared peripheral interrupt, SPI n = INTID 32 + n. The one
 * immediate effect, whatever the verdict: it is the emulated device's line, not the vCPU.
 */
extern int bpf_kvm_exit_set_spi(struct kvm_arm_exit_ctx *ctx, __u32 spi, bool level) __ksym;
/*
 * The same outside an exit, immediate: from a bpf_timer callback of the policy's programs,
 * or from a syscall program associated with the policy's map (BPF_PROG_ASSOC_STRUCT_OPS),
 * on the VM the policy is attached to at the time of the call. -ENODEV once it is on none
 * (detached, replaced, ejected, host-wide or a cgroup's, its VM gone): a late timer touches
 * nothing.
 */
extern int bpf_kvm_vm_set_spi(__u32 spi, bool level) __ksym;
/*
 * The host's wall clock, CLOCK_REALTIME, in ns since the Unix epoch, from the same programs
 * (and any callback): for a device that gives its guest UTC, which bpf_ktime_get_tai_ns() is
 * not unless an NTP daemon set the kernel's TAI offset. It steps when the host's clock is
 * set: read it once, at the device's reset, and count with bpf_ktime_get_ns() from there so
 * the guest's time never goes back.
 */
extern __u64 bpf_kvm_realtime_ns(void) __ksym;
/*
 * What KVM_ARM_EXIT_INJECT injects, applied with that verdict: KVM_ARM_EXIT_INJECT_SEA with
 * iss 0 (KVM's syndrome) or an ISS from the allowed set (FSC 0x10 or 0x13..0x17, with FnV,
 * EA, SET, and for data aborts CM and WnR), or KVM_ARM_EXIT_INJECT_SERROR (SEA exits only).
 */
extern int bpf_kvm_exit_set_injection(struct kvm_arm_exit_ctx *ctx, __u32 kind, __u64 iss) __ksym;

/* ESR_ELx fields (Arm ARM D24.2.40). */
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_ISS(esr)		((esr) & 0x1ffffff)
#define ESR_DABT_ISV		(1u << 24)
#define ESR_DABT_WNR		(1u << 6)
#define ESR_DABT_FNV		(1u << 10)	/* FAR not valid */
#define ESR_DABT_LST(esr)	(((esr) >> 11) & 3)
#define ESR_FSC(esr)		((esr) & 0x3f)

/* SMCCC function ids (DEN0028). */
#define SMCCC_FAST_CALL		(1u << 31)
#define SMCCC_64		(1u << 30)
#define SMCCC_OWNER(fid)	(((fid) >> 24) & 0x3f)
#define SMCCC_FUNC(fid)		((fid) & 0xffff)
#define SMCCC_OWNER_ARCH	0
#define SMCCC_OWNER_CPU		1
#define SMCCC_OWNER_SIP		2
#define SMCCC_OWNER_OEM		3
#define SMCCC_OWNER_STANDARD	4	/* PSCI, TRNG, ... */
#define SMCCC_OWNER_STANDARD_HYP 5
#define SMCCC_OWNER_VENDOR_HYP	6
#define SMCCC_RET_SUCCESS		0
#define SMCCC_RET_NOT_SUPPORTED		((__u64)-1)
#define SMCCC_RET_NOT_REQUIRED		((__u64)-2)
#define SMCCC_RET_INVALID_PARAMETER	((__u64)-3)

#endif
