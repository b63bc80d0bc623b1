/* SPDX-License-Identifier: GPL-2.0 */
/* kvmexit console: a policy's ring buffers as the VM's console. */
#ifndef KVMEXIT_CONSOLE_H
#define KVMEXIT_CONSOLE_H

#include <sys/types.h>

struct console_maps {
	int out_fd;	/* the BPF ring buffer the policy writes guest output to */
	int in_fd;	/* the user ring buffer it takes input from, -1 if none */
};

/*
 * The console maps of the policy behind the pinned struct_ops link @link_fd: the maps its
 * programs use, a BPF_MAP_TYPE_RINGBUF and a BPF_MAP_TYPE_USER_RINGBUF (one of each at
 * most). -ENOENT if it has no ring buffer, -ENOTUNIQ if several, or another -errno.
 */
int find_console_maps(int link_fd, struct console_maps *maps);

/*
 * Copy the policy's output to stdout and stdin to its input, one byte per record, until
 * the VMM @pid exits, the link pinned at @pin_path goes away, or a signal; a terminal on
 * stdin is put in raw mode and Ctrl-] ends the session. Returns 0 or -errno.
 */
int run_console(const struct console_maps *maps, pid_t pid, const char *pin_path);

#endif
