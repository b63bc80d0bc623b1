// SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
/* Opening, parameterizing, attaching, replacing and detaching exit policies. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "internal.h"

#define OPS_TYPE	"kvm_arm_exit_ops"
/* The kernel's value of a struct_ops map: its common header, then the ops as "data". */
#define OPS_VALUE_TYPE	"bpf_struct_ops_" OPS_TYPE

/* The object's struct_ops map of type kvm_arm_exit_ops: exactly one. */
static struct bpf_map *find_ops(struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map, *found = NULL;
	const struct btf_type *t;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		t = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!t || strcmp(btf__name_by_offset(btf, t->name_off), OPS_TYPE))
			continue;
		if (found)
			return NULL;
		found = map;
	}
	return found;
}

int kvmexit_policy_open(const char *path, struct kvmexit_policy **policyp)
{
	struct kvmexit_policy *policy = calloc(1, sizeof(*policy));
	struct bpf_program *prog;
	int err;

	if (!policy)
		return -ENOMEM;
	policy->log = calloc(1, LOG_SIZE);
	if (!policy->log) {
		free(policy);
		return -ENOMEM;
	}
	policy->obj = bpf_object__open_file(path, NULL);
	if (!policy->obj) {
		err = -errno;
		free(policy->log);
		free(policy);
		return err;
	}
	policy->ops = find_ops(policy->obj);
	if (!policy->ops) {
		kvmexit_policy_close(policy);
		return -ENOMSG;	/* no (single) struct kvm_arm_exit_ops */
	}
	/* One buffer: loading stops at the first program the verifier rejects. */
	bpf_object__for_each_program(prog, policy->obj)
		bpf_program__set_log_buf(prog, policy->log, LOG_SIZE);
	*policyp = policy;
	return 0;
}

void kvmexit_policy_close(struct kvmexit_policy *policy)
{
	if (!policy)
		return;
	bpf_link__destroy(policy->link);
	bpf_object__close(policy->obj);
	while (policy->nr_set)
		free(policy->set_names[--policy->nr_set]);
	free(policy->set_names);
	free(policy->log);
	free(policy);
}

#define STR(x)		#x
#define VERSION(major, minor)	STR(major) "." STR(minor)

const char *kvmexit_version(void)
{
	return VERSION(LIBKVMEXIT_MAJOR_VERSION, LIBKVMEXIT_MINOR_VERSION);
}

int kvmexit_kernel_supported(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int err;

	if (!vmlinux)
		return -errno;
	err = btf__find_by_name_kind(vmlinux, OPS_TYPE, BTF_KIND_STRUCT) > 0 ? 0 : -EOPNOTSUPP;
	btf__free(vmlinux);
	return err;
}

const char *kvmexit_policy_log(const struct kvmexit_policy *policy)
{
	return policy->log;
}

const char *kvmexit_policy_name(const struct kvmexit_policy *policy)
{
	return bpf_map__name(policy->ops);
}

struct bpf_object *kvmexit_policy_object(const struct kvmexit_policy *policy)
{
	return policy->obj;
}

int kvmexit_policy_map_fd(const struct kvmexit_policy *policy, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(policy->obj, name);

	if (!map)
		return -ENOENT;
	if (!policy->loaded)
		return -EBADF;
	return bpf_map__fd(map);
}

/*
 * The base of the integer @s: 16 after 0x (past blanks and a sign), else 10. A leading 0
 * is no octal prefix: an operator's "010" means ten.
 */
static int integer_base(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '-' || *s == '+')
		s++;
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
}

/* An integer for a variable of @size bytes: in range for it, else -ERANGE. */
static int parse_integer(const char *s, size_t size, bool is_signed, uint64_t *out)
{
	unsigned int bits = size * 8;
	int base = integer_base(s);
	char *end;

	errno = 0;
	if (is_signed) {
		long long v = strtoll(s, &end, base);

		if (end == s || *end)
			return -EINVAL;
		if (errno || (bits < 64 && (v < -(1LL << (bits - 1)) || v > (1LL << (bits - 1)) - 1)))
			return -ERANGE;
		*out = (uint64_t)v;
	} else {
		unsigned long long v;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '-')
			return -ERANGE;
		v = strtoull(s, &end, base);
		if (end == s || *end)
			return -EINVAL;
		if (errno || (bits < 64 && v >> bits))
			return -ERANGE;
		*out = v;
	}
	return 0;
}

