/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and attaching the test policies (tests/bpf) to the scenario's VM with libbpf. */
#ifndef KVMEXIT_POLICY_H
#define KVMEXIT_POLICY_H

#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "vm.h"

/*
 * Open the skeleton of policy @type (whose struct_ops map has the same name), aim it at
 * @target_fd and load it; setup failures, a verifier rejection among them, are fatal.
 */
#define policy_load(type, target_fd)						\
	({									\
		struct type *__skel = type##__open();				\
										\
		if (!__skel)							\
			die("%s: open: %s", #type, strerror(errno));		\
		__skel->struct_ops.type->vm_fd = (target_fd);			\
		if (type##__load(__skel))					\
			die("%s: load: %s", #type, strerror(errno));		\
		__skel;								\
	})

/* Attach a loaded policy to the VM it was loaded for: its link; a failure is fatal. */
struct bpf_link *policy_attach(struct bpf_map *ops);

/* Route libbpf's messages: before any policy is loaded. */
void policy_init(void);

#endif
