// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/*
 * A replace keeps what the operator set and what the policy counted: before the new policy
 * is loaded, each of its maps takes over the running policy's map of the same name (a data
 * section that of the same section: .bss the .bss):
 *  - a map of the same definition (type, key and value sizes, entries, flags) is reused:
 *    both policies share it across the swap, so nothing written meanwhile is lost (rules,
 *    ranges, counts, a ring buffer and its reader);
 *  - a data section (.bss, .data) of the same layout is reused as well, unless the new
 *    policy was given one of its variables with kvmexit_policy_set(); otherwise each of its
 *    variables takes the running policy's value of the same name and size (what changes
 *    between that copy and the swap is lost: an upgrade's window);
 *  - .rodata, the parameters: each takes the running policy's value of the same name,
 *    unless the new policy was given one with kvmexit_policy_set();
 *  - maps whose values hold kernel objects (BPF timers, workqueues, pointers) are not
 *    reused: such an object belongs to the program that armed it; the new policy starts its
 *    own. Variables of such types, and spin locks, are never copied.
 * A variable or map the running policy does not have keeps the new policy's default. One of
 * the same name whose size (or definition) differs cannot be carried: -EPROTO, and the log
 * names it (a replace that would silently lose it must ask for a fresh start).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"

/* What a type holds that a copy of its bytes must not duplicate. */
enum held {
	HELD_DATA,		/* plain values */
	HELD_LOCK,		/* a bpf_spin_lock: shared fine, never copied */
	HELD_OBJECT,		/* a timer, workqueue or pointer: the arming program's */
};

static enum held type_holds(const struct btf *btf, __u32 id, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));
	const struct btf_member *m;
	enum held held = HELD_DATA, h;
	const char *name;
	unsigned int i;

	if (!t || depth > 16)
		return HELD_OBJECT;	/* not understood: not carried */
	if (btf_is_ptr(t))
		return HELD_OBJECT;
	if (btf_is_array(t))
		return type_holds(btf, btf_array(t)->type, depth + 1);
	if (!btf_is_composite(t))
		return HELD_DATA;
	name = btf__name_by_offset(btf, t->name_off);
	if (!strcmp(name, "bpf_spin_lock") || !strcmp(name, "bpf_res_spin_lock"))
		return HELD_LOCK;
	if (!strncmp(name, "bpf_", 4) && name[4])
		return HELD_OBJECT;	/* bpf_timer, bpf_wq, bpf_list_head, ... */
	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		h = type_holds(btf, m->type, depth + 1);
		if (h > held)
			held = h;
	}
	return held;
}

/* The data section an internal map holds (".bss", ".rodata", ...), or NULL. */
static const char *section_of(const struct btf *btf, __u32 value_type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, value_type_id);

	return t && btf_is_datasec(t) ? btf__name_by_offset(btf, t->name_off) : NULL;
}

static bool is_set(const struct kvmexit_policy *policy, const char *name)
{
	size_t i;

	for (i = 0; i < policy->nr_set; i++)
		if (!strcmp(policy->set_names[i], name))
			return true;
	return false;
}

static int dup_fd(int fd)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return copy < 0 ? -errno : copy;
}

struct section_match {
	const char *section;
	int fd;
};

/* for_each_beside(): the pinned data section map named match->section. */
static int match_section(const char *path, int fd, void *arg)
{
	struct section_match *match = arg;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	const char *sec;
	struct btf *btf;
	int found = 0;

	if (bpf_map_get_info_by_fd(fd, &info, &len) || !info.btf_id)
		return 0;	/* a program, or a map without BTF */
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return 0;
	sec = section_of(btf, info.btf_value_type_id);
	if (sec && !strcmp(sec, match->section)) {
		match->fd = dup_fd(fd);
		found = 1;
	}
	btf__free(btf);
	return found;
}

/*
 * An fd of the running policy's map that @map takes over (the caller closes it): -ENOENT
 * if it has none.
 */
