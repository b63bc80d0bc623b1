/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where kvmexit pins the policies it attaches, one bpffs directory per target:
 * PIN_DIR/PID-FD-START-VMID for a VM (START: its VMM's start time, so that a process reusing
 * the pid of a VMM that is gone never takes its pins for its own; VMID: KVM's id of the VM,
 * so that a VM the VMM creates at the fd of one it closed never takes the closed one's),
 * PIN_DIR/cgroup-INODE for a cgroup, PIN_DIR/host for the host.
 * In it, each policy's link at NAME (the policy's name), and beside it at NAME-X what must
 * outlive kvmexit with it (see kvmexit_policy_pin()).
 */
#ifndef KVMEXIT_PINS_H
#define KVMEXIT_PINS_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#define PIN_DIR		"/sys/fs/bpf/kvmexit"
#define HOST_PIN_DIR	PIN_DIR "/host"

void vm_pin_dir(char *buf, size_t size, pid_t pid, int vm_fd, unsigned long long start_time,
		uint64_t vm_id);
/*
 * Read a VM's directory name back into its parts: 0, or -EINVAL for a name that is not a
 * VM's.
 */
int parse_vm_pin_dir(const char *name, pid_t *pid, int *vm_fd, unsigned long long *start_time,
		     uint64_t *vm_id);
/* The directory of the cgroup (v2) at @path: 0 or -errno (not there, not a directory). */
int cgroup_pin_dir(char *buf, size_t size, const char *path);

/*
 * The names of the policy links pinned in @dir, up to @max of them, in @names: their
 * number, 0 if there is no such directory, or -errno.
 */
int pinned_policies(const char *dir, char (*names)[NAME_MAX + 1], int max);

/* The struct_ops map id of the link pinned at @path: 0 if detached, or -errno. */
int64_t pinned_policy_id(const char *path);

/*
 * A policy's name from its struct_ops map id: the kernel's map name, completed from the
 * name kvmexit pinned it under where the kernel cut it at 15 characters; else "id N".
 */
void policy_name(uint32_t id, char *buf, size_t size);

#endif
