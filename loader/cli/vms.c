// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "pins.h"
#include "vms.h"

#define KVM_DEBUGFS	"/sys/kernel/debug/kvm"

/* Is @fd (of this process) a KVM VM? */
static bool is_vm_fd(int fd)
{
	char path[64], target[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, "anon_inode:kvm-vm");
}

int steal_vm_fd(pid_t pid, int fd, unsigned long long start_time)
{
	int pidfd, ret;

	pidfd = syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	/* The pidfd pins the process: if it is still the one found, it stays that one. */
	if (process_start_time(pid) != start_time) {
		close(pidfd);
		return -ESRCH;
	}
	ret = syscall(__NR_pidfd_getfd, pidfd, fd, 0);
	if (ret < 0)
		ret = -errno;
	close(pidfd);
	if (ret >= 0 && !is_vm_fd(ret)) {
		close(ret);
		ret = -EBADF;	/* the VMM closed the VM and reused its fd number */
	}
	return ret;
}

/* /proc/PID/cmdline, its arguments NUL-separated, into @buf: its length, 0 if none. */
static size_t read_args(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return n;
}

/* The arguments as one line, each separated by a space. */
static void format_cmdline(const char *args, size_t len, char *buf, size_t size)
{
	size_t i, n = len < size - 1 ? len : size - 1;

	for (i = 0; i < n; i++)
		buf[i] = args[i] ?: ' ';
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}
static uint64_t read_u64(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/*
 * KVM names a VM's debugfs directory after the thread that created it (TID-FD): the
 * process's, or one of its threads'. 0, or -ENOENT (no debugfs, or a kernel without it).
 */
static int vm_debugfs_dir(pid_t pid, int vm_fd, char *buf, size_t size)
{
	char tasks[64];
	struct dirent *d;
	DIR *dp;

	snprintf(buf, size, "%s/%d-%d", KVM_DEBUGFS, pid, vm_fd);
	if (!access(buf, F_OK))
		return 0;
	snprintf(tasks, sizeof(tasks), "/proc/%d/task", pid);
	dp = opendir(tasks);
	while (dp && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(buf, size, "%s/%.20s-%d", KVM_DEBUGFS, d->d_name, vm_fd);
		if (!access(buf, F_OK)) {
			closedir(dp);
			return 0;
		}
	}
	if (dp)
		closedir(dp);
	return -ENOENT;
}

const char *eject_reason(uint64_t reason)
{
	switch (reason) {
	case 0:
		return NULL;
	case 1:
		return "forbidden verdicts";
	default:
		return "unknown reason";
	}
}

/* The VM statistic @name from the VM's debugfs directory; 0 if it cannot be read. */
static uint64_t vm_stat(pid_t pid, int vm_fd, const char *name)
{
	char dir[96], path[160];

	if (vm_debugfs_dir(pid, vm_fd, dir, sizeof(dir)))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_u64(path);
}

uint64_t vm_eject_reason(pid_t pid, int vm_fd)
{
	return vm_stat(pid, vm_fd, "exit_bpf_ejected");
}

uint64_t vm_id_of(pid_t pid, int vm_fd)
{
	return vm_stat(pid, vm_fd, "exit_bpf_vm_id");
}

/*
 * The fields of /proc/PID/stat from the third (the state) on, into @buf: counted after the
 * command name, which may hold spaces and ')'. NULL if the process is gone.
 */
static const char *stat_fields(pid_t pid, char *buf, size_t size)
{
	char path[64], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p + 2 : NULL;
}

unsigned long long process_start_time(pid_t pid)
{
	char buf[1024];
	const char *p = stat_fields(pid, buf, sizeof(buf));
	int field;

	/* Field 22. */
	for (field = 3; p && field < 22; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

bool process_exited(pid_t pid)
{
	char buf[1024];
	const char *state = stat_fields(pid, buf, sizeof(buf));

	return !state || *state == 'Z' || *state == 'X';
}

/* The VM's name as QEMU has it: -name NAME, or -name guest=NAME,... ("" if none). */
static void find_qemu_name(const char *args, size_t len, char *buf, size_t size)
{
	const char *arg, *end = args + len, *name = NULL;

	buf[0] = '\0';
	for (arg = args; arg < end; arg += strlen(arg) + 1)
		if ((!strcmp(arg, "-name") || !strcmp(arg, "--name")) &&
		    arg + strlen(arg) + 1 < end)
			name = arg + strlen(arg) + 1;
	if (!name)
		return;
	if (!strncmp(name, "guest=", 6))
		name += 6;
	/* QEMU's option syntax: a comma ends the value, two make one. */
	while (*name && size > 1) {
		if (*name == ',' && name[1] != ',')
			break;
		if (*name == ',')
			name++;
		*buf++ = *name++;
		size--;
	}
	*buf = '\0';
}
const char *const outcome_names[NR_OUTCOMES] = {
	"handled", "to_user", "injected", "defaulted", "errors", "refused"
};

/* KVM's per-VM debugfs directory sums each vCPU statistic over the VM's vCPUs. */
static void read_debugfs(struct vm_info *vm)
{
	char dir[96], path[192];
	uint64_t *slot;
	int i, j;

	if (vm_debugfs_dir(vm->pid, vm->vm_fd, dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/exit_bpf_mmio_handled", dir);
	if (access(path, R_OK))
		return;
	vm->have_stats = true;
	for (i = 0; i < KVMEXIT_NR_EXITS; i++) {
		for (j = 0; j < NR_OUTCOMES; j++) {
			snprintf(path, sizeof(path), "%s/exit_bpf_%s_%s", dir,
				 kvmexit_exit_name(i), outcome_names[j]);
			slot = &vm->stats.exit[i].handled + j;
			*slot = read_u64(path);
		}
	}
	vm->stats.ejected = vm_eject_reason(vm->pid, vm->vm_fd);
	vm->vm_id = vm_id_of(vm->pid, vm->vm_fd);
}

/*
 * The VM's chain of policies, every one whoever attached it, from debugfs: the binary
 * statistics that have it too are the VMM's alone (KVM_GET_STATS_FD needs its mm).
 */
static void read_chain(struct vm_info *vm)
{
	char dir[96], path[160], origin[16];
	unsigned int id;
	FILE *f = NULL;
	int i;

	if (!vm_debugfs_dir(vm->pid, vm->vm_fd, dir, sizeof(dir))) {
		snprintf(path, sizeof(path), "%s/exit_bpf_policies", dir);
		f = fopen(path, "re");
	}
	vm->nr_policies = f ? 0 : -1;
	while (f && vm->nr_policies < KVMEXIT_MAX_POLICIES &&
	       fscanf(f, "%u %15s", &id, origin) == 2) {
		vm->chain[vm->nr_policies].id = id;
		vm->chain[vm->nr_policies].origin = KVMEXIT_ORIGIN_NONE;
		for (i = KVMEXIT_ORIGIN_HOST; i <= KVMEXIT_ORIGIN_VM; i++)
			if (!strcmp(origin, kvmexit_origin_name(i)))
				vm->chain[vm->nr_policies].origin = i;
		policy_name(id, vm->names[vm->nr_policies], sizeof(vm->names[0]));
		vm->nr_policies++;
	}
	if (f)
		fclose(f);
}

static int add_vms_of(pid_t pid, struct vm_info **vms, int *nr)
{
	char dir[64], link[320], target[64], args[4096];
	size_t args_len = 0;
	int first = *nr, vcpus = 0, i;
	struct vm_info *grown, *vm;
	bool denied = false;
	struct dirent *d;
	ssize_t n;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0) {
			/* The directory lists, but its links need ptrace rights too. */
			denied |= errno == EACCES || errno == EPERM;
			continue;
		}
		target[n] = '\0';
		if (!strncmp(target, "anon_inode:kvm-vcpu:", 20))
			vcpus++;
		if (strcmp(target, "anon_inode:kvm-vm"))
			continue;
		grown = realloc(*vms, (*nr + 1) * sizeof(**vms));
		if (!grown) {
			closedir(dp);
			return -ENOMEM;
		}
		*vms = grown;
		vm = &(*vms)[(*nr)++];
		memset(vm, 0, sizeof(*vm));
		if (!args_len)	/* once per VMM, whatever its number of VMs */
			args_len = read_args(pid, args, sizeof(args));
		vm->pid = pid;
		vm->vm_fd = atoi(d->d_name);
		format_cmdline(args, args_len, vm->cmdline, sizeof(vm->cmdline));
		find_qemu_name(args, args_len, vm->name, sizeof(vm->name));
		vm->start_time = process_start_time(pid);
		vm->stats.sz = sizeof(vm->stats);
		read_debugfs(vm);
		read_chain(vm);
	}
	closedir(dp);
	if (denied && *nr == first)
		return -EACCES;
	/* A vCPU fd does not say its VM: the count is only known for a VMM with one VM. */
	for (i = first; i < *nr; i++)
		(*vms)[i].vcpus = *nr - first == 1 ? vcpus : -1;
	return 0;
}

int find_vms(pid_t pid, struct vm_info **vms, int *hidden)
{
	struct dirent *d;
	int nr = 0, err;
	DIR *dp;

	*vms = NULL;
	*hidden = 0;
	if (pid) {
		err = add_vms_of(pid, vms, &nr);
		return err ? err : nr;
	}
	dp = opendir("/proc");
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		/* Processes come and go; those we may not inspect are counted. */
		err = add_vms_of(atoi(d->d_name), vms, &nr);
		*hidden += err == -EACCES || err == -EPERM;
	}
	closedir(dp);
	return nr;
}
