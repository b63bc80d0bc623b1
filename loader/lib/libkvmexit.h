/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkvmexit: attach BPF exit policies (struct kvm_arm_exit_ops, see the kernel's
 * Documentation/virt/kvm/arm/exit-bpf.rst) to KVM VMs, replace and detach them, and read
 * what they did.
 *
 * A VMM attaches a policy to its own VM:
 *
 *	struct kvmexit_policy *policy;
 *	int err = kvmexit_policy_open("filter.bpf.o", &policy);
 *
 *	if (!err)
 *		err = kvmexit_policy_set(policy, "allow", "0xc6000001,0x84000000");
 *	if (!err)
 *		err = kvmexit_policy_attach(policy, vm_fd);
 *
 * Functions return 0 or a negative errno and never print (libbpf's own messages go where
 * the application's libbpf_set_print() sends them). A verifier rejection is -EACCES or
 * -EINVAL from kvmexit_policy_attach(); kvmexit_policy_log() then has the verifier's log.
 */
#ifndef LIBKVMEXIT_H
#define LIBKVMEXIT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvmexit_policy;

/* struct kvm_arm_exit_ops.flags, the kernel's enum kvm_arm_exit_ops_flags. */
#define KVMEXIT_OPS_HOST_WIDE	(1U << 0)	/* set by kvmexit_policy_attach_host_wide() */
#define KVMEXIT_OPS_FAIL_CLOSED	(1U << 1)	/* ejected, the policy stops its VM */

/* Open a policy object: an ELF BPF object with one struct kvm_arm_exit_ops. */
int kvmexit_policy_open(const char *path, struct kvmexit_policy **policy);
void kvmexit_policy_close(struct kvmexit_policy *policy);

/*
 * Set a global variable of the policy before it is attached: an integer ("42", "0x2a",
 * "-1"), or for an array of integers a comma-separated list (the rest is zeroed).
 * -ENOENT: no such variable; -EINVAL: not a number; -ERANGE: too many or too large.
 */
int kvmexit_policy_set(struct kvmexit_policy *policy, const char *name, const char *value);

/*
 * Load the policy for the VM @vm_fd and attach it. -EBUSY: the VM has a policy; -EBADF:
 * not a VM (a negative fd among them); -EPERM: not allowed (a protected VM).
 */
int kvmexit_policy_attach(struct kvmexit_policy *policy, int vm_fd);
/*
 * Load the policy as the host-wide policy of VMs without their own and attach it
 * (CAP_SYS_ADMIN). A VM's own policy, and what its VMM configured (a DENY of its SMCCC
 * filter, NISV and SEA exits to userspace), take precedence over it.
 */
int kvmexit_policy_attach_host_wide(struct kvmexit_policy *policy);
/*
 * Pin the attached policy's link in bpffs at @path, so it outlives this process, and beside
 * it, at @path_NAME (dots made underscores), each program of the policy that userspace runs
 * (SEC("syscall"), associated with the policy's map at load: its kfuncs reach the policy's
 * VM) and each map holding a BPF timer (the kernel lets a program arm a timer only while
 * userspace holds or pins its map).
 */
int kvmexit_policy_pin(struct kvmexit_policy *policy, const char *path);
/*
 * Replace the policy behind a pinned link with @policy, for the same VM, atomically; what
 * it pins beside the link (see kvmexit_policy_pin()) replaces what was there.
 */
int kvmexit_policy_replace_pinned(const char *link_path, struct kvmexit_policy *policy,
				  int vm_fd);
/* Remove what is pinned beside the link pinned at @link_path (@link_path_NAME). */
int kvmexit_unpin_beside(const char *link_path);
/* Detach: destroy the link (a pinned link also needs its pin removed). */
int kvmexit_policy_detach(struct kvmexit_policy *policy);
/* The verifier's log of the last failed attach ("" if none). */
const char *kvmexit_policy_log(const struct kvmexit_policy *policy);
/* The name of the policy's struct_ops variable. */
const char *kvmexit_policy_name(const struct kvmexit_policy *policy);

enum kvmexit_exit {
	KVMEXIT_MMIO, KVMEXIT_NISV, KVMEXIT_LDST64B, KVMEXIT_SEA, KVMEXIT_HVC, KVMEXIT_VNCR,
	KVMEXIT_NR_EXITS,
};

struct kvmexit_counters {
	uint64_t handled, to_user, injected, defaulted, errors, refused;
};

struct kvmexit_stats {
	struct kvmexit_counters exit[KVMEXIT_NR_EXITS];
	uint64_t ejected;	/* VM: 0, or why its policy was ejected (1: forbidden verdicts) */
};

const char *kvmexit_exit_name(enum kvmexit_exit exit);
/* Add a vCPU's counters (KVM binary statistics of a vCPU fd) to @stats. */
int kvmexit_add_vcpu_stats(int vcpu_fd, struct kvmexit_stats *stats);
/* Read the VM's own statistics (ejected) from a VM fd. */
int kvmexit_read_vm_stats(int vm_fd, struct kvmexit_stats *stats);

#ifdef __cplusplus
}
#endif

#endif
