// SPDX-License-Identifier: GPL-2.0
/*
 * passthrough: a policy that changes nothing. Every hook (MMIO, NISV, LD64B/ST64B, SEA,
 * HVC/SMC, VNCR) returns KVM_ARM_EXIT_DEFAULT, so KVM does exactly what it does without a
 * policy, and counts that it ran, per hook, in the globals <hook>_calls (its .bss map). It shows
 * which exits a VM or a whole host takes, and is the control for "a policy is attached but
 * declines": upstream KVM selftests must behave the same with it as without it.
 *
 * Attach it to one VM with the kvmexit CLI, or host-wide (first on every VM's chain:
 * KVM_ARM_EXIT_OPS_HOST_WIDE as set below, CAP_SYS_ADMIN) with bpftool:
 *
 *	kvmexit attach --pid <VMM pid> passthrough.bpf.o
 *	kvmexit detach --pid <VMM pid>
 *
 *	bpftool struct_ops register passthrough.bpf.o /sys/fs/bpf/passthrough
 *	bpftool map dump name passthro.bss	# the counters: mmio_calls, hvc_calls, ...
 *	rm /sys/fs/bpf/passthrough/passthrough	# removes it
 *
 * Counts are added atomically: several vCPUs of several VMs may exit at once.
 */
#include "kvmexit.h"

#define PASS_THROUGH(hook)							\
	__u64 hook##_calls;							\
										\
	SEC("struct_ops/" #hook)						\
	int BPF_PROG(passthrough_##hook, struct kvm_arm_exit_ctx *exit)		\
	{									\
		__sync_fetch_and_add(&hook##_calls, 1);				\
		return KVM_ARM_EXIT_DEFAULT;					\
	}

PASS_THROUGH(mmio)
PASS_THROUGH(nisv)
PASS_THROUGH(ldst64b)
PASS_THROUGH(sea)
PASS_THROUGH(hvc)
PASS_THROUGH(vncr)

SEC(".struct_ops.link")
struct kvm_arm_exit_ops passthrough = {
	.mmio = (void *)passthrough_mmio,
	.nisv = (void *)passthrough_nisv,
	.ldst64b = (void *)passthrough_ldst64b,
	.sea = (void *)passthrough_sea,
	.hvc = (void *)passthrough_hvc,
	.vncr = (void *)passthrough_vncr,
	.vm_fd = -1,
	.flags = KVM_ARM_EXIT_OPS_HOST_WIDE,	/* as registered by bpftool */
};

char LICENSE[] SEC("license") = "GPL";