/* Store @value, an integer of @size bytes, at @p (little or big endian as the host). */
static void store_integer(void *p, size_t size, uint64_t value)
{
	switch (size) {
	case 1:
		*(uint8_t *)p = value;
		break;
	case 2:
		*(uint16_t *)p = value;
		break;
	case 4:
		*(uint32_t *)p = value;
		break;
	default:
		*(uint64_t *)p = value;
		break;
	}
}

/* An integer type (after typedefs and qualifiers): its size and signedness. */
static int integer_type(const struct btf *btf, __u32 id, size_t *size, bool *is_signed)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));

	if (!t)
		return -EINVAL;
	/* Sizes store_integer() stores: others only come from broken BTF. */
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return -EINVAL;
	if (btf_is_enum(t) || btf_is_enum64(t)) {
		*size = t->size;
		*is_signed = false;
		return 0;
	}
	if (!btf_is_int(t) || btf_int_offset(t))
		return -EINVAL;
	*size = t->size;
	*is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
	return 0;
}

static int set_var(const struct btf *btf, const struct btf_var_secinfo *vsi, void *data,
		   const char *value)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, vsi->type));
	const struct btf_array *array;
	size_t size, i, n = 1;
	char *copy, *item, *next, *parsed;
	bool is_signed;
	uint64_t v;
	__u32 elem;
	int err;

	if (btf_is_array(t)) {
		array = btf_array(t);
		elem = array->type;
		n = array->nelems;
	} else {
		elem = vsi->type;
	}
	err = integer_type(btf, elem, &size, &is_signed);
	if (err)
		return err;

	if (n * size > vsi->size)
		return -EINVAL;	/* BTF that contradicts itself */
	/* Parsed into a copy: a value refused leaves the variable as it was. */
	copy = strdup(value);
	parsed = calloc(1, vsi->size);
	if (!copy || !parsed) {
		free(copy);
		free(parsed);
		return -ENOMEM;
	}
	i = 0;
	/* Every comma separates two values: an empty one ("1,,2", "1,") is not an integer. */
	for (item = copy; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		if (i == n) {
			err = -ERANGE;
			break;
		}
		err = parse_integer(item, size, is_signed, &v);
		if (err)
			break;
		store_integer(parsed + i * size, size, v);
		i++;
	}
	if (!err && !i)
		err = -EINVAL;
	if (!err)
		memcpy((char *)data + vsi->offset, parsed, vsi->size);
	free(parsed);
	free(copy);
	return err;
}

/*
 * Call @fn with each global variable of the policy's data sections (.rodata and .data only
 * if @initialized_only: not .bss or .kconfig) and the section's initial value, until it
 * returns nonzero, which is returned; -EINVAL for BTF that contradicts the object.
 */
