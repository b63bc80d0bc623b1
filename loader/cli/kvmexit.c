// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit: attach BPF exit policies to the VMs running on this host, and see what they do.
 * See usage_text in args.c for the commands and exit codes.
 */
#include <errno.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "console.h"
#include "commands.h"
#include "interrupt.h"
#include "json.h"
#include "pins.h"
#include "target.h"
#include "vms.h"

static struct json_object *json_counters(const struct kvmexit_stats *stats)
{
	struct json_object *exits = json_object_new_object(), *counts;
	const uint64_t *c;
	size_t o;
	int e;

	for (e = 0; e < KVMEXIT_NR_EXITS; e++) {
		c = &stats->exit[e].handled;
		counts = json_object_new_object();
		for (o = 0; o < NR_OUTCOMES; o++)
			json_object_object_add(counts, outcome_names[o],
					       json_object_new_uint64(c[o]));
		json_object_object_add(exits, kvmexit_exit_name(e), counts);
	}
	return exits;
}

static struct json_object *json_chain(const struct vm_info *vm)
{
	struct json_object *chain, *entry;
	const char *origin;
	int p;

	if (vm->nr_policies < 0)
		return NULL;
	chain = json_object_new_array();
	for (p = 0; p < vm->nr_policies; p++) {
		entry = json_object_new_object();
		json_object_object_add(entry, "name", json_text(vm->names[p]));
		json_object_object_add(entry, "id", json_object_new_uint64(vm->chain[p].id));
		origin = kvmexit_origin_name(vm->chain[p].origin);
		json_object_object_add(entry, "from", json_string_or_null(origin));
		json_object_array_add(chain, entry);
	}
	return chain;
}

static void print_json(const struct vm_info *vms, int nr, bool with_identity)
{
	struct json_object *list = json_object_new_array(), *obj;
	const struct vm_info *vm;
	int i;

	for (i = 0; i < nr; i++) {
		vm = &vms[i];
		obj = json_object_new_object();
		json_object_object_add(obj, "pid", json_object_new_int(vm->pid));
		json_object_object_add(obj, "vm_fd", json_object_new_int(vm->vm_fd));
		if (with_identity) {
			json_object_object_add(obj, "name", json_string_or_null(vm->name[0] ?
								vm->name : NULL));
			json_object_object_add(obj, "start_time",
					       json_object_new_uint64(vm->start_time));
			/* KVM's id of the VM, which its filter's audit records name. */
			json_object_object_add(obj, "vm_id", vm->vm_id ?
					       json_object_new_uint64(vm->vm_id) : NULL);
			json_object_object_add(obj, "cmdline", json_text(vm->cmdline));
			json_object_object_add(obj, "vcpus", vm->vcpus >= 0 ?
					       json_object_new_int(vm->vcpus) : NULL);
			/* The first on its chain; "policies" has them all. */
			json_object_object_add(obj, "policy", vm->nr_policies > 0 ?
					       json_text(vm->names[0]) : NULL);
			json_object_object_add(obj, "policies", json_chain(vm));
		}
		json_object_object_add(obj, "ejected",
				       json_string_or_null(eject_reason(vm->stats.ejected)));
		json_object_object_add(obj, "exits", vm->have_stats ?
				       json_counters(&vm->stats) : NULL);
		json_object_array_add(list, obj);
	}
	json_print(list);
}

/* "a (vm), b (cgroup)", "none", or "?" if they cannot be read. */
static void format_chain(const struct vm_info *vm, char *buf, size_t size)
{
	size_t len = 0;
	int p;

	snprintf(buf, size, "%s", vm->nr_policies < 0 ? "?" : "none");
	for (p = 0; p < vm->nr_policies && len < size; p++)
		len += snprintf(buf + len, size - len, "%s%s (%s)", p ? ", " : "", vm->names[p],
				kvmexit_origin_name(vm->chain[p].origin) ?: "?");
}