static int running_map(const struct state_source *src, const struct bpf_object *obj,
		       const struct bpf_map *map)
{
	const char *sec = section_of(bpf_object__btf(obj), bpf_map__btf_value_type_id(map));
	const struct bpf_object *old_obj;
	struct section_match match = { sec, -ENOENT };
	char path[PATH_MAX];
	struct bpf_map *old;
	int fd;

	if (src->policy) {
		old_obj = src->policy->obj;
		bpf_object__for_each_map(old, old_obj) {
			if (old == src->policy->ops)
				continue;
			if (sec ? bpf_map__is_internal(old) &&
				  section_of(bpf_object__btf(old_obj),
					     bpf_map__btf_value_type_id(old)) &&
				  !strcmp(sec, section_of(bpf_object__btf(old_obj),
							  bpf_map__btf_value_type_id(old))) :
				  !strcmp(bpf_map__name(old), bpf_map__name(map)))
				return dup_fd(bpf_map__fd(old));
		}
		return -ENOENT;
	}
	if (sec) {
		for_each_beside(src->link_path, match_section, &match);
		return match.fd;
	}
	kvmexit_beside_path(path, sizeof(path), src->link_path, bpf_map__name(map));
	fd = bpf_obj_get(path);
	return fd < 0 ? (errno == ENOENT ? -ENOENT : -errno) : fd;
}

/* Does the running map @info have @map's definition? If not, say how it differs. */
static bool same_definition(const struct bpf_map_info *info, const struct bpf_map *map,
			    char *why, size_t size)
{
	if (info->type != bpf_map__type(map))
		snprintf(why, size, "map type %u, the new policy's %u", info->type,
			 bpf_map__type(map));
	else if (info->key_size != bpf_map__key_size(map) ||
		 info->value_size != bpf_map__value_size(map))
		snprintf(why, size, "key and value %u and %u bytes, the new policy's %u and %u",
			 info->key_size, info->value_size, bpf_map__key_size(map),
			 bpf_map__value_size(map));
	else if (info->max_entries != bpf_map__max_entries(map))
		snprintf(why, size, "%u entries, the new policy's %u", info->max_entries,
			 bpf_map__max_entries(map));
	else if (info->map_flags != bpf_map__map_flags(map))
		snprintf(why, size, "flags %#x, the new policy's %#x", info->map_flags,
			 bpf_map__map_flags(map));
	else
		return true;
	return false;
}

/* The variable @name of the data section @sec of @btf: its secinfo, or NULL. */
static const struct btf_var_secinfo *find_var(const struct btf *btf,
					      const struct btf_type *sec, const char *name)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(sec);
	unsigned int i;

	for (i = 0; i < btf_vlen(sec); i++, vsi++)
		if (!strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, vsi->type)->name_off),
			    name))
			return vsi;
	return NULL;
}

/* A data section to reuse whole: the same variables at the same places, none of them set. */
static bool same_layout(const struct kvmexit_policy *policy, const struct btf *old_btf,
			const struct btf_type *old_sec, const struct btf *btf,
			const struct btf_type *sec)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(sec), *old;
	const char *name;
	unsigned int i;

	if (btf_vlen(sec) != btf_vlen(old_sec))
		return false;
	for (i = 0; i < btf_vlen(sec); i++, vsi++) {
		name = btf__name_by_offset(btf, btf__type_by_id(btf, vsi->type)->name_off);
		old = find_var(old_btf, old_sec, name);
		if (!old || old->offset != vsi->offset || old->size != vsi->size ||
		    is_set(policy, name) || type_holds(btf, vsi->type, 0) == HELD_OBJECT)
			return false;
	}
	return true;
}

/*
 * Give each variable of @map's section (not set, holding plain values) the running
 * section's value of the same name, read from @old_fd whose BTF is @old_btf.
 */
