/* SPDX-License-Identifier: GPL-2.0 */
/* What a kvmexit command acts on: a VM, a cgroup or the host, and its pinned policies. */
#ifndef KVMEXIT_TARGET_H
#define KVMEXIT_TARGET_H

#include <limits.h>
#include <stdbool.h>

#include "args.h"
#include "libkvmexit.h"
#include "vms.h"

/* A target, and the bpffs directory where kvmexit pins its policies. */
struct target {
	struct kvmexit_attach_opts opts;	/* target, fd (if asked for), place */
	char dir[PATH_MAX];
	char what[PATH_MAX + 16];		/* for messages: "VM 12/5", "cgroup PATH" */
	struct vm_info vm;
};

/* Every function returns an exit code (and said what failed). */

/* The target the options name (a VM also sets opt->vm_fd). */
int pick_target(struct options *opt, struct target *t);
/* A VM target from the pins alone: also for a VMM that is gone (detach cleans up). */
int pick_pinned_vm(const struct options *opt, struct target *t);
/* The target's fd into t->opts.fd (the caller closes it): the VM's, or the cgroup's. */
int open_target(const struct options *opt, struct target *t);
/* --first, --before NAME, --after NAME: NAME one of the target's pinned policies, or an id. */
int pick_place(const struct options *opt, struct target *t);
/*
 * Which of the target's pinned policies a command means, into @name: @wanted, else
 * @preferred if pinned, else the only one.
 */
int pick_pinned(const struct target *t, const char *wanted, const char *preferred,
		char *name, size_t size);

/*
 * Lock the target's pin directory (made first if @create) against another kvmexit
 * changing the target's policies or rules (attach, replace, detach; rule edits take the
 * same lock, see open_filter()): its fd into *@lock_fd, held until unlock_target().
 */
int lock_target(const struct target *t, bool create, int *lock_fd);
/* Remove the directory if it has no pin left, and let go of the lock. */
void unlock_target(const struct target *t, int lock_fd);

#endif
