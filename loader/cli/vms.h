/* SPDX-License-Identifier: GPL-2.0 */
/* The VMs on this host: found through /proc/PID/fd, described through debugfs and bpffs. */
#ifndef KVMEXIT_VMS_H
#define KVMEXIT_VMS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libkvmexit.h"

/* The counters per exit, in the order of struct kvmexit_counters. */
#define NR_OUTCOMES	6
extern const char *const outcome_names[NR_OUTCOMES];

struct vm_info {
	pid_t pid;
	int vm_fd;
	char cmdline[256];
	char name[64];			/* QEMU's -name; "" if none */
	unsigned long long start_time;	/* the VMM's, see process_start_time() */
	uint64_t vm_id;			/* KVM's (exit_bpf_vm_id); 0: unknown (no debugfs) */
	int vcpus;			/* -1: unknown (a VMM with several VMs) */
	int nr_policies;		/* on its chain; -1: unknown (no debugfs, an old kernel) */
	struct kvmexit_chain_entry chain[KVMEXIT_MAX_POLICIES];
	char names[KVMEXIT_MAX_POLICIES][64];	/* the policies' names (see policy_name()) */
	bool have_stats;
	struct kvmexit_stats stats;
};

/*
 * Every VM of @pid (0: of every process) into *vms; returns their number or -errno. With
 * @pid 0, *hidden counts the processes whose fds this one may not read (no ptrace rights).
 */
int find_vms(pid_t pid, struct vm_info **vms, int *hidden);
/* Why KVM ejected the VM's policy (exit_bpf_ejected, from debugfs); 0 if it did not. */
uint64_t vm_eject_reason(pid_t pid, int vm_fd);
/*
 * The id KVM gave the VM (exit_bpf_vm_id, from debugfs): never another VM's, unlike its fd
 * number. 0 if it cannot be read (no debugfs, a kernel without VM ids).
 */
uint64_t vm_id_of(pid_t pid, int vm_fd);
/* A reason of vm_eject_reason() in words; NULL for 0 (not ejected). */
const char *eject_reason(uint64_t reason);
/*
 * When @pid started, in clock ticks after boot (/proc/PID/stat): with the pid, it names a
 * process that a later one reusing the pid is never taken for. 0 if it is gone.
 */
unsigned long long process_start_time(pid_t pid);
/*
 * Has @pid exited? Gone, or a zombie: a VMM's VMs are gone before its parent reaps it (its
 * fds closed as it exited).
 */
bool process_exited(pid_t pid);
/*
 * A duplicate of the VM fd @fd of process @pid, started at @start_time (pidfd_getfd: needs
 * ptrace rights over it): -ESRCH if the pid is another process's now, -EBADF if the fd is
 * no longer a VM.
 */
int steal_vm_fd(pid_t pid, int fd, unsigned long long start_time);

#endif