static int for_each_global(const struct kvmexit_policy *policy, bool initialized_only,
			   int (*fn)(const struct btf *btf, const struct btf_var_secinfo *vsi,
				     void *data, void *arg), void *arg)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	const struct btf_var_secinfo *vsi;
	const struct btf_type *sec;
	const char *sec_name;
	struct bpf_map *map;
	size_t data_size;
	unsigned int i;
	void *data;
	int ret;

	bpf_object__for_each_map(map, policy->obj) {
		if (!bpf_map__is_internal(map))
			continue;
		sec = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
		if (!sec || !btf_is_datasec(sec))
			continue;
		sec_name = btf__name_by_offset(btf, sec->name_off);
		if (initialized_only && strncmp(sec_name, ".rodata", 7) &&
		    strncmp(sec_name, ".data", 5))
			continue;
		data = bpf_map__initial_value(map, &data_size);
		if (!data)
			continue;
		vsi = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vsi++) {
			if ((size_t)vsi->offset + vsi->size > data_size)
				return -EINVAL;
			ret = fn(btf, vsi, data, arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct named_value {
	const char *name, *value;
};

/* for_each_global() for kvmexit_policy_set(): 1 once set, or an error. */
static int set_named(const struct btf *btf, const struct btf_var_secinfo *vsi, void *data,
		     void *arg)
{
	const struct btf_type *var = btf__type_by_id(btf, vsi->type);
	const struct named_value *nv = arg;

	if (strcmp(btf__name_by_offset(btf, var->name_off), nv->name))
		return 0;
	return set_var(btf, vsi, data, nv->value) ?: 1;
}

/* Remember that @name was set: a replace does not carry the running policy's over it. */
static int record_set(struct kvmexit_policy *policy, const char *name)
{
	char **names, *copy;
	size_t i;

	for (i = 0; i < policy->nr_set; i++)
		if (!strcmp(policy->set_names[i], name))
			return 0;
	names = realloc(policy->set_names, (policy->nr_set + 1) * sizeof(*names));
	if (!names)
		return -ENOMEM;
	policy->set_names = names;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	names[policy->nr_set++] = copy;
	return 0;
}

int kvmexit_policy_set(struct kvmexit_policy *policy, const char *name, const char *value)
{
	struct named_value nv = { name, value };
	int ret;

	if (policy->loaded)
		return -EALREADY;
	ret = for_each_global(policy, false, set_named, &nv);
	if (ret > 0)
		return record_set(policy, name);
	return ret ?: -ENOENT;
}

/* The value of an integer of @size bytes at @p, sign-extended if @is_signed. */
static uint64_t load_integer(const void *p, size_t size, bool is_signed)
{
	switch (size) {
	case 1:
		return is_signed ? (uint64_t)*(const int8_t *)p : *(const uint8_t *)p;
	case 2:
		return is_signed ? (uint64_t)*(const int16_t *)p : *(const uint16_t *)p;
	case 4:
		return is_signed ? (uint64_t)*(const int32_t *)p : *(const uint32_t *)p;
	default:
		return *(const uint64_t *)p;
	}
}

/* As kvmexit_policy_set() takes it: decimal, or hex from 0x10000 (ids, addresses). */
static int format_integer(char *buf, size_t size, uint64_t v, bool is_signed)
{
	if (is_signed)
		return snprintf(buf, size, "%lld", (long long)v);
	return snprintf(buf, size, v < 0x10000 ? "%llu" : "%#llx", (unsigned long long)v);
}

#define PARAM_VALUE_MAX	4096

struct param_report {
	int (*fn)(const char *name, const char *type, const char *value, void *arg);
	void *arg;
};

/* for_each_global() for kvmexit_policy_params(): 0 for variables that are no parameter. */
static int report_param(const struct btf *btf, const struct btf_var_secinfo *vsi,
			void *section, void *arg)
{
	const struct btf_type *var = btf__type_by_id(btf, vsi->type);
	const char *data = section;
	const struct param_report *report = arg;
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, var->type));
	char type[32], value[PARAM_VALUE_MAX];
	size_t size, i, n = 1, last = 0, len = 0;
	__u32 elem = var->type;
	bool is_signed;

	if (btf_is_array(t)) {
		elem = btf_array(t)->type;
		n = btf_array(t)->nelems;
	}
	if (integer_type(btf, elem, &size, &is_signed) || !n || n * size > vsi->size)
		return 0;	/* not a parameter kvmexit_policy_set() takes */
	len = snprintf(type, sizeof(type), "%c%zu", is_signed ? 's' : 'u', size * 8);
	if (btf_is_array(t))
		snprintf(type + len, sizeof(type) - len, "[%zu]", n);
	for (i = 0; i < n; i++)
		if (load_integer(data + vsi->offset + i * size, size, is_signed))
			last = i;
	for (i = 0, len = 0; i <= last && len < sizeof(value); i++) {
		if (i)
			value[len++] = ',';
		len += format_integer(value + len, sizeof(value) - len,
				      load_integer(data + vsi->offset + i * size, size, is_signed),
				      is_signed);
	}
	if (len >= sizeof(value))
		return -E2BIG;	/* more than kvmexit_policy_set() would take back */
	return report->fn(btf__name_by_offset(btf, var->name_off), type, value, report->arg);
}

