// SPDX-License-Identifier: GPL-2.0
/* Picking what a command acts on, from the options, the VMM's fds and the pins. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pins.h"
#include "target.h"

/* The VM QEMU's -name names (--vm-name), among those this process may inspect. */
static int pick_named_vm(const struct options *opt, struct vm_info *out)
{
	int nr, i, found = -1, hidden;
	struct vm_info *vms;

	nr = find_vms(0, &vms, &hidden);
	if (nr < 0)
		return fail(EXIT_FAIL, "listing the VMs: %s", strerror(-nr));
	for (i = 0; i < nr; i++)
		if (!strcmp(vms[i].name, opt->vm_name))
			found = found == -1 ? i : -2;
	if (found >= 0)
		*out = vms[found];
	free(vms);
	if (found == -2)
		return fail(EXIT_NO_VM, "several VMs are named %s: choose with --pid and --vm",
			    opt->vm_name);
	if (found == -1)
		return fail(EXIT_NO_VM, "no VM named %s%s", opt->vm_name, hidden ?
			    " (some processes could not be inspected: no ptrace rights)" : "");
	return EXIT_OK;
}

/* The one VM the options name, or an exit code. */
static int pick_vm(const struct options *opt, struct vm_info *out)
{
	int nr, i, found = -1, hidden;
	struct vm_info *vms;

	if (opt->vm_name)
		return pick_named_vm(opt, out);
	if (!opt->pid)
		return fail(EXIT_USAGE, "--pid or --vm-name is required");
	if (kill(opt->pid, 0) && errno == ESRCH)
		return fail(EXIT_NO_VM, "no process %d", opt->pid);
	nr = find_vms(opt->pid, &vms, &hidden);
	if (nr == -EACCES || nr == -EPERM)
		return fail(EXIT_PERM, "cannot see the fds of process %d: no ptrace rights over it",
			    opt->pid);
	if (nr < 0)
		return fail(EXIT_NO_VM, "process %d: %s", opt->pid, strerror(-nr));
	for (i = 0; i < nr; i++)
		if (opt->vm_fd < 0 || vms[i].vm_fd == opt->vm_fd)
			found = found == -1 ? i : -2;
	if (found == -1) {
		free(vms);
		if (opt->vm_fd >= 0)
			return fail(EXIT_NO_VM, "process %d has no VM at fd %d", opt->pid,
				    opt->vm_fd);
		return fail(EXIT_NO_VM, "process %d has no VM", opt->pid);
	}
	if (found == -2) {
		free(vms);
		return fail(EXIT_NO_VM, "process %d has %d VMs: choose one with --vm", opt->pid,
			    nr);
	}
	*out = vms[found];
	free(vms);
	return EXIT_OK;
}

static int take_vm_fd(const struct options *opt, const struct target *t, int *fd)
{
	*fd = steal_vm_fd(opt->pid, opt->vm_fd, t->vm.start_time);
	if (*fd == -EPERM || *fd == -EACCES)
		return fail(EXIT_PERM, "no ptrace rights over process %d (pidfd_getfd: %s)",
			    opt->pid, strerror(-*fd));
	if (*fd < 0)
		return fail(EXIT_NO_VM, "process %d fd %d: %s", opt->pid, opt->vm_fd,
			    strerror(-*fd));
	return EXIT_OK;
}

