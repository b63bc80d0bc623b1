/* SPDX-License-Identifier: GPL-2.0 */
/* kvmexit console: a policy's ring buffers as the VM's console. */
#ifndef KVMEXIT_CONSOLE_H
#define KVMEXIT_CONSOLE_H

#include <stdint.h>
#include <sys/types.h>

struct console_maps {
	int out_fd;		/* the BPF ring buffer the policy writes guest output to */
	int in_fd;		/* the user ring buffer it takes input from, -1 if none */
	uint32_t out_id, in_id;	/* their map ids (0: none) */
	uint32_t policy_id;	/* the policy's struct_ops map */
	int input_prog_fd;	/* its CONSOLE_INPUT_PROG, pinned beside its link; -1 if none */
	char failed[48];	/* after an error: the object it came from, e.g. "program 12" */
};

/*
 * The console maps of the policy behind the pinned struct_ops link @link_fd: the maps its
 * programs use, a BPF_MAP_TYPE_RINGBUF and a BPF_MAP_TYPE_USER_RINGBUF (one of each at
 * most). -ENOENT if it has no ring buffer, -ENOTUNIQ if several, or another -errno, with
 * the object that failed in maps->failed.
 */
int find_console_maps(int link_fd, struct console_maps *maps);

/*
 * The syscall program a policy may have to take input now, raising its interrupt, rather
 * than at the guest's next access to the device: run after each write to its input.
 */
#define CONSOLE_INPUT_PROG	"console_input"

/* Why a console, or a kvmexit log --follow, ended. */
enum follow_end {
	FOLLOW_STOPPED,		/* Ctrl-], a signal, or an error */
	FOLLOW_VMM_EXITED,
	FOLLOW_DETACHED,	/* the policy's pinned link is gone */
	FOLLOW_REPLACED,	/* the pinned link has another policy now */
	FOLLOW_EJECTED,		/* KVM ejected the policy from the VM */
};

/*
 * Is the policy @policy_id (its struct_ops map's id) still the one pinned at @link_path,
 * and its VMM @pid (0: not a VM's policy) still there? (Not by holding the link open: that
 * would keep a detached policy attached until the follower noticed.) 0 with *ended left as
 * it was if so, else why not in *ended; -errno if that cannot be told. @vm_fd says where
 * to look for an ejection.
 */
int follow_check(uint32_t policy_id, pid_t pid, int vm_fd, const char *link_path,
		 enum follow_end *ended);

/*
 * Copy the policy's output to stdout and stdin to its input, one byte per record (handing
 * it over with the policy's input program, if it has one), until the VMM @pid exits, the
 * link pinned at @link_path no longer has this policy, or a signal; a terminal on stdin is
 * put in raw mode and Ctrl-] ends the session. @vm_fd says where to look for an ejection.
 * Returns 0 or -errno, and why it ended in *ended.
 */
int run_console(const struct console_maps *maps, pid_t pid, int vm_fd, const char *link_path,
		enum follow_end *ended);

#endif
