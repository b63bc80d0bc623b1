/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmexit rule and kvmexit log: the run-time rules and the audit log of a target's
 * hypercall filter (policies/hypercall_filter.bpf.c), through the maps kvmexit pinned
 * beside its link (PIN_DIR/PID-FD-START-VMID/NAME-MAP).
 */
#ifndef KVMEXIT_FILTER_H
#define KVMEXIT_FILTER_H

#include <stdint.h>

#include "args.h"
#include "target.h"

/* A target's hypercall filter, and the fds of its pinned maps (-1: not opened). */
struct filter {
	struct target t;
	char name[NAME_MAX + 1];	/* its link's pin name */
	char link[2 * PATH_MAX];	/* the link's pin */
	int rules_fd, ranges_fd, log_fd, bss_fd;
	int lock_fd;			/* its pin directory, locked while rules change */
};

/*
 * The filter the options name (--name, else hypercall_filter, else the only policy), with
 * its rules' maps, and if @with_log its log and its globals, else (to change its rules)
 * with the target's pin directory locked against another kvmexit's rule edits: an exit code.
 */
int open_filter(struct options *opt, struct filter *f, bool with_log);
void close_filter(struct filter *f);
/* The filter's globals @names (u64s in its .bss) into @values: an exit code. */
int filter_globals(const struct filter *f, const char *const *names, uint64_t *values, int n);

int cmd_rule(struct options *opt);
int cmd_log(struct options *opt);

#endif
