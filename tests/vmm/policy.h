/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and attaching the test policies (tests/bpf) to the scenario's VM with libbpf. */
#ifndef KVMEXIT_POLICY_H
#define KVMEXIT_POLICY_H

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "vm.h"

/* struct kvm_arm_exit_ops.flags (the kernel's enum kvm_arm_exit_ops_flags). */
#define POLICY_HOST_WIDE	(1U << 0)
#define POLICY_FAIL_CLOSED	(1U << 1)

/*
 * Open the skeleton of policy @type (whose struct_ops map has the same name) and aim it at
 * @target_fd, -1 for the host-wide policy, to set its parameters before
 * policy_load_opened(); failures are fatal.
 */
#define policy_open(type, target_fd)						\
	({									\
		struct type *__skel = type##__open();				\
		int __fd = (target_fd);						\
										\
		if (!__skel)							\
			die("%s: open: %s", #type, strerror(errno));		\
		__skel->struct_ops.type->vm_fd = __fd;				\
		if (__fd == -1)							\
			__skel->struct_ops.type->flags |= POLICY_HOST_WIDE;	\
		else								\
			__skel->struct_ops.type->flags &= ~POLICY_HOST_WIDE;	\
		__skel;								\
	})

/* Load an opened policy; a failure, a verifier rejection among them, is fatal. */
#define policy_load_opened(type, skel)						\
	({									\
		struct type *__opened = (skel);					\
										\
		if (type##__load(__opened))					\
			die("%s: load: %s", #type, strerror(errno));		\
		__opened;							\
	})

/* Open the skeleton of policy @type, aim it at @target_fd and load it. */
#define policy_load(type, target_fd)						\
	policy_load_opened(type, policy_open(type, target_fd))

/* Attach a loaded policy to the VM it was loaded for: its link; a failure is fatal. */
struct bpf_link *policy_attach(struct bpf_map *ops);

/* Route libbpf's messages: before any policy is loaded. */
void policy_init(void);

/* Turn the host's fast path for policy-answered exits on or off; a failure is fatal. */
void set_exit_bpf_fastpath(bool on);

#endif