int kvmexit_policy_params(const struct kvmexit_policy *policy,
			  int (*fn)(const char *name, const char *type, const char *value,
				    void *arg), void *arg)
{
	struct param_report report = { fn, arg };

	return for_each_global(policy, true, report_param, &report);
}

/* Where the struct_ops value's member @name is, found in the object's BTF; NULL if none. */
static void *ops_member(struct kvmexit_policy *policy, const char *name, size_t len)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	const struct btf_type *t = btf__type_by_id(btf, bpf_map__btf_value_type_id(policy->ops));
	const struct btf_member *m = btf_members(t);
	char *data;
	size_t size;
	unsigned int i;

	data = bpf_map__initial_value(policy->ops, &size);
	for (i = 0; data && i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		if (btf_member_bit_offset(t, i) / 8 + len > size)
			return NULL;
		return data + btf_member_bit_offset(t, i) / 8;
	}
	return NULL;
}

/* Store @value in member @name of the struct_ops' initial value, if it has one. */
static bool set_member(struct kvmexit_policy *policy, const char *name, const void *value,
		       size_t size)
{
	/* Members of the map's initial value, which need not be aligned: memcpy. */
	void *member = ops_member(policy, name, size);

	if (member)
		memcpy(member, value, size);
	return member;
}

/* A field of @opts, or @fallback where an older caller's struct ends before it. */
#define OPT(opts, field, fallback)						\
	((opts)->sz >= offsetof(struct kvmexit_attach_opts, field) + sizeof((opts)->field) ? \
	 (opts)->field : (fallback))

/* Bytes of @opts past what this library knows must be zero: a newer caller's options. */
static bool opts_valid(const struct kvmexit_attach_opts *opts)
{
	const char *p = (const char *)opts;
	size_t i;

	if (!opts || opts->sz < offsetof(struct kvmexit_attach_opts, target) + sizeof(int))
		return false;
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (p[i])
			return false;
	return !(OPT(opts, flags, 0) & ~KVMEXIT_ATTACH_FRESH);
}

#define ONE_VM_TAG	"kvmexit:one_vm"

bool kvmexit_policy_one_vm(const struct kvmexit_policy *policy)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	const struct btf_type *t, *var;
	__u32 id, n = btf__type_cnt(btf);

	/* KVMEXIT_ONE_VM: a decl tag on the struct_ops variable (bpf/kvmexit.h). */
	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1 ||
		    strcmp(btf__name_by_offset(btf, t->name_off), ONE_VM_TAG))
			continue;
		var = btf__type_by_id(btf, t->type);
		if (var && btf_is_var(var) &&
		    !strcmp(btf__name_by_offset(btf, var->name_off), bpf_map__name(policy->ops)))
			return true;
	}
	return false;
}