static void print_table(const struct vm_info *vms, int nr, bool with_identity)
{
	const struct kvmexit_counters *c;
	const struct vm_info *vm;
	char vcpus[16], chain[KVMEXIT_MAX_POLICIES * 80];
	/* The VMM's: whatever its arguments hold reaches the terminal escaped. */
	char cmdline[4 * sizeof(vm->cmdline)], name[4 * sizeof(vm->name)];
	int i, e;

	for (i = 0; i < nr; i++) {
		vm = &vms[i];
		snprintf(vcpus, sizeof(vcpus), vm->vcpus >= 0 ? "%d" : "?", vm->vcpus);
		format_chain(vm, chain, sizeof(chain));
		text_escaped(vm->cmdline, cmdline, sizeof(cmdline));
		text_escaped(vm->name, name, sizeof(name));
		if (with_identity)
			printf("VM %d/%d%s%s  %s\n"
			       "  started %.2fs after boot  VM id %llu  vCPUs %s  policies %s%s%s%s\n",
			       vm->pid, vm->vm_fd, name[0] ? "  name " : "", name, cmdline,
			       (double)vm->start_time / sysconf(_SC_CLK_TCK),
			       (unsigned long long)vm->vm_id, vcpus, chain,
			       eject_reason(vm->stats.ejected) ? " (ejected: " : "",
			       eject_reason(vm->stats.ejected) ?: "",
			       eject_reason(vm->stats.ejected) ? ")" : "");
		else
			printf("VM %d/%d\n", vm->pid, vm->vm_fd);
		if (!vm->have_stats) {
			printf("  no counters (no debugfs, or a kernel without exit policies)\n");
			continue;
		}
		printf("  %-8s %12s %12s %12s %12s %12s %12s\n", "exit", "handled", "to_user",
		       "injected", "defaulted", "errors", "refused");
		for (e = 0; e < KVMEXIT_NR_EXITS; e++) {
			c = &vm->stats.exit[e];
			printf("  %-8s %12llu %12llu %12llu %12llu %12llu %12llu\n",
			       kvmexit_exit_name(e), (unsigned long long)c->handled,
			       (unsigned long long)c->to_user, (unsigned long long)c->injected,
			       (unsigned long long)c->defaulted, (unsigned long long)c->errors,
			       (unsigned long long)c->refused);
		}
	}
	if (!nr)
		printf("no VMs\n");
}

static bool print_verbose;
/* libbpf's warnings while a policy loads: held until it is known whether they matter. */
static FILE *held_warnings;

/*
 * libbpf's warnings always (a map it could not create, a kernel feature it lacks), its
 * information with --verbose, its debugging never.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !print_verbose))
		return 0;
	return vfprintf(held_warnings ?: stderr, fmt, ap);
}

static void hold_warnings(char **buf, size_t *len)
{
	held_warnings = open_memstream(buf, len);
}

/*
 * The warnings libbpf gave while the policy loaded, unless @rejected: the verifier's
 * rejection (which libbpf repeats whole) is summed up by print_rejection(). *@buf is the
 * stream's only once it is closed.
 */
static void release_warnings(char **buf, bool rejected)
{
	if (held_warnings)
		fclose(held_warnings);
	held_warnings = NULL;
	if (*buf && !rejected)
		fputs(*buf, stderr);
	free(*buf);
	*buf = NULL;
}

/*
 * The verifier's verdict in two lines: its error and the policy's source line (one JSON
 * error with --json). EXIT_POLICY.
 */