int pick_target(struct options *opt, struct target *t)
{
	int err;

	memset(t, 0, sizeof(*t));
	t->opts.sz = sizeof(t->opts);
	t->opts.fd = -1;
	if (opt->host) {
		t->opts.target = KVMEXIT_TARGET_HOST;
		snprintf(t->dir, sizeof(t->dir), "%s", HOST_PIN_DIR);
		snprintf(t->what, sizeof(t->what), "the host");
		return EXIT_OK;
	}
	if (opt->cgroup) {
		t->opts.target = KVMEXIT_TARGET_CGROUP;
		snprintf(t->what, sizeof(t->what), "cgroup %s", opt->cgroup);
		err = cgroup_pin_dir(t->dir, sizeof(t->dir), opt->cgroup);
		if (err)
			return fail(EXIT_NO_VM, "cgroup %s: %s", opt->cgroup, strerror(-err));
		return EXIT_OK;
	}
	err = pick_vm(opt, &t->vm);
	if (err)
		return err;
	opt->pid = t->vm.pid;
	opt->vm_fd = t->vm.vm_fd;
	t->opts.target = KVMEXIT_TARGET_VM;
	vm_pin_dir(t->dir, sizeof(t->dir), t->vm.pid, t->vm.vm_fd, t->vm.start_time,
		   t->vm.vm_id);
	snprintf(t->what, sizeof(t->what), "VM %d/%d", t->vm.pid, t->vm.vm_fd);
	return EXIT_OK;
}

int open_target(const struct options *opt, struct target *t)
{
	if (t->opts.target == KVMEXIT_TARGET_VM)
		return take_vm_fd(opt, t, &t->opts.fd);
	if (t->opts.target != KVMEXIT_TARGET_CGROUP)
		return EXIT_OK;
	t->opts.fd = open(opt->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->opts.fd < 0)
		return fail(EXIT_NO_VM, "cgroup %s: %s", opt->cgroup, strerror(errno));
	return EXIT_OK;
}

/* The origin ("host", "cgroup") of @id on the VM's chain if it is the operator's; else NULL. */
static const char *operator_policy(const struct vm_info *vm, uint32_t id)
{
	int p;

	for (p = 0; p < vm->nr_policies; p++)
		if (vm->chain[p].id == id && vm->chain[p].origin != KVMEXIT_ORIGIN_VM)
			return kvmexit_origin_name(vm->chain[p].origin) ?: "?";
	return NULL;
}

int pick_place(const struct options *opt, struct target *t)
{
	const char *anchor = opt->before ?: opt->after;
	char path[2 * PATH_MAX];
	unsigned long long number;
	const char *origin;
	int64_t id;

	if (opt->first)
		t->opts.place = KVMEXIT_PLACE_FIRST;
	if (!anchor)
		return EXIT_OK;
	t->opts.place = opt->before ? KVMEXIT_PLACE_BEFORE : KVMEXIT_PLACE_AFTER;
	id = parse_uint(anchor, UINT32_MAX, &number) ? (int64_t)number : 0;
	if (!id) {
		snprintf(path, sizeof(path), "%s/%s", t->dir, anchor);
		id = pinned_policy_id(path);
	}
	if (id <= 0)
		return fail(EXIT_STATE, "%s has no policy %s attached by kvmexit (kvmexit list "
			    "shows its policies; an id works too)", t->what, anchor);
	/* The kernel looks for the anchor among the VM's own, which come after those. */
	origin = t->opts.target == KVMEXIT_TARGET_VM ? operator_policy(&t->vm, id) : NULL;
	if (origin)
		return fail(EXIT_STATE, "%s: policy %s is the operator's (%s): a VM's policy "
			    "cannot be placed before or after the operator's, which come first on "
			    "its chain (--first: first among the VM's own)", t->what, anchor,
			    origin);
	t->opts.anchor_id = id;
	return EXIT_OK;
}

int pick_pinned(const struct target *t, const char *wanted, const char *preferred,
		       char *name, size_t size)
{
	char names[KVMEXIT_MAX_POLICIES * 2][NAME_MAX + 1];
	int nr = pinned_policies(t->dir, names, KVMEXIT_MAX_POLICIES * 2), i;

	if (nr < 0)
		return fail(EXIT_FAIL, "reading %s: %s", t->dir, strerror(-nr));
	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], wanted ?: preferred ?: "")) {
			snprintf(name, size, "%.*s", NAME_MAX, names[i]);
			return EXIT_OK;
		}
	if (wanted)
		return fail(EXIT_STATE, "%s has no policy %s attached by kvmexit", t->what, wanted);
	if (nr > 1)
		return fail(EXIT_STATE, "%s has %d policies attached by kvmexit: name one", t->what,
			    nr);
	if (!nr)
		return fail(EXIT_STATE, "%s: no policy attached by kvmexit", t->what);
	snprintf(name, size, "%s", names[0]);
	return EXIT_OK;
}

