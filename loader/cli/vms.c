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

#include "vms.h"

#define KVM_DEBUGFS	"/sys/kernel/debug/kvm"

void pin_path(char *buf, size_t size, pid_t pid, int vm_fd)
{
	snprintf(buf, size, "%s/%d-%d", PIN_DIR, pid, vm_fd);
}

int steal_fd(pid_t pid, int fd)
{
	int pidfd, ret;

	pidfd = syscall(__NR_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	ret = syscall(__NR_pidfd_getfd, pidfd, fd, 0);
	if (ret < 0)
		ret = -errno;
	close(pidfd);
	return ret;
}

static void read_cmdline(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
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

uint64_t vm_eject_reason(pid_t pid, int vm_fd)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%d-%d/exit_bpf_ejected", KVM_DEBUGFS, pid, vm_fd);
	return read_u64(path);
}

/* KVM's per-VM debugfs directory sums each vCPU statistic over the VM's vCPUs. */
static void read_debugfs(struct vm_info *vm)
{
	static const char *const outcomes[] = {
		"handled", "to_user", "injected", "defaulted", "errors", "refused"
	};
	char dir[96], path[192];
	uint64_t *slot;
	int i, j;

	snprintf(dir, sizeof(dir), "%s/%d-%d", KVM_DEBUGFS, vm->pid, vm->vm_fd);
	snprintf(path, sizeof(path), "%s/exit_bpf_mmio_handled", dir);
	if (access(path, R_OK))
		return;
	vm->have_stats = true;
	for (i = 0; i < KVMEXIT_NR_EXITS; i++) {
		for (j = 0; j < (int)(sizeof(outcomes) / sizeof(outcomes[0])); j++) {
			snprintf(path, sizeof(path), "%s/exit_bpf_%s_%s", dir,
				 kvmexit_exit_name(i), outcomes[j]);
			slot = &vm->stats.exit[i].handled + j;
			*slot = read_u64(path);
		}
	}
	vm->stats.ejected = vm_eject_reason(vm->pid, vm->vm_fd);
}

/* The name of the policy behind the VM's pinned link, if there is one. */
static void read_policy(struct vm_info *vm)
{
	struct bpf_link_info link = {};
	struct bpf_map_info map = {};
	__u32 len = sizeof(link);
	char path[96];
	int fd, map_fd;

	pin_path(path, sizeof(path), vm->pid, vm->vm_fd);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return;
	if (!bpf_link_get_info_by_fd(fd, &link, &len) && link.type == BPF_LINK_TYPE_STRUCT_OPS) {
		map_fd = bpf_map_get_fd_by_id(link.struct_ops.map_id);
		len = sizeof(map);
		if (map_fd >= 0 && !bpf_map_get_info_by_fd(map_fd, &map, &len))
			snprintf(vm->policy, sizeof(vm->policy), "%s", map.name);
		else
			snprintf(vm->policy, sizeof(vm->policy), "(detached)");
		if (map_fd >= 0)
			close(map_fd);
	}
	close(fd);
}

static int add_vms_of(pid_t pid, struct vm_info **vms, int *nr)
{
	char dir[64], link[320], target[64];
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
		vm->pid = pid;
		vm->vm_fd = atoi(d->d_name);
		read_cmdline(pid, vm->cmdline, sizeof(vm->cmdline));
		read_debugfs(vm);
		read_policy(vm);
	}
	closedir(dp);
	if (denied && *nr == first)
		return -EACCES;
	/* A vCPU fd does not say its VM: the count is only known for a VMM with one VM. */
	for (i = first; i < *nr; i++)
		(*vms)[i].vcpus = *nr - first == 1 ? vcpus : -1;
	return 0;
}

int find_vms(pid_t pid, struct vm_info **vms)
{
	struct dirent *d;
	int nr = 0, err;
	DIR *dp;

	*vms = NULL;
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
		add_vms_of(atoi(d->d_name), vms, &nr);	/* processes come and go */
	}
	closedir(dp);
	return nr;
}