static int report_rejection(const char *path, const char *log, bool verbose)
{
	const char *line, *next, *error = NULL, *source = NULL;
	int error_len = 0, source_len = 0, len;
	char message[512], *p;

	if (verbose && !json_wanted()) {
		fprintf(stderr, "%s", log);
		return EXIT_POLICY;
	}
	for (line = log; *line; line = next) {
		len = strcspn(line, "\n");
		next = line + len;
		if (*next)
			next++;
		if (!len)
			continue;
		if (line[0] == ';') {
			source = line;
			source_len = len;
		} else if (line[0] == ' ' && error) {
			/* The message goes on over an indented line. */
			error_len = line + len - error;
		} else if (strncmp(line, "processed ", 10) && strncmp(line, "-- END", 6)) {
			error = line;
			error_len = len;
		}
	}
	if (!error) {
		error = "(no log)";
		error_len = strlen(error);
	}
	/* The message over several lines, as one. */
	snprintf(message, sizeof(message), "%.*s", error_len, error);
	for (p = message; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (json_wanted())
		return fail(EXIT_POLICY, "the verifier rejected %s: %s%s%.*s", path, message,
			    source ? " at " : "", source_len, source ?: "");
	fprintf(stderr, "kvmexit: the verifier rejected %s: %s\n", path, message);
	if (source)
		fprintf(stderr, "kvmexit:   at %.*s\n", source_len, source);
	fprintf(stderr, "kvmexit:   (--verbose prints the whole log)\n");
	return EXIT_POLICY;
}

/*
 * POLICY as a path (with a '/' or ending in .o), or a name: NAME.bpf.o in the directories
 * of $KVMEXIT_POLICY_PATH, then in the installed ones. opt->policy becomes the path.
 */
static int find_policy(struct options *opt)
{
	static char found[PATH_MAX];
	const char *env = getenv("KVMEXIT_POLICY_PATH");
	char dirs[PATH_MAX * 2], *dir, *save;
	size_t len;

	if (!opt->policy)
		return fail(EXIT_USAGE, "which policy? (a name such as hypercall_filter, or "
			    "POLICY.bpf.o)");
	len = strlen(opt->policy);
	if (strchr(opt->policy, '/') || (len > 2 && !strcmp(opt->policy + len - 2, ".o")))
		return EXIT_OK;
	snprintf(dirs, sizeof(dirs), "%s%s%s", env ?: "", env ? ":" : "", KVMEXIT_POLICY_DIR);
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(found, sizeof(found), "%s/%s.bpf.o", dir, opt->policy);
		if (!access(found, R_OK)) {
			opt->policy = found;
			return EXIT_OK;
		}
	}
	return fail(EXIT_POLICY, "no policy %s: no %s.bpf.o in %s%s%s (a path works too)",
		    opt->policy, opt->policy, env ?: "", env ? ":" : "", KVMEXIT_POLICY_DIR);
}

/* A kernel without the series fails every attach: say so first, and what to do. */
static int check_kernel(void)
{
	int err = kvmexit_kernel_supported();

	if (err == -EOPNOTSUPP)
		return fail(EXIT_FAIL, "this kernel has no kvm_arm_exit_ops: boot a kvmexit kernel "
			    "(CONFIG_KVM_ARM_EXIT_BPF=y)");
	if (err)
		return fail(EXIT_FAIL, "cannot read this kernel's BTF (/sys/kernel/btf/vmlinux): "
			    "%s; kvmexit needs a kernel with CONFIG_DEBUG_INFO_BTF",
			    strerror(-err));
	return EXIT_OK;
}

/* Open POLICY and apply the --set options. */
static int open_policy(const struct options *opt, struct kvmexit_policy **policy)
{
	char *name, *value, msg[128], *warnings = NULL;
	size_t warnings_len;
	int err, i;

	/* What libbpf says of a file it cannot open, kvmexit says below. */
	hold_warnings(&warnings, &warnings_len);
	err = kvmexit_policy_open(opt->policy, policy);
	release_warnings(&warnings, err);
	if (err == -ENOMSG)
		return fail(EXIT_POLICY, "%s has no struct kvm_arm_exit_ops (exactly one needed)",
			    opt->policy);
	if (err) {
		/* libbpf's own codes (a broken ELF or BTF) as well as errno values. */
		libbpf_strerror(err, msg, sizeof(msg));
		return fail(EXIT_POLICY, "cannot open %s: %s", opt->policy, msg);
	}
	for (i = 0; i < opt->nr_sets; i++) {
		name = strdup(opt->sets[i]);
		value = name ? strchr(name, '=') : NULL;
		if (!value) {
			free(name);
			kvmexit_policy_close(*policy);
			return fail(EXIT_USAGE, "--set %s: expected NAME=VALUE", opt->sets[i]);
		}
		*value++ = '\0';
		err = kvmexit_policy_set(*policy, name, value);
		if (err) {
			fail(EXIT_POLICY, "--set %s: %s", opt->sets[i],
			     err == -ENOENT ? "the policy has no such variable" :
			     err == -ERANGE ? "out of range (value, or too many elements)" :
			     err == -EINVAL ? "not an integer (or a variable that is not one)" :
			     strerror(-err));
			free(name);
			kvmexit_policy_close(*policy);
			return EXIT_POLICY;
		}
		free(name);
	}
	return EXIT_OK;
}

