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
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "console.h"
#include "interrupt.h"
#include "pins.h"
#include "vms.h"

static const char *eject_reason(uint64_t reason)
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

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_json(const struct vm_info *vms, int nr, bool with_identity)
{
	static const char *const outcomes[] = {
		"handled", "to_user", "injected", "defaulted", "errors", "refused"
	};
	const struct vm_info *vm;
	const uint64_t *c;
	int i, e, o, p;

	printf("[");
	for (i = 0; i < nr; i++) {
		vm = &vms[i];
		printf("%s{\"pid\":%d,\"vm_fd\":%d", i ? "," : "", vm->pid, vm->vm_fd);
		if (with_identity) {
			printf(",\"cmdline\":");
			json_string(vm->cmdline);
			if (vm->vcpus >= 0)
				printf(",\"vcpus\":%d,\"policy\":", vm->vcpus);
			else
				printf(",\"vcpus\":null,\"policy\":");
			/* The first on its chain; "policies" has them all. */
			if (vm->nr_policies > 0)
				json_string(vm->names[0]);
			else
				printf("null");
			printf(",\"policies\":");
			if (vm->nr_policies < 0)
				printf("null");
			for (p = 0; p < vm->nr_policies; p++) {
				printf("%s{\"name\":", p ? "," : "[");
				json_string(vm->names[p]);
				printf(",\"id\":%u,\"from\":\"%s\"}", vm->chain[p].id,
				       kvmexit_origin_name(vm->chain[p].origin) ?: "unknown");
			}
			if (vm->nr_policies >= 0)
				printf("%s]", vm->nr_policies ? "" : "[");
		}
		printf(",\"ejected\":");
		if (eject_reason(vm->stats.ejected))
			json_string(eject_reason(vm->stats.ejected));
		else
			printf("null");
		printf(",\"exits\":{");
		for (e = 0; e < KVMEXIT_NR_EXITS; e++) {
			c = &vm->stats.exit[e].handled;
			printf("%s\"%s\":{", e ? "," : "", kvmexit_exit_name(e));
			for (o = 0; o < (int)(sizeof(outcomes) / sizeof(outcomes[0])); o++)
				printf("%s\"%s\":%llu", o ? "," : "", outcomes[o],
				       (unsigned long long)c[o]);
			printf("}");
		}
		printf("}}");
	}
	printf("]\n");
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
	int i, e;

	for (i = 0; i < nr; i++) {
		vm = &vms[i];
		snprintf(vcpus, sizeof(vcpus), vm->vcpus >= 0 ? "%d" : "?", vm->vcpus);
		format_chain(vm, chain, sizeof(chain));
		if (with_identity)
			printf("VM %d/%d  %s\n  vCPUs %s  policies %s%s%s%s\n", vm->pid, vm->vm_fd,
			       vm->cmdline, vcpus, chain,
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

/* The one VM the options name, or an exit code. */
static int pick_vm(const struct options *opt, struct vm_info *out)
{
	int nr, i, found = -1, hidden;
	struct vm_info *vms;

	if (!opt->pid)
		return fail(EXIT_USAGE, "--pid is required");
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

/* The verifier's verdict in two lines: its error and the policy's source line. */
static void print_rejection(const char *path, const char *log, bool verbose)
{
	const char *line, *next, *error = NULL, *source = NULL;
	int error_len = 0, source_len = 0, len;

	if (verbose) {
		fprintf(stderr, "%s", log);
		return;
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
	fprintf(stderr, "kvmexit: the verifier rejected %s: ", path);
	for (line = error ?: "(no log)"; error && line < error + error_len; line++)
		fputc(*line == '\n' ? ' ' : *line, stderr);
	fputc('\n', stderr);
	if (source)
		fprintf(stderr, "kvmexit:   at %.*s\n", source_len, source);
	fprintf(stderr, "kvmexit:   (--verbose prints the whole log)\n");
}

/* Open POLICY and apply the --set options. */
static int open_policy(const struct options *opt, struct kvmexit_policy **policy)
{
	char *name, *value, msg[128];
	int err, i;

	err = kvmexit_policy_open(opt->policy, policy);
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

/* What a command acts on: a VM, a cgroup or the host, and where its policies are pinned. */
struct target {
	struct kvmexit_attach_opts opts;	/* target, fd (if asked for), place */
	char dir[PATH_MAX];
	char what[PATH_MAX + 16];		/* for messages: "VM 12/5", "cgroup PATH" */
	struct vm_info vm;
};

static int take_vm_fd(const struct options *opt, int *fd)
{
	*fd = steal_fd(opt->pid, opt->vm_fd);
	if (*fd == -EPERM || *fd == -EACCES)
		return fail(EXIT_PERM, "no ptrace rights over process %d (pidfd_getfd: %s)",
			    opt->pid, strerror(-*fd));
	if (*fd < 0)
		return fail(EXIT_NO_VM, "process %d fd %d: %s", opt->pid, opt->vm_fd,
			    strerror(-*fd));
	return EXIT_OK;
}

/* The target the options name. */
static int pick_target(struct options *opt, struct target *t)
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
	opt->vm_fd = t->vm.vm_fd;
	t->opts.target = KVMEXIT_TARGET_VM;
	vm_pin_dir(t->dir, sizeof(t->dir), t->vm.pid, t->vm.vm_fd);
	snprintf(t->what, sizeof(t->what), "VM %d/%d", t->vm.pid, t->vm.vm_fd);
	return EXIT_OK;
}

/* The target's fd into t->opts.fd (the caller closes it): the VM's, or the cgroup's. */
static int open_target(const struct options *opt, struct target *t)
{
	if (t->opts.target == KVMEXIT_TARGET_VM)
		return take_vm_fd(opt, &t->opts.fd);
	if (t->opts.target != KVMEXIT_TARGET_CGROUP)
		return EXIT_OK;
	t->opts.fd = open(opt->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->opts.fd < 0)
		return fail(EXIT_NO_VM, "cgroup %s: %s", opt->cgroup, strerror(errno));
	return EXIT_OK;
}

/* --first, --before NAME, --after NAME: NAME one of the target's pinned policies, or an id. */
static int pick_place(const struct options *opt, struct target *t)
{
	const char *anchor = opt->before ?: opt->after;
	char path[2 * PATH_MAX];
	int64_t id;
	char *end;

	if (opt->first)
		t->opts.place = KVMEXIT_PLACE_FIRST;
	if (!anchor)
		return EXIT_OK;
	t->opts.place = opt->before ? KVMEXIT_PLACE_BEFORE : KVMEXIT_PLACE_AFTER;
	id = strtoll(anchor, &end, 10);
	if (*end || end == anchor || id <= 0 || id > UINT32_MAX) {
		snprintf(path, sizeof(path), "%s/%s", t->dir, anchor);
		id = pinned_policy_id(path);
	}
	if (id <= 0)
		return fail(EXIT_STATE, "%s has no policy %s attached by kvmexit (kvmexit list "
			    "shows its policies; an id works too)", t->what, anchor);
	t->opts.anchor_id = id;
	return EXIT_OK;
}

/*
 * Which of the target's pinned policies a command means, into @name: @wanted, else
 * @preferred if pinned, else the only one. An exit code.
 */
static int pick_pinned(const struct target *t, const char *wanted, const char *preferred,
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
	}
	if (log[0]) {
		print_rejection(opt->policy, log, opt->verbose);
		return EXIT_POLICY;
	}
	return fail(EXIT_FAIL, "loading %s: %s", opt->policy, strerror(-err));
}

static int cmd_attach(struct options *opt, bool replace)
{
	struct kvmexit_policy *policy;
	char name[NAME_MAX + 1], path[2 * PATH_MAX];
	struct target t;
	int ret, err;

	if (!opt->policy)
		return fail(EXIT_USAGE, "which policy? (POLICY.bpf.o)");
	ret = pick_target(opt, &t);
	if (!ret && !replace)
		ret = pick_place(opt, &t);
	if (ret)
		return ret;
	ret = open_policy(opt, &policy);
	if (ret)
		return ret;
	/* A replaced policy's pin keeps its name: the place's. */
	if (replace)
		ret = pick_pinned(&t, opt->name, kvmexit_policy_name(policy), name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%s", kvmexit_policy_name(policy));
	snprintf(path, sizeof(path), "%s/%s", t.dir, name);
	if (!ret && !replace && !access(path, F_OK))
		ret = fail(EXIT_STATE, "%s already has a policy named %s: replace or detach it",
			   t.what, name);
	if (!ret)
		ret = open_target(opt, &t);
	if (ret) {
		kvmexit_policy_close(policy);
		return ret;
	}
	if (replace)
		err = kvmexit_policy_replace_pinned_opts(path, policy, &t.opts);
	else
		err = kvmexit_policy_attach_opts(policy, &t.opts);
	if (err) {
		ret = load_error(opt, &t, policy, err, replace);
	} else if (!replace) {
		mkdir(PIN_DIR, 0700);
		mkdir(t.dir, 0700);
		err = kvmexit_policy_pin(policy, path);
		if (err) {
			ret = fail(EXIT_FAIL, "pinning at %s: %s", path, strerror(-err));
			kvmexit_policy_detach(policy);
		}
	}
	if (t.opts.fd >= 0)
		close(t.opts.fd);
	if (!ret && replace)
		printf("replaced the policy %s of %s with %s (link %s)\n", name, t.what,
		       kvmexit_policy_name(policy), path);
	else if (!ret)
		printf("attached %s to %s (link %s, id %u)\n", kvmexit_policy_name(policy), t.what,
		       path, kvmexit_policy_id(policy));
	kvmexit_policy_close(policy);
	return ret;
}

/*
 * A VM target for detach, from the pins alone: detaching also cleans up after a VMM that
 * is gone (its VM was destroyed and its policies ejected then; the links stayed pinned).
 */
static int pick_pinned_vm(const struct options *opt, struct target *t)
{
	char prefix[32];
	int matches = 0, len;
	struct dirent *d;
	DIR *dp;

	memset(t, 0, sizeof(*t));
	len = snprintf(prefix, sizeof(prefix), "%d-", opt->pid);
	dp = opendir(PIN_DIR);
	while (dp && (d = readdir(dp))) {
		if (strncmp(d->d_name, prefix, len) ||
		    strspn(d->d_name + len, "0123456789") != strlen(d->d_name + len) ||
		    (opt->vm_fd >= 0 && atoi(d->d_name + len) != opt->vm_fd))
			continue;
		snprintf(t->dir, sizeof(t->dir), "%s/%s", PIN_DIR, d->d_name);
		snprintf(t->what, sizeof(t->what), "VM %d/%s", opt->pid, d->d_name + len);
		matches++;
	}
	if (dp)
		closedir(dp);
	if (matches > 1)
		return fail(EXIT_NO_VM, "process %d has policies on %d VMs: choose with --vm",
			    opt->pid, matches);
	if (!matches) {
		if (kill(opt->pid, 0) && errno == ESRCH)
			return fail(EXIT_NO_VM, "no process %d, and no policy left by it",
				    opt->pid);
		return fail(EXIT_STATE, "VM of process %d: no policy attached by kvmexit",
			    opt->pid);
	}
	return EXIT_OK;
}

static int cmd_detach(struct options *opt)
{
	char name[NAME_MAX + 1], path[2 * PATH_MAX];
	struct target t;
	int ret, link_fd, err;

	if (!opt->pid && !opt->cgroup && !opt->host)
		return fail(EXIT_USAGE, "--pid, --cgroup or --host is required");
	ret = opt->pid ? pick_pinned_vm(opt, &t) : pick_target(opt, &t);
	if (!ret)
		ret = pick_pinned(&t, opt->policy, NULL, name, sizeof(name));
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", t.dir, name);
	/*
	 * Detach before unpinning: the last reference to a link dropped by unpinning is
	 * released from a work item, so the policy would still decide for a moment after
	 * this command returned.
	 */
	link_fd = bpf_obj_get(path);
	if (link_fd >= 0) {
		bpf_link_detach(link_fd);
		close(link_fd);
	}
	if (unlink(path))
		return fail(EXIT_FAIL, "removing %s: %s", path, strerror(errno));
	err = kvmexit_unpin_beside(path);
	if (err)
		return fail(EXIT_FAIL, "removing what is pinned beside %s: %s", path,
			    strerror(-err));
	rmdir(t.dir);	/* once its last policy is gone */
	printf("detached %s from %s%s\n", name, t.what,
	       opt->pid && kill(opt->pid, 0) && errno == ESRCH ? " (its VMM is gone)" : "");
	return EXIT_OK;
}

/* The console maps of @t's policy @name, or of the one policy that has ring buffers. */
static int find_console(const struct options *opt, const struct target *t,
			struct console_maps *maps, char *path, size_t size)
{
	char names[KVMEXIT_MAX_POLICIES * 2][NAME_MAX + 1], found[NAME_MAX + 1] = "";
	int nr, i, link_fd, err = -ENOENT, matches = 0;

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
		err = find_console_maps(link_fd, maps);
		close(link_fd);
		if (err == -ENOENT)
			continue;
		if (err)
			break;
		if (matches++) {
			close(maps->out_fd);
			if (maps->in_fd >= 0)
				close(maps->in_fd);
			return fail(EXIT_STATE, "%s has several policies with ring buffers (%s, %s): "
				    "name one", t->what, found, names[i]);
		}
		snprintf(found, sizeof(found), "%.*s", NAME_MAX, names[i]);
	}
	if (matches) {
		snprintf(path, size, "%s/%s", t->dir, found);
		return EXIT_OK;
	}
	if (opt->policy && err == -ENOENT && i == nr)
		return fail(EXIT_STATE, "%s has no policy %s attached by kvmexit", t->what,
			    opt->policy);
	if (err == -ENOENT)
		return fail(EXIT_POLICY, "no policy of %s has a ring buffer to follow", t->what);
	if (err == -ENOTUNIQ)
		return fail(EXIT_POLICY, "the policy %s of %s has several ring buffers of a kind",
			    names[i], t->what);
	return fail(EXIT_FAIL, "the maps of the policy %s of %s: %s: %s", names[i], t->what,
		    maps->failed, strerror(-err));
}

static int cmd_console(struct options *opt)
{
	char path[2 * PATH_MAX], prog_path[2 * PATH_MAX + 32];
	struct console_maps maps;
	enum console_end ended;
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
	snprintf(prog_path, sizeof(prog_path), "%s_%s", path, CONSOLE_INPUT_PROG);
	maps.input_prog_fd = bpf_obj_get(prog_path);
	err = run_console(&maps, t.vm.pid, t.vm.vm_fd, path, &ended);
	close(maps.out_fd);
	if (maps.in_fd >= 0)
		close(maps.in_fd);
	if (maps.input_prog_fd >= 0)
		close(maps.input_prog_fd);
	if (err)
		return fail(EXIT_FAIL, "console of %s: %s", t.what, strerror(-err));
	if (ended == CONSOLE_REPLACED)
		return fail(EXIT_STATE, "the policy of %s was replaced: its console ended "
			    "(run kvmexit console again for the new policy's)", t.what);
	if (ended == CONSOLE_EJECTED)
		return fail(EXIT_STATE, "the policy of %s was ejected (%s): its console ended",
			    t.what, eject_reason(vm_eject_reason(t.vm.pid, t.vm.vm_fd)) ?:
			    "see kvmexit stats");
	return EXIT_OK;
}

/* libbpf's own messages: only with --verbose; kvmexit says what failed itself. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_DEBUG ? 0 : vfprintf(stderr, fmt, ap);
}

static int cmd_list(struct options *opt, bool stats_only)
{
	int nr, i, kept, hidden;
	struct vm_info *vms, *vm;

	if (opt->policy)
		return fail(EXIT_USAGE, "unexpected argument %s", opt->policy);
	catch_interrupts();
	do {
		nr = find_vms(opt->pid, &vms, &hidden);
		if (nr < 0)
			return fail(EXIT_NO_VM, "process %d: %s", opt->pid, strerror(-nr));
		for (i = 0, kept = 0; i < nr; i++) {
			vm = &vms[i];
			if (opt->vm_fd < 0 || vm->vm_fd == opt->vm_fd)
				vms[kept++] = *vm;
		}
		if (opt->pid && !kept) {
			free(vms);
			return fail(EXIT_NO_VM, "process %d has no such VM", opt->pid);
		}
		if (opt->json)
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

int main(int argc, char **argv)
{
	struct options opt;
	int ret;

	ret = parse_args(argc, argv, &opt);
	if (ret != ARGS_RUN) {
		free(opt.sets);
		return ret;
	}
	libbpf_set_print(opt.verbose ? libbpf_print : NULL);

	if (!strcmp(opt.cmd, "list"))
		return cmd_list(&opt, false);
	if (!strcmp(opt.cmd, "stats"))
		return cmd_list(&opt, true);
	if (!strcmp(opt.cmd, "attach"))
		return cmd_attach(&opt, false);
	if (!strcmp(opt.cmd, "replace"))
		return cmd_attach(&opt, true);
	if (!strcmp(opt.cmd, "detach"))
		return cmd_detach(&opt);
	if (!strcmp(opt.cmd, "console"))
		return cmd_console(&opt);
	return fail(EXIT_USAGE, "no command %s (see kvmexit --help)", opt.cmd);
}