/* Aim the struct_ops at its target and place: its members vm_fd, cgroup_fd, flags, anchor_id. */
static int set_target(struct kvmexit_policy *policy, const struct kvmexit_attach_opts *opts)
{
	enum kvmexit_target target = OPT(opts, target, KVMEXIT_TARGET_VM);
	enum kvmexit_place place = OPT(opts, place, KVMEXIT_PLACE_LAST);
	uint32_t anchor = OPT(opts, anchor_id, 0), flags = 0;
	int fd = OPT(opts, fd, -1), vm_fd = target == KVMEXIT_TARGET_VM ? fd : -1, cgroup_fd;
	void *member = ops_member(policy, "flags", sizeof(flags));

	if (target > KVMEXIT_TARGET_HOST || place > KVMEXIT_PLACE_AFTER ||
	    (anchor && place < KVMEXIT_PLACE_BEFORE) || (!anchor && place >= KVMEXIT_PLACE_BEFORE))
		return -EINVAL;
	if (target != KVMEXIT_TARGET_HOST && fd < 0)
		return -EBADF;
	/* One VM's device on every VM of a cgroup or the host: one device they all share. */
	if (target != KVMEXIT_TARGET_VM && kvmexit_policy_one_vm(policy))
		return -EXDEV;
	/* A kernel without the flags took -1 as host-wide: refuse to guess. */
	if (!member && (target != KVMEXIT_TARGET_VM || place != KVMEXIT_PLACE_LAST))
		return -EOPNOTSUPP;
	if (member) {
		memcpy(&flags, member, sizeof(flags));
		flags &= ~(KVMEXIT_OPS_HOST_WIDE | KVMEXIT_OPS_CGROUP | KVMEXIT_OPS_BEFORE |
			   KVMEXIT_OPS_AFTER);
		if (target == KVMEXIT_TARGET_HOST)
			flags |= KVMEXIT_OPS_HOST_WIDE;
		else if (target == KVMEXIT_TARGET_CGROUP)
			flags |= KVMEXIT_OPS_CGROUP;
		if (place == KVMEXIT_PLACE_FIRST || place == KVMEXIT_PLACE_BEFORE)
			flags |= KVMEXIT_OPS_BEFORE;
		else if (place == KVMEXIT_PLACE_AFTER)
			flags |= KVMEXIT_OPS_AFTER;
		memcpy(member, &flags, sizeof(flags));
	}
	if (!set_member(policy, "vm_fd", &vm_fd, sizeof(vm_fd)))
		return -ENOMSG;
	cgroup_fd = target == KVMEXIT_TARGET_CGROUP ? fd : -1;
	if ((!set_member(policy, "cgroup_fd", &cgroup_fd, sizeof(cgroup_fd)) && cgroup_fd >= 0) ||
	    (!set_member(policy, "anchor_id", &anchor, sizeof(anchor)) && anchor))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Programs userspace runs (SEC("syscall")) reach the policy's VM through kfuncs that find it
 * from the program's associated struct_ops map: associate each with this policy's.
 */
static int associate_programs(struct kvmexit_policy *policy)
{
	struct bpf_program *prog;
	int err = 0;

	bpf_object__for_each_program(prog, policy->obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL)
			continue;
#ifdef HAVE_ASSOC_STRUCT_OPS
		err = bpf_program__assoc_struct_ops(prog, policy->ops, NULL);
#else
		err = -EOPNOTSUPP;	/* a libbpf older than 1.7 */
#endif
		if (err)
			return err;
	}
	return 0;
}

/*
 * Load the policy for @opts' target; to replace the running policy @running (NULL for an
 * attach), with that policy's state unless opts asks for a fresh start (carry.c).
 */
static int load_for(struct kvmexit_policy *policy, const struct kvmexit_attach_opts *opts,
		    const struct state_source *running)
{
	int err;

	if (policy->loaded)
		return -EALREADY;
	if (!opts_valid(opts))
		return -EINVAL;
	err = set_target(policy, opts);
	if (err)
		return err;
	policy->log[0] = '\0';
	if (running && !(OPT(opts, flags, 0) & KVMEXIT_ATTACH_FRESH)) {
		err = carry_state(policy, running);
		if (err)
			return err;
	}
	/* libbpf loads an object once, even one whose load failed: so do we (-EALREADY). */
	policy->loaded = true;
	err = bpf_object__load(policy->obj);
	if (err)
		return err;
	return associate_programs(policy);
}

static int attach_loaded(struct kvmexit_policy *policy)
{
	policy->link = bpf_map__attach_struct_ops(policy->ops);
	if (!policy->link)
		return -errno;
	return 0;
}

int kvmexit_policy_attach_opts(struct kvmexit_policy *policy,
			       const struct kvmexit_attach_opts *opts)
{
	int err = load_for(policy, opts, NULL);

	return err ? err : attach_loaded(policy);
}

int kvmexit_policy_attach(struct kvmexit_policy *policy, int vm_fd)
{
	struct kvmexit_attach_opts opts = {
		.sz = sizeof(opts), .target = KVMEXIT_TARGET_VM, .fd = vm_fd,
	};

	return kvmexit_policy_attach_opts(policy, &opts);
}

int kvmexit_policy_attach_host_wide(struct kvmexit_policy *policy)
{
	struct kvmexit_attach_opts opts = {
		.sz = sizeof(opts), .target = KVMEXIT_TARGET_HOST, .fd = -1,
	};

	return kvmexit_policy_attach_opts(policy, &opts);
}