/* The flags of the policy's kvm_arm_exit_ops as they went to the kernel; 0 if none. */
static uint32_t ops_flags(const struct kvmexit_policy *policy)
{
	struct bpf_object *obj = kvmexit_policy_object(policy);
	struct btf *btf = bpf_object__btf(obj);
	const struct btf_member *m;
	const struct btf_type *t;
	struct bpf_map *map;
	uint32_t flags = 0;
	const char *data;
	size_t size = 0, off;
	unsigned int i;
	int id;

	id = btf ? btf__find_by_name_kind(btf, "kvm_arm_exit_ops", BTF_KIND_STRUCT) : -ENOENT;
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	bpf_object__for_each_map(map, obj) {
		data = bpf_map__type(map) == BPF_MAP_TYPE_STRUCT_OPS ?
		       bpf_map__initial_value(map, &size) : NULL;
		for (i = 0, m = t && data ? btf_members(t) : NULL; m && i < btf_vlen(t); i++, m++) {
			off = btf_member_bit_offset(t, i) / 8;
			if (!strcmp(btf__name_by_offset(btf, m->name_off), "flags") &&
			    off + sizeof(flags) <= size)
				memcpy(&flags, data + off, sizeof(flags));
		}
	}
	return flags;
}

/*
 * -EINVAL without a verifier log: the kernel refused the struct_ops' members (see
 * kvm_arm_exit_validate()), kvmexit having set all but the policy's own flags right.
 */
static int invalid_ops(const struct options *opt, const struct kvmexit_policy *policy)
{
	const uint32_t known = KVMEXIT_OPS_HOST_WIDE | KVMEXIT_OPS_FAIL_CLOSED |
			       KVMEXIT_OPS_CGROUP | KVMEXIT_OPS_BEFORE | KVMEXIT_OPS_AFTER;
	uint32_t flags = ops_flags(policy);

	if (flags & ~known)
		return fail(EXIT_POLICY, "the kernel refused %s: its kvm_arm_exit_ops .flags %#x "
			    "has unknown bits (%#x)", opt->policy, flags, flags & ~known);
	return fail(EXIT_POLICY, "the kernel refused %s: %s (its kvm_arm_exit_ops' flags, "
		    "vm_fd, cgroup_fd or anchor_id)", opt->policy, strerror(EINVAL));
}

/* A sleepable callback of the policy's, which the kernel refuses (see load_error()); or NULL. */
static const char *sleepable_callback(const struct kvmexit_policy *policy)
{
	struct bpf_program *prog;

	/* By its section: libbpf gives BPF_F_SLEEPABLE to the load, not to the program. */
	bpf_object__for_each_program(prog, kvmexit_policy_object(policy))
		if (!strncmp(bpf_program__section_name(prog), "struct_ops.s/", 13))
			return bpf_program__name(prog);
	return NULL;
}

static int load_error(const struct options *opt, const struct target *t,
		      struct kvmexit_policy *policy, int err, bool replace)
{
	const char *log = kvmexit_policy_log(policy);