static int copy_globals(struct kvmexit_policy *policy, struct bpf_map *map, int old_fd,
			const struct bpf_map_info *info, const struct btf *old_btf)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	const struct btf_type *sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
	const struct btf_type *old_sec = btf__type_by_id(old_btf, info->btf_value_type_id);
	const struct btf_var_secinfo *vsi = btf_var_secinfos(sec), *old;
	char *data, *old_data;
	unsigned int i, key = 0;
	const char *name;
	size_t size;
	int err = 0;

	data = bpf_map__initial_value(map, &size);
	old_data = malloc(info->value_size);
	if (!data || !old_data) {
		free(old_data);
		return data ? -ENOMEM : 0;
	}
	if (bpf_map_lookup_elem(old_fd, &key, old_data))
		err = -errno;
	for (i = 0; !err && i < btf_vlen(sec); i++, vsi++) {
		name = btf__name_by_offset(btf, btf__type_by_id(btf, vsi->type)->name_off);
		old = find_var(old_btf, old_sec, name);
		if (!old || is_set(policy, name) || type_holds(btf, vsi->type, 0) != HELD_DATA)
			continue;
		if (old->size != vsi->size || (size_t)vsi->offset + vsi->size > size ||
		    (size_t)old->offset + old->size > info->value_size) {
			snprintf(policy->log, LOG_SIZE, "the running policy's %s is %u bytes, the "
				 "new policy's %u: it cannot be carried over\n", name, old->size,
				 vsi->size);
			err = -EPROTO;
			break;
		}
		memcpy(data + vsi->offset, old_data + old->offset, vsi->size);
	}
	free(old_data);
	return err;
}

/* @map takes over the running policy's map @old_fd: reused, or its globals copied. */
static int take_over(struct kvmexit_policy *policy, struct bpf_map *map, int old_fd)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	__u32 type_id = bpf_map__btf_value_type_id(map), len;
	const char *sec = section_of(btf, type_id);
	struct bpf_map_info info = {};
	struct btf *old_btf = NULL;
	char why[160];
	int err;

	len = sizeof(info);
	if (bpf_map_get_info_by_fd(old_fd, &info, &len))
		return -errno;
	if (!sec) {
		if (type_id && type_holds(btf, type_id, 0) == HELD_OBJECT)
			return 0;	/* the new policy's own timers */
		if (!same_definition(&info, map, why, sizeof(why))) {
			snprintf(policy->log, LOG_SIZE, "the running policy's map %s has %s: it "
				 "cannot be carried over\n", bpf_map__name(map), why);
			return -EPROTO;
		}
		return bpf_map__reuse_fd(map, old_fd);
	}
	if (!info.btf_id)
		return 0;
	old_btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!old_btf)
		return -errno;
	/* .rodata is frozen with the parameters it was loaded with: never reused. */
	if (strncmp(sec, ".rodata", 7) && same_definition(&info, map, why, sizeof(why)) &&
	    section_of(old_btf, info.btf_value_type_id) &&
	    same_layout(policy, old_btf, btf__type_by_id(old_btf, info.btf_value_type_id), btf,
			btf__type_by_id(btf, type_id)))
		err = bpf_map__reuse_fd(map, old_fd);
	else
		err = copy_globals(policy, map, old_fd, &info, old_btf);
	btf__free(old_btf);
	return err;
}

int carry_state(struct kvmexit_policy *policy, const struct state_source *src)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	struct bpf_map *map;
	const char *sec;
	int fd, err = 0;

	policy->log[0] = '\0';
	bpf_object__for_each_map(map, policy->obj) {
		if (map == policy->ops)
			continue;
		sec = section_of(btf, bpf_map__btf_value_type_id(map));
		/* .kconfig and the like are the kernel's, not the policy's state. */
		if (bpf_map__is_internal(map) && (!sec || (strncmp(sec, ".bss", 4) &&
		    strncmp(sec, ".data", 5) && strncmp(sec, ".rodata", 7))))
			continue;
		fd = running_map(src, policy->obj, map);
		if (fd == -ENOENT)
			continue;	/* new in this policy: its default */
		if (fd < 0)
			return fd;
		err = take_over(policy, map, fd);
		close(fd);
		if (err)
			return err;
	}
	return 0;
}