uint32_t kvmexit_policy_id(const struct kvmexit_policy *policy)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (!policy->loaded || bpf_map_get_info_by_fd(bpf_map__fd(policy->ops), &info, &len))
		return 0;
	return info.id;
}

/*
 * Is a BPF fd a map ("map"), a program ("prog") or a link ("link")? Its anonymous inode's
 * name says (a link's info call fills a map's too, whose type can read as a link's:
 * BPF_MAP_TYPE_LRU_HASH is BPF_LINK_TYPE_STRUCT_OPS).
 */
static bool is_pinned(int fd, const char *kind)
{
	char path[64], target[32], want[32];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return false;
	target[len] = '\0';
	snprintf(want, sizeof(want), "anon_inode:bpf-%s", kind);
	if (!strcmp(target, want))
		return true;
	/* bpf_link_prime() names a link bpf_link, bpf_link_new_fd() bpf-link. */
	return !strcmp(kind, "link") && !strcmp(target, "anon_inode:bpf_link");
}

int for_each_beside(const char *link_path, int (*fn)(const char *path, int fd, void *arg),
		    void *arg)
{
	char dir[PATH_MAX], base[NAME_MAX + 1], path[PATH_MAX + NAME_MAX + 2];
	struct dirent *d;
	int fd, ret = 0;
	size_t len;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s", link_path);
	snprintf(base, sizeof(base), "%s-", basename(dir));
	len = strlen(base);
	snprintf(dir, sizeof(dir), "%s", link_path);
	dp = opendir(dirname(dir));
	if (!dp)
		return -errno;
	while (!ret && (d = readdir(dp))) {
		/*
		 * A name pinned beside the link is a C identifier or a section name with its
		 * dots made underscores: never a dash. NAME-2-MAP is beside another link.
		 */
		if (strncmp(d->d_name, base, len) || !d->d_name[len] ||
		    strchr(d->d_name + len, '-'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		/* Not another link pinned at NAME-X. */
		if (is_pinned(fd, "map") || is_pinned(fd, "prog"))
			ret = fn(path, fd, arg);
		close(fd);
	}
	closedir(dp);
	return ret;
}

static int unpin(const char *path, int fd, void *arg)
{
	int *err = arg;

	if (unlink(path) && !*err)
		*err = -errno;
	return 0;
}

int kvmexit_unpin_beside(const char *link_path)
{
	int err = 0, ret;

	ret = for_each_beside(link_path, unpin, &err);
	return ret ?: err;
}

void kvmexit_beside_path(char *path, size_t size, const char *link_path, const char *name)
{
	size_t len;
	char *p;

	if (!size)
		return;
	snprintf(path, size, "%s-%s", link_path, name);
	/* The name's dots only: a cut path may end within the link's. */
	len = strlen(path);
	for (p = path + (strlen(link_path) < len ? strlen(link_path) : len); *p; p++)
		if (*p == '.')
			*p = '_';
}

/*
 * Pin beside the link (LINK_PATH-NAME) what must outlive the loader besides it: the
 * programs userspace runs, for whoever hands the policy input, and its maps, for whoever
 * reads or changes its state (and the kernel only lets a policy arm a BPF timer while
 * userspace holds or pins its map). One directory per target: no clash between VMs.
 */
static int pin_beside(struct kvmexit_policy *policy, const char *link_path)
{
	char path[PATH_MAX];
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	err = kvmexit_unpin_beside(link_path);
	if (err)
		return err;
	bpf_object__for_each_program(prog, policy->obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL)
			continue;
		kvmexit_beside_path(path, sizeof(path), link_path, bpf_program__name(prog));
		err = bpf_program__pin(prog, path);
		if (err)
			goto fail;
	}
	bpf_object__for_each_map(map, policy->obj) {
		if (map == policy->ops)
			continue;
		kvmexit_beside_path(path, sizeof(path), link_path, bpf_map__name(map));
		err = bpf_map__pin(map, path);
		if (err)
			goto fail;
	}
	return 0;
fail:
	kvmexit_unpin_beside(link_path);
	return err;
}

int kvmexit_policy_pin(struct kvmexit_policy *policy, const char *path)
{
	int err;

	if (!policy->link)
		return -ENOLINK;
	err = bpf_link__pin(policy->link, path);
	if (err)
		return err;
	err = pin_beside(policy, path);
	if (err)
		bpf_link__unpin(policy->link);
	return err;
}

int kvmexit_policy_replace_pinned(const char *link_path, struct kvmexit_policy *policy,
				  int vm_fd)
{
	struct kvmexit_attach_opts opts = {
		.sz = sizeof(opts), .target = KVMEXIT_TARGET_VM, .fd = vm_fd,
	};

	return kvmexit_policy_replace_pinned_opts(link_path, policy, &opts);
}

/*
 * The kernel's value of the policy's struct_ops map (struct bpf_struct_ops_kvm_arm_exit_ops,
 * from the kernel's BTF) in @value (@size bytes): the object's members by name, each
 * callback as its program's fd. What libbpf gives bpf_map__attach_struct_ops(), built with
 * public calls: libbpf prepares it only for its own links.
 */
static int ops_kernel_value(struct kvmexit_policy *policy, char **value)
{
	const struct btf *btf = bpf_object__btf(policy->obj);
	const struct btf_type *t = btf__type_by_id(btf, bpf_map__btf_value_type_id(policy->ops));
	const struct btf_type *kt = NULL, *vt, *mt;
	const struct btf_member *km, *m;
	struct btf *vmlinux;
	unsigned int i, j, data_off = 0, off, koff;
	struct bpf_program *prog;
	int id, err = 0;
	__s64 size, msize;
	char *data;
	size_t len;

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return -errno;
	id = btf__find_by_name_kind(vmlinux, OPS_VALUE_TYPE, BTF_KIND_STRUCT);
	vt = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
	for (i = 0, km = vt ? btf_members(vt) : NULL; vt && i < btf_vlen(vt); i++, km++) {
		if (strcmp(btf__name_by_offset(vmlinux, km->name_off), "data"))
			continue;
		data_off = btf_member_bit_offset(vt, i) / 8;
		kt = btf__type_by_id(vmlinux, btf__resolve_type(vmlinux, km->type));
		break;
	}
	data = bpf_map__initial_value(policy->ops, &len);
	size = vt ? btf__resolve_size(vmlinux, id) : -1;
	if (!kt || !data || size <= 0) {
		btf__free(vmlinux);
		return -EOPNOTSUPP;
	}
	*value = calloc(1, size);
	for (i = 0, km = btf_members(kt); *value && !err && i < btf_vlen(kt); i++, km++) {
		koff = data_off + btf_member_bit_offset(kt, i) / 8;
		for (j = 0, m = btf_members(t); j < btf_vlen(t); j++, m++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off),
				    btf__name_by_offset(vmlinux, km->name_off)))
				break;
		if (j == btf_vlen(t))
			continue;	/* a member the object leaves zero */
		off = btf_member_bit_offset(t, j) / 8;
		mt = btf__type_by_id(vmlinux, btf__resolve_type(vmlinux, km->type));
		if (btf_is_ptr(mt)) {
			/* libbpf keeps a callback's program in the initial value (skeletons). */
			memcpy(&prog, data + off, sizeof(prog));
			if (prog)
				*(unsigned long *)(*value + koff) = bpf_program__fd(prog);
			continue;
		}
		msize = btf__resolve_size(vmlinux, km->type);
		if (msize < 0 || msize != btf__resolve_size(btf, m->type) ||
		    off + (size_t)msize > len || koff + msize > size)
			err = -EINVAL;
		else
			memcpy(*value + koff, data + off, msize);
	}
	btf__free(vmlinux);
	if (!*value)
		return -ENOMEM;
	if (err) {
		free(*value);
		*value = NULL;
	}
	return err;
}