/* Is @vm_id one of the live VMs of process @pid? */
static bool live_vm(pid_t pid, uint64_t vm_id)
{
	struct vm_info *vms;
	int nr, i, hidden;
	bool found = false;

	nr = find_vms(pid, &vms, &hidden);
	for (i = 0; i < nr && !found; i++)
		found = vms[i].vm_id == vm_id;
	if (nr >= 0)
		free(vms);
	return found;
}

int pick_pinned_vm(const struct options *opt, struct target *t)
{
	unsigned long long start = process_start_time(opt->pid), pinned_start;
	int matches = 0, fd;
	struct dirent *d;
	uint64_t vm_id;
	pid_t pid;
	DIR *dp;

	memset(t, 0, sizeof(*t));
	dp = opendir(PIN_DIR);
	while (dp && (d = readdir(dp))) {
		/*
		 * PID-FD-START-VMID: of a live VMM, a VM it has now (not one it closed, whose fd
		 * a later VM took); any of a VMM that is gone.
		 */
		if (parse_vm_pin_dir(d->d_name, &pid, &fd, &pinned_start, &vm_id) ||
		    pid != opt->pid || (opt->vm_fd >= 0 && fd != opt->vm_fd) ||
		    (start && (pinned_start != start || !live_vm(pid, vm_id))))
			continue;
		snprintf(t->dir, sizeof(t->dir), "%s/%s", PIN_DIR, d->d_name);
		snprintf(t->what, sizeof(t->what), "VM %d/%d", pid, fd);
		matches++;
	}
	if (dp)
		closedir(dp);
	if (matches > 1)
		return fail(EXIT_NO_VM, "process %d has policies on %d VMs: choose with --vm",
			    opt->pid, matches);
	if (!matches) {
		if (!start)
			return fail(EXIT_NO_VM, "no process %d, and no policy left by it",
				    opt->pid);
		return fail(EXIT_STATE, "VM of process %d: no policy attached by kvmexit",
			    opt->pid);
	}
	return EXIT_OK;
}

int lock_target(const struct target *t, bool create, int *lock_fd)
{
	struct stat locked, there;

	for (;;) {
		if (create) {
			mkdir(PIN_DIR, 0700);
			if (mkdir(t->dir, 0700) && errno != EEXIST)
				return fail(EXIT_FAIL, "making %s: %s", t->dir, strerror(errno));
		}
		*lock_fd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (*lock_fd < 0 && errno == ENOENT && create)
			continue;	/* removed since: made again */
		if (*lock_fd < 0 && errno == ENOENT)
			return fail(EXIT_STATE, "%s: no policy attached by kvmexit", t->what);
		if (*lock_fd < 0)
			return fail(EXIT_FAIL, "opening %s: %s", t->dir, strerror(errno));
		if (flock(*lock_fd, LOCK_EX)) {
			close(*lock_fd);
			return fail(EXIT_FAIL, "locking %s: %s", t->dir, strerror(errno));
		}
		/* Removed with its last policy while this waited: lock the one there now. */
		if (!fstat(*lock_fd, &locked) && !stat(t->dir, &there) &&
		    locked.st_ino == there.st_ino && locked.st_dev == there.st_dev)
			return EXIT_OK;
		close(*lock_fd);
		if (!create)
			return fail(EXIT_STATE, "%s: no policy attached by kvmexit", t->what);
	}
}

void unlock_target(const struct target *t, int lock_fd)
{
	/* Empty once a failed attach made it, or a detach took its last policy. */
	rmdir(t->dir);
	close(lock_fd);
}
