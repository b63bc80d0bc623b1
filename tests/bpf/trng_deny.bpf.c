// SPDX-License-Identifier: GPL-2.0
/*
 * Denies the guest the Arm TRNG firmware interface (DEN0098: TRNG_VERSION, TRNG_FEATURES,
 * TRNG_GET_UUID, TRNG_RND in both conventions), which KVM otherwise implements: each call
 * is answered NOT_SUPPORTED. Every other call is left to KVM. For the qemu suite, where a
 * Linux guest then registers no smccc_trng device.
 */
#include "kvmexit.h"

#define TRNG_FIRST	0x50
#define TRNG_LAST	0x53

__u64 denied;

SEC("struct_ops/hvc")
int BPF_PROG(trng_deny_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 func = SMCCC_FUNC(exit->smccc_fid);

	if (SMCCC_OWNER(exit->smccc_fid) != SMCCC_OWNER_STANDARD ||
	    func < TRNG_FIRST || func > TRNG_LAST)
		return KVM_ARM_EXIT_DEFAULT;
	__sync_fetch_and_add(&denied, 1);
	return KVM_ARM_EXIT_HANDLED;	/* no results set: x0 = NOT_SUPPORTED */
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops trng_deny = {
	.hvc = (void *)trng_deny_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
