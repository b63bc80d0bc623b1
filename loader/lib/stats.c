// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The exit policy statistics KVM keeps per vCPU (exit_bpf_<exit>_<outcome>) and per VM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "libkvmexit.h"

static const char *const exit_names[KVMEXIT_NR_EXITS] = {
	[KVMEXIT_MMIO] = "mmio", [KVMEXIT_NISV] = "nisv", [KVMEXIT_LDST64B] = "ldst64b",
	[KVMEXIT_SEA] = "sea", [KVMEXIT_HVC] = "hvc", [KVMEXIT_VNCR] = "vncr",
};

const char *kvmexit_exit_name(enum kvmexit_exit exit)
{
	return exit < KVMEXIT_NR_EXITS ? exit_names[exit] : NULL;
}

/* Where a statistic goes in struct kvmexit_stats, by its KVM name; NULL if not ours. */
static uint64_t *stat_slot(struct kvmexit_stats *stats, const char *name)
{
	static const char prefix[] = "exit_bpf_";
	const char *outcome;
	size_t len;
	int i;

	if (!strcmp(name, "exit_bpf_ejected"))
		return &stats->ejected;
	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return NULL;
	name += sizeof(prefix) - 1;
	for (i = 0; i < KVMEXIT_NR_EXITS; i++) {
		len = strlen(exit_names[i]);
		if (strncmp(name, exit_names[i], len) || name[len] != '_')
			continue;
		outcome = name + len + 1;
		if (!strcmp(outcome, "handled"))
			return &stats->exit[i].handled;
		if (!strcmp(outcome, "to_user"))
			return &stats->exit[i].to_user;
		if (!strcmp(outcome, "injected"))
			return &stats->exit[i].injected;
		if (!strcmp(outcome, "defaulted"))
			return &stats->exit[i].defaulted;
		if (!strcmp(outcome, "errors"))
			return &stats->exit[i].errors;
		if (!strcmp(outcome, "refused"))
			return &stats->exit[i].refused;
	}
	return NULL;
}

/* Add every exit_bpf_* statistic of a VM or vCPU fd to @stats; -ENOENT if it has none. */
static int add_stats(int fd, struct kvmexit_stats *stats)
{
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
	size_t desc_size;
	int stats_fd, found = 0, err = 0;
	uint64_t value, *slot;
	uint32_t i;

	stats_fd = ioctl(fd, KVM_GET_STATS_FD, NULL);
	if (stats_fd < 0)
		return -errno;
	if (pread(stats_fd, &hdr, sizeof(hdr), 0) != sizeof(hdr)) {
		close(stats_fd);
		return -EIO;
	}
	desc_size = sizeof(*desc) + hdr.name_size;
	desc = malloc(desc_size);
	if (!desc) {
		close(stats_fd);
		return -ENOMEM;
	}
	for (i = 0; i < hdr.num_desc && !err; i++) {
		if (pread(stats_fd, desc, desc_size, hdr.desc_offset + i * desc_size) !=
		    (ssize_t)desc_size) {
			err = -EIO;
			break;
		}
		slot = stat_slot(stats, desc->name);
		if (!slot)
			continue;
		if (pread(stats_fd, &value, sizeof(value), hdr.data_offset + desc->offset) !=
		    sizeof(value)) {
			err = -EIO;
			break;
		}
		*slot = strcmp(desc->name, "exit_bpf_ejected") ? *slot + value : value;
		found++;
	}
	free(desc);
	close(stats_fd);
	if (!err && !found)
		err = -ENOENT;	/* a kernel without CONFIG_KVM_ARM_EXIT_BPF */
	return err;
}

int kvmexit_add_vcpu_stats(int vcpu_fd, struct kvmexit_stats *stats)
{
	return add_stats(vcpu_fd, stats);
}

int kvmexit_read_vm_stats(int vm_fd, struct kvmexit_stats *stats)
{
	return add_stats(vm_fd, stats);
}