	switch (err) {
	case -E2BIG:
		if (t->opts.target == KVMEXIT_TARGET_VM)
			return fail(EXIT_STATE, "%s: its chain is full (%d policies, the host-wide "
				    "and cgroup ones included): detach one first", t->what,
				    KVMEXIT_MAX_POLICIES);
		return fail(EXIT_STATE, "%s: no room: the host-wide and cgroup policies are %d "
			    "at most together, and a host-wide one needs room on every VM's chain: "
			    "detach one first", t->what, KVMEXIT_MAX_POLICIES);
	case -EPERM:
		return fail(EXIT_PERM, "attaching %s to %s: not permitted%s", opt->policy, t->what,
			    t->opts.target == KVMEXIT_TARGET_VM ? "" : " (CAP_SYS_ADMIN needed)");
	case -EBADF:
		if (t->opts.target == KVMEXIT_TARGET_CGROUP)
			return fail(EXIT_NO_VM, "%s is not a cgroup v2 directory", opt->cgroup);
		return fail(EXIT_NO_VM, "the VM of process %d is gone", opt->pid);
	case -ENOENT:
		if (!replace)
			return fail(EXIT_STATE, "%s: the policy to place it by is gone", t->what);
		/* fallthrough */
	case -ENOLINK:	/* the link is detached: KVM ejected its policy */
		return fail(EXIT_STATE, "%s: the policy to replace was ejected, or the VM is gone: "
			    "detach, then attach", t->what);
	case -EOPNOTSUPP:
		return fail(EXIT_FAIL, "this kernel's kvm_arm_exit_ops cannot attach to %s or "
			    "place policies: boot a newer kvmexit kernel", t->what);
	case -EXDEV:
		return fail(EXIT_POLICY, "%s keeps one VM's state (a device): attach it to a VM "
			    "(--pid or --vm-name), not to %s, whose VMs would all share it",
			    opt->policy, t->what);
	case -EPROTO:	/* the replaced policy's state does not fit: its log says why */
		return fail(EXIT_POLICY, "replacing the policy of %s with %s: %.*s; nothing was "
			    "replaced (--fresh starts %s from its own defaults)", t->what,
			    opt->policy, (int)strcspn(log, "\n"), log, opt->policy);
	}
	/* The verifier says which member, not why: a callback runs under RCU, and never sleeps. */
	if (strstr(log, "attach to unsupported member") && sleepable_callback(policy))
		return fail(EXIT_POLICY, "the verifier rejected %s: its callback %s is sleepable "
			    "(SEC(\"struct_ops.s/...\")), and a callback runs in the vCPU thread, "
			    "where it may not sleep", opt->policy, sleepable_callback(policy));
	if (log[0])
		return report_rejection(opt->policy, log, opt->verbose);
	if (err == -EINVAL)
		return invalid_ops(opt, policy);
	return fail(EXIT_FAIL, "loading %s: %s", opt->policy, strerror(-err));
}

static void report_attach(struct kvmexit_policy *policy, const struct target *t,
			  const char *name, const char *path, bool replace)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, replace ? "replaced" : "attached",
			       json_text(replace ? name : kvmexit_policy_name(policy)));
	if (replace)
		json_object_object_add(obj, "with", json_text(kvmexit_policy_name(policy)));
	json_object_object_add(obj, "to", json_text(t->what));
	json_object_object_add(obj, "link", json_text(path));
	json_object_object_add(obj, "id", kvmexit_policy_id(policy) ?
			       json_object_new_uint64(kvmexit_policy_id(policy)) : NULL);
	if (replace)
		report(obj, "replaced the policy %s of %s with %s (link %s, id %u)", name,
		       t->what, kvmexit_policy_name(policy), path, kvmexit_policy_id(policy));
	else
		report(obj, "attached %s to %s (link %s, id %u)", kvmexit_policy_name(policy),
		       t->what, path, kvmexit_policy_id(policy));
}

/*
 * Attach @policy to @t and pin it, or replace the one pinned (at its pin, the place's
 * name): with the target's pin directory locked, so that two kvmexit never both find a
 * name free, and rule edits never meet a replace half done.
 */
static int attach_locked(struct options *opt, struct target *t,
			 struct kvmexit_policy *policy, bool replace)
{
	char name[NAME_MAX + 1] = "", path[2 * PATH_MAX], *warnings = NULL;
	size_t warnings_len;
	int ret = EXIT_OK, err;