/*
 * Put @policy's map behind the link @link_fd, in place of the map @old_id (BPF_F_REPLACE:
 * not if someone replaced it meanwhile, -EPERM). The kernel says -ENOENT where the link's
 * policy is gone (ejected, its VM destroyed): -ENOLINK, as for a detached link.
 */
static int swap_map(int link_fd, uint32_t old_id, struct kvmexit_policy *policy)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts, .flags = BPF_F_REPLACE);
	char *value = NULL;
	__u32 zero = 0;
	int err, old_fd;

	err = ops_kernel_value(policy, &value);
	if (!err && bpf_map_update_elem(bpf_map__fd(policy->ops), &zero, value, 0) &&
	    errno != EBUSY)
		err = -errno;
	free(value);
	if (err)
		return err;
	old_fd = bpf_map_get_fd_by_id(old_id);
	if (old_fd < 0)
		return errno == ENOENT ? -ENOLINK : -errno;
	opts.old_map_fd = old_fd;
	err = bpf_link_update(link_fd, bpf_map__fd(policy->ops), &opts) ? -errno : 0;
	close(old_fd);
	return err == -ENOENT ? -ENOLINK : err;
}

/* The struct_ops map id behind the link @link_fd: 0 if it is detached, or -errno. */
static int64_t link_map_id(int link_fd)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);

	if (bpf_link_get_info_by_fd(link_fd, &info, &len))
		return -errno;
	if (info.type != BPF_LINK_TYPE_STRUCT_OPS)
		return -EINVAL;
	return info.struct_ops.map_id;
}

