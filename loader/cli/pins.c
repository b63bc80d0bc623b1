// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "libkvmexit.h"
#include "pins.h"

void vm_pin_dir(char *buf, size_t size, pid_t pid, int vm_fd, unsigned long long start_time,
		uint64_t vm_id)
{
	snprintf(buf, size, "%s/%d-%d-%llu-%llu", PIN_DIR, pid, vm_fd, start_time,
		 (unsigned long long)vm_id);
}

int parse_vm_pin_dir(const char *name, pid_t *pid, int *vm_fd, unsigned long long *start_time,
		     uint64_t *vm_id)
{
	unsigned long long id;
	int p, len;

	if (sscanf(name, "%d-%d-%llu-%llu%n", &p, vm_fd, start_time, &id, &len) != 4 ||
	    name[len])
		return -EINVAL;
	*pid = p;
	*vm_id = id;
	return 0;
}

int cgroup_pin_dir(char *buf, size_t size, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	snprintf(buf, size, "%s/cgroup-%llu", PIN_DIR, (unsigned long long)st.st_ino);
	return 0;
}

int64_t pinned_policy_id(const char *path)
{
	uint32_t id;
	int err = kvmexit_pinned_policy_id(path, &id);

	return err ? err : (int64_t)id;
}

int pinned_policies(const char *dir, char (*names)[NAME_MAX + 1], int max)
{
	char path[PATH_MAX];
	struct dirent *d;
	int nr = 0;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dp)) && nr < max) {
		if (d->d_name[0] == '.')
			continue;
		/* Programs and maps pinned beside a link are not links. */
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (pinned_policy_id(path) < 0)
			continue;
		snprintf(names[nr++], NAME_MAX + 1, "%s", d->d_name);
	}
	closedir(dp);
	return nr;
}

/* The name under which the link of map @id is pinned in a directory of PIN_DIR. */
static int find_pinned_name(uint32_t id, char *buf, size_t size)
{
	char dir[PATH_MAX], names[16][NAME_MAX + 1], path[2 * PATH_MAX];
	struct dirent *d;
	int nr, i, found = -ENOENT;
	DIR *dp;

	dp = opendir(PIN_DIR);
	if (!dp)
		return -errno;
	while (found && (d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", PIN_DIR, d->d_name);
		nr = pinned_policies(dir, names, 16);
		for (i = 0; i < nr && found; i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (pinned_policy_id(path) == id) {
				snprintf(buf, size, "%.*s", NAME_MAX, names[i]);
				found = 0;
			}
		}
	}
	closedir(dp);
	return found;
}

void policy_name(uint32_t id, char *buf, size_t size)
{
	struct bpf_map_info info = {};
	char pinned[NAME_MAX + 1];
	__u32 len = sizeof(info);
	int fd;

	fd = bpf_map_get_fd_by_id(id);
	if (fd >= 0 && !bpf_map_get_info_by_fd(fd, &info, &len) && info.name[0])
		snprintf(buf, size, "%s", info.name);
	else
		snprintf(buf, size, "id %u", id);
	if (fd >= 0)
		close(fd);
	/* The kernel keeps 15 characters of a name: the pin may have the rest. */
	if (strlen(info.name) == sizeof(info.name) - 1 && !find_pinned_name(id, pinned, sizeof(pinned)) &&
	    !strncmp(pinned, info.name, strlen(info.name)))
		snprintf(buf, size, "%s", pinned);
}