	if (replace)
		ret = pick_pinned(t, opt->name, kvmexit_policy_name(policy), name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%s", kvmexit_policy_name(policy));
	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	if (!ret && !replace && !access(path, F_OK))
		ret = fail(EXIT_STATE, "%s already has a policy named %s: replace or detach it",
			   t->what, name);
	if (!ret)
		ret = open_target(opt, t);
	if (ret)
		return ret;
	hold_warnings(&warnings, &warnings_len);
	if (replace) {
		t->opts.flags = opt->fresh ? KVMEXIT_ATTACH_FRESH : 0;
		err = kvmexit_policy_replace_pinned_opts(path, policy, &t->opts);
	} else {
		err = kvmexit_policy_attach_opts(policy, &t->opts);
	}
	release_warnings(&warnings, err && kvmexit_policy_log(policy)[0]);
	if (err) {
		ret = load_error(opt, t, policy, err, replace);
	} else if (!replace) {
		err = kvmexit_policy_pin(policy, path);
		if (err) {
			ret = fail(EXIT_FAIL, "pinning at %s: %s", path, strerror(-err));
			kvmexit_policy_detach(policy);
		}
	}
	if (t->opts.fd >= 0)
		close(t->opts.fd);
	if (!ret)
		report_attach(policy, t, name, path, replace);
	return ret;
}

static int cmd_attach(struct options *opt, bool replace)
{
	struct kvmexit_policy *policy;
	struct target t;
	int ret, lock_fd;

	if (opt->fresh && !replace)
		return fail(EXIT_USAGE, "--fresh is for replace: an attached policy starts fresh");
	ret = find_policy(opt) ?: check_kernel();
	if (!ret)
		ret = pick_target(opt, &t);
	if (!ret && !replace)
		ret = pick_place(opt, &t);
	if (ret)
		return ret;
	ret = open_policy(opt, &policy);
	if (ret)
		return ret;
	ret = lock_target(&t, !replace, &lock_fd);
	if (!ret) {
		ret = attach_locked(opt, &t, policy, replace);
		unlock_target(&t, lock_fd);
	}
	kvmexit_policy_close(policy);
	return ret;
}

static int cmd_detach(struct options *opt)
{
	char name[NAME_MAX + 1], path[2 * PATH_MAX];
	struct json_object *obj;
	struct target t;
	int ret, err, lock_fd;
	bool gone;

	if (!opt->pid && !opt->vm_name && !opt->cgroup && !opt->host)
		return fail(EXIT_USAGE, "--pid, --vm-name, --cgroup or --host is required");
	ret = opt->pid ? pick_pinned_vm(opt, &t) : pick_target(opt, &t);
	if (!ret)
		ret = lock_target(&t, false, &lock_fd);
	if (ret)
		return ret;
	ret = pick_pinned(&t, opt->policy, NULL, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", t.dir, name);
	err = ret ? 0 : kvmexit_detach_pinned(path);
	if (err)
		ret = fail(EXIT_FAIL, "detaching the policy pinned at %s: %s", path,
			   strerror(-err));
	unlock_target(&t, lock_fd);	/* the directory goes with its last policy */
	if (ret)
		return ret;
	gone = opt->pid && !process_start_time(opt->pid);
	obj = json_object_new_object();
	json_object_object_add(obj, "detached", json_text(name));
	json_object_object_add(obj, "from", json_text(t.what));
	/* Whether the VMM is gone is only known, and asked, for --pid. */
	json_object_object_add(obj, "vmm_gone", opt->pid ? json_object_new_boolean(gone) : NULL);
	report(obj, "detached %s from %s%s", name, t.what, gone ? " (its VMM is gone)" : "");
	return EXIT_OK;
}

static void close_console_maps(struct console_maps *maps)
{
	close(maps->out_fd);
	if (maps->in_fd >= 0)
		close(maps->in_fd);
	if (maps->input_prog_fd >= 0)
		close(maps->input_prog_fd);
}

/*
 * The console maps of @t's policy @name, or of the one policy that has ring buffers: each
 * policy's looked at on its own, so that one without (looked at after the one found)
 * neither overwrites nor leaks what was found.
 */
static int find_console(const struct options *opt, const struct target *t,
			struct console_maps *maps, char *path, size_t size)
{
	char names[KVMEXIT_MAX_POLICIES * 2][NAME_MAX + 1], found[NAME_MAX + 1] = "";
	int nr, i, link_fd, err = -ENOENT, matches = 0, looked = 0;
	struct console_maps candidate;

	nr = pinned_policies(t->dir, names, KVMEXIT_MAX_POLICIES * 2);
	if (nr <= 0)
		return fail(EXIT_STATE, "%s has no policy attached by kvmexit", t->what);
	for (i = 0; i < nr; i++) {
		if (opt->policy && strcmp(names[i], opt->policy))
			continue;
		snprintf(path, size, "%s/%s", t->dir, names[i]);
		link_fd = bpf_obj_get(path);
		if (link_fd < 0)
			continue;
		looked++;
		err = find_console_maps(link_fd, &candidate);
		close(link_fd);
		if (err == -ENOENT)
			continue;
		if (err)
			break;
		if (matches++) {
			close_console_maps(maps);
			close_console_maps(&candidate);
			return fail(EXIT_STATE, "%s has several policies with ring buffers (%s, "
				    "%s): name one", t->what, found, names[i]);
		}
		*maps = candidate;
		snprintf(found, sizeof(found), "%.*s", NAME_MAX, names[i]);
	}
	if (matches && i == nr) {
		snprintf(path, size, "%s/%s", t->dir, found);
		return EXIT_OK;
	}
	if (matches)
		close_console_maps(maps);	/* another policy's maps failed */
	if (opt->policy && !looked)
		return fail(EXIT_STATE, "%s has no policy %s attached by kvmexit", t->what,
			    opt->policy);
	if (opt->policy && err == -ENOENT)
		return fail(EXIT_POLICY, "the policy %s of %s has no ring buffer to follow",
			    opt->policy, t->what);
	if (err == -ENOENT)
		return fail(EXIT_POLICY, "no policy of %s has a ring buffer to follow", t->what);
	if (err == -ENOTUNIQ)
		return fail(EXIT_POLICY, "the policy %s of %s has several ring buffers of a kind",
			    names[i], t->what);
	return fail(EXIT_FAIL, "the maps of the policy %s of %s: %s: %s", names[i], t->what,
		    candidate.failed, strerror(-err));
}

static int cmd_console(struct options *opt)
{
	char path[2 * PATH_MAX], prog_path[2 * PATH_MAX + 32];
	struct console_maps maps;
	enum follow_end ended;
	struct target t;
	int ret, err;

	if (opt->cgroup || opt->host)
		return fail(EXIT_USAGE, "a console is a VM's: --pid PID [--vm FD]");
	ret = pick_target(opt, &t);
	if (!ret)
		ret = find_console(opt, &t, &maps, path, sizeof(path));
	if (ret)
		return ret;
	if (maps.in_fd < 0)
		fprintf(stderr, "kvmexit: the policy takes no input: output only\n");
	kvmexit_beside_path(prog_path, sizeof(prog_path), path, CONSOLE_INPUT_PROG);
	maps.input_prog_fd = bpf_obj_get(prog_path);
	err = run_console(&maps, t.vm.pid, t.vm.vm_fd, path, &ended);
	close_console_maps(&maps);
	if (err)
		return fail(EXIT_FAIL, "console of %s: %s", t.what, strerror(-err));
	if (ended == FOLLOW_REPLACED)
		return fail(EXIT_STATE, "the policy of %s was replaced: its console ended "
			    "(run kvmexit console again for the new policy's)", t.what);
	if (ended == FOLLOW_EJECTED)
		return fail(EXIT_STATE, "the policy of %s was ejected (%s): its console ended",
			    t.what, eject_reason(vm_eject_reason(t.vm.pid, t.vm.vm_fd)) ?:
			    "see kvmexit stats");
	return EXIT_OK;
}

static int cmd_list(struct options *opt, bool stats_only)
{
	int nr, i, kept, hidden;
	struct vm_info *vms, *vm;

	catch_interrupts();
	do {
		nr = find_vms(opt->pid, &vms, &hidden);
		if (nr == -EACCES || nr == -EPERM)
			return fail(EXIT_PERM, "cannot see the fds of process %d: no ptrace rights "
				    "over it", opt->pid);
		if (nr < 0)
			return fail(EXIT_NO_VM, "process %d: %s", opt->pid, strerror(-nr));
		for (i = 0, kept = 0; i < nr; i++) {
			vm = &vms[i];
			if ((opt->vm_fd < 0 || vm->vm_fd == opt->vm_fd) &&
			    (!opt->vm_name || !strcmp(vm->name, opt->vm_name)))
				vms[kept++] = *vm;
		}
		if ((opt->pid || opt->vm_name) && !kept) {
			free(vms);
			if (!opt->pid)
				return fail(EXIT_NO_VM, "no VM named %s", opt->vm_name);
			return fail(EXIT_NO_VM, "process %d has no such VM", opt->pid);
		}
		if (json_wanted())
			print_json(vms, kept, !stats_only);
		else
			print_table(vms, kept, !stats_only);
		/* On stderr: the JSON on stdout stays whole. */
		if (hidden)
			fprintf(stderr, "kvmexit: %d processes not inspected (no ptrace rights over "
				"them): their VMs are not listed\n", hidden);
		free(vms);
		fflush(stdout);
		if (opt->watch && !interrupted)
			sleep(opt->watch);
	} while (opt->watch && !interrupted);
	return EXIT_OK;
}

static int add_param(const char *name, const char *type, const char *value, void *arg)
{
	struct json_object *param;

	if (!json_wanted()) {
		printf("%-24s %-10s %s\n", name, type, value);
		return 0;
	}
	param = json_object_new_object();
	json_object_object_add(param, "name", json_text(name));
	json_object_object_add(param, "type", json_text(type));
	json_object_object_add(param, "default", json_text(value));
	json_object_array_add(arg, param);
	return 0;
}

/* The --set parameters of POLICY, with their types and defaults, from its BTF. */
static int cmd_params(struct options *opt)
{
	struct json_object *params = json_object_new_array();
	struct kvmexit_policy *policy;
	int ret, err;

	ret = find_policy(opt) ?: open_policy(opt, &policy);
	if (ret) {
		json_object_put(params);
		return ret;
	}
	if (!json_wanted())
		printf("%-24s %-10s %s\n", "NAME", "TYPE", "DEFAULT");
	err = kvmexit_policy_params(policy, add_param, params);
	kvmexit_policy_close(policy);
	if (err) {
		json_object_put(params);
		return fail(EXIT_POLICY, "the parameters of %s: %s", opt->policy, strerror(-err));
	}
	if (json_wanted())
		json_print(params);
	else
		json_object_put(params);
	return EXIT_OK;
}

static int cmd_list_all(struct options *opt)
{
	return cmd_list(opt, false);
}

static int cmd_stats(struct options *opt)
{
	return cmd_list(opt, true);
}

static int cmd_attach_new(struct options *opt)
{
	return cmd_attach(opt, false);
}

static int cmd_replace(struct options *opt)
{
	return cmd_attach(opt, true);
}

static const struct command commands[] = {
	{ "list", cmd_list_all, 0 },
	{ "stats", cmd_stats, 0 },
	{ "attach", cmd_attach_new, 1 },
	{ "replace", cmd_replace, 1 },
	{ "detach", cmd_detach, 1 },
	{ "console", cmd_console, 1 },
	{ "params", cmd_params, 1 },
};

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct options opt;
	size_t i;
	int ret;

	ret = parse_args(argc, argv, &opt);
	if (ret == ARGS_RUN) {
		libbpf_set_print(libbpf_print);
		print_verbose = opt.verbose;
		for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (!strcmp(opt.cmd, commands[i].name))
				cmd = &commands[i];
		for (i = 0; i < nr_policy_commands; i++)
			if (!strcmp(opt.cmd, policy_commands[i].name))
				cmd = &policy_commands[i];
		if (!cmd)
			ret = fail(EXIT_USAGE, "no command %s (see kvmexit --help)", opt.cmd);
		else
			ret = check_args(&opt, cmd->max_args) ?: cmd->run(&opt);
	}
	free_args(&opt);
	return ret;
}