int kvmexit_pinned_policy_id(const char *link_path, uint32_t *id)
{
	int fd = bpf_obj_get(link_path);
	int64_t map_id;

	if (fd < 0)
		return -errno;
	map_id = is_pinned(fd, "link") ? link_map_id(fd) : -ENOLINK;
	close(fd);
	if (map_id == -EINVAL)
		return -ENOLINK;	/* a link of another kind */
	if (map_id < 0)
		return map_id;
	*id = map_id;
	return 0;
}

int kvmexit_policy_replace_pinned_opts(const char *link_path, struct kvmexit_policy *policy,
				       const struct kvmexit_attach_opts *opts)
{
	struct state_source running = { .link_path = link_path };
	int link_fd, err;
	int64_t old_id;

	link_fd = bpf_obj_get(link_path);
	if (link_fd < 0)
		return -errno;
	old_id = link_map_id(link_fd);
	err = old_id < 0 ? old_id : !old_id ? -ENOLINK : 0;
	if (!err)
		err = load_for(policy, opts, &running);
	if (!err)
		err = swap_map(link_fd, old_id, policy);
	if (!err)
		err = pin_beside(policy, link_path);
	/* The pin keeps the link: this closes only this process's fd. */
	close(link_fd);
	return err;
}

int kvmexit_policy_replace(struct kvmexit_policy *old, struct kvmexit_policy *policy,
			   const struct kvmexit_attach_opts *opts)
{
	struct state_source running = { .policy = old };
	int err;

	if (!old->link)
		return -ENOLINK;
	err = load_for(policy, opts, &running);
	if (!err)
		err = swap_map(bpf_link__fd(old->link), kvmexit_policy_id(old), policy);
	if (err)
		return err;
	policy->link = old->link;
	old->link = NULL;
	/* What was pinned beside a pinned link was @old's: now @policy's. */
	if (bpf_link__pin_path(policy->link))
		return pin_beside(policy, bpf_link__pin_path(policy->link));
	return 0;
}

int kvmexit_policy_detach(struct kvmexit_policy *policy)
{
	int err;

	if (!policy->link)
		return -ENOLINK;
	/* Detached now, whoever else holds the link (its pin, another process). */
	err = bpf_link__detach(policy->link);
	bpf_link__destroy(policy->link);
	policy->link = NULL;
	return err;
}

int kvmexit_detach_pinned(const char *link_path)
{
	struct bpf_link *link = bpf_link__open(link_path);
	int err;

	if (!link)
		return -errno;
	/*
	 * Detach before unpinning: the last reference to a link dropped by unpinning is
	 * released from a work item, so the policy would still decide for a moment after.
	 * A link KVM detached already (an ejected policy, a VM gone) is -ENOLINK: fine.
	 */
	err = bpf_link__detach(link);
	bpf_link__destroy(link);
	if (err && err != -ENOLINK)
		return err;
	if (unlink(link_path))
		return -errno;
	return kvmexit_unpin_beside(link_path);
}
