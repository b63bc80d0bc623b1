// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* The exit policy statistics KVM keeps per vCPU (exit_bpf_<exit>_<outcome>) and per VM. */
#include <errno.h>
#include <stddef.h>
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

/*
 * Call @fn for each statistic of a VM or vCPU fd (KVM_GET_STATS_FD), with its values
 * (desc->size of them, at most 64 read), until it returns nonzero.
 */
static int for_each_stat(int fd, int (*fn)(const struct kvm_stats_desc *desc,
					   const uint64_t *values, void *arg), void *arg)
{
	struct kvm_stats_header hdr;
	struct kvm_stats_desc *desc;
	uint64_t values[64];
	size_t desc_size, size;
	int stats_fd, ret = 0;
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
	for (i = 0; i < hdr.num_desc && !ret; i++) {
		if (pread(stats_fd, desc, desc_size, hdr.desc_offset + i * desc_size) !=
		    (ssize_t)desc_size) {
			ret = -EIO;
			break;
		}
		size = (desc->size < 64 ? desc->size : 64) * sizeof(values[0]);
		if (pread(stats_fd, values, size, hdr.data_offset + desc->offset) != (ssize_t)size) {
			ret = -EIO;
			break;
		}
		ret = fn(desc, values, arg);
	}
	free(desc);
	close(stats_fd);
	return ret < 0 ? ret : 0;
}

struct stats_sum {
	struct kvmexit_stats *stats;
	int found;
};

static int add_stat(const struct kvm_stats_desc *desc, const uint64_t *values, void *arg)
{
	struct stats_sum *sum = arg;
	uint64_t *slot = stat_slot(sum->stats, desc->name);

	if (!slot)
		return 0;
	*slot = strcmp(desc->name, "exit_bpf_ejected") ? *slot + values[0] : values[0];
	sum->found++;
	return 0;
}

/* struct kvmexit_stats as 0.3 laid it out: its callers pass 304 bytes, and get that. */
struct kvmexit_stats_0_3 {
	size_t sz;
	uint64_t exit[6][6];	/* exits mmio..vncr, outcomes handled..refused */
	uint64_t ejected;
};

/* 0.3's layout @stats into @all, today's whole struct (@in), or @all back into it. */
static void convert_0_3(struct kvmexit_stats_0_3 *stats, struct kvmexit_stats *all, bool in)
{
	int e;

	for (e = 0; e < 6; e++) {
		if (in)
			memcpy(&all->exit[e], stats->exit[e], sizeof(stats->exit[e]));
		else
			memcpy(stats->exit[e], &all->exit[e], sizeof(stats->exit[e]));
	}
	if (in)
		all->ejected = stats->ejected;
	else
		stats->ejected = all->ejected;
}

/*
 * Add every exit_bpf_* statistic of a VM or vCPU fd to @stats; -ENOENT if it has none.
 * Summed in a whole struct, then copied back up to the caller's stats->sz (or into 0.3's
 * layout, for its callers).
 */
static int add_stats(int fd, struct kvmexit_stats *stats)
{
	bool v0_3 = stats->sz == sizeof(struct kvmexit_stats_0_3);
	struct kvmexit_stats all = {};
	struct stats_sum sum = { .stats = &all };
	size_t size;
	int err;

	if (stats->sz < offsetof(struct kvmexit_stats, ejected) + sizeof(stats->ejected))
		return -EINVAL;
	/* Whole counters only: a size that ends within one leaves it out. */
	size = stats->sz < sizeof(all) ? stats->sz & ~(sizeof(uint64_t) - 1) : sizeof(all);
	if (v0_3)
		convert_0_3((struct kvmexit_stats_0_3 *)stats, &all, true);
	else
		memcpy(&all, stats, size);
	err = for_each_stat(fd, add_stat, &sum);
	if (!err && !sum.found)
		err = -ENOENT;	/* a kernel without CONFIG_KVM_ARM_EXIT_BPF */
	if (err)
		return err;
	if (v0_3)
		convert_0_3((struct kvmexit_stats_0_3 *)stats, &all, false);
	else
		memcpy((char *)stats + sizeof(stats->sz), (char *)&all + sizeof(all.sz),
		       size - sizeof(all.sz));
	return 0;
}

int kvmexit_add_vcpu_stats(int vcpu_fd, struct kvmexit_stats *stats)
{
	return add_stats(vcpu_fd, stats);
}

int kvmexit_read_vm_stats(int vm_fd, struct kvmexit_stats *stats)
{
	return add_stats(vm_fd, stats);
}

struct chain_read {
	struct kvmexit_chain_entry *entries;
	int max, nr;
	bool found;
};

/* exit_bpf_chain: per position, the policy's map id | its origin << 32; 0 past the end. */
static int read_chain(const struct kvm_stats_desc *desc, const uint64_t *values, void *arg)
{
	struct chain_read *chain = arg;
	uint32_t i;

	if (strcmp(desc->name, "exit_bpf_chain"))
		return 0;
	chain->found = true;
	for (i = 0; i < desc->size && i < 64 && values[i]; i++) {
		if (chain->nr < chain->max) {
			chain->entries[chain->nr].id = (uint32_t)values[i];
			chain->entries[chain->nr].origin = values[i] >> 32;
		}
		chain->nr++;
	}
	return 1;
}

int kvmexit_read_chain(int vm_fd, struct kvmexit_chain_entry *entries, int max)
{
	struct chain_read chain = { .entries = entries, .max = max };
	int err = for_each_stat(vm_fd, read_chain, &chain);

	if (err)
		return err;
	return chain.found ? chain.nr : -ENOENT;	/* -ENOENT: a kernel without chains */
}

/* exit_bpf_vm_id: the number KVM gave the VM at its creation. */
static int read_vm_id(const struct kvm_stats_desc *desc, const uint64_t *values, void *arg)
{
	uint64_t *id = arg;

	if (strcmp(desc->name, "exit_bpf_vm_id"))
		return 0;
	*id = values[0];
	return 1;
}

int kvmexit_read_vm_id(int vm_fd, uint64_t *id)
{
	uint64_t found = 0;
	int err = for_each_stat(vm_fd, read_vm_id, &found);

	if (err)
		return err;
	if (!found)
		return -ENOENT;	/* a kernel that numbers no VM (ids start at 1) */
	*id = found;
	return 0;
}

const char *kvmexit_origin_name(enum kvmexit_origin origin)
{
	switch (origin) {
	case KVMEXIT_ORIGIN_HOST:
		return "host";
	case KVMEXIT_ORIGIN_CGROUP:
		return "cgroup";
	case KVMEXIT_ORIGIN_VM:
		return "vm";
	default:
		return NULL;
	}
}
