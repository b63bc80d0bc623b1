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
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "console.h"
#include "interrupt.h"
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
	int i, e, o;

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
			if (vm->policy[0])
				json_string(vm->policy);
			else
				printf("null");
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

static void print_table(const struct vm_info *vms, int nr, bool with_identity)
{
	const struct kvmexit_counters *c;
	const struct vm_info *vm;
	char vcpus[16];
	int i, e;

	for (i = 0; i < nr; i++) {
		vm = &vms[i];
		snprintf(vcpus, sizeof(vcpus), vm->vcpus >= 0 ? "%d" : "?", vm->vcpus);
		if (with_identity)
			printf("VM %d/%d  %s\n  vCPUs %s  policy %s%s%s%s\n", vm->pid, vm->vm_fd,
			       vm->cmdline, vcpus,
			       vm->policy[0] ? vm->policy : "none",
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
	struct vm_info *vms;
	int nr, i, found = -1;

	if (!opt->pid)
		return fail(EXIT_USAGE, "--pid is required");
	if (kill(opt->pid, 0) && errno == ESRCH)
		return fail(EXIT_NO_VM, "no process %d", opt->pid);
	nr = find_vms(opt->pid, &vms);
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

static int load_error(const struct options *opt, struct kvmexit_policy *policy, int err)
{
	const char *log = kvmexit_policy_log(policy);

	switch (err) {
	case -EBUSY:
		return fail(EXIT_STATE, "VM %d/%d already has a policy: detach or replace it",
			    opt->pid, opt->vm_fd);
	case -EPERM:
		return fail(EXIT_PERM, "attaching %s: not permitted", opt->policy);
	case -EBADF:
		return fail(EXIT_NO_VM, "the VM of process %d is gone", opt->pid);
	case -ENOENT:
	case -ENOLINK:	/* the link is detached: KVM ejected its policy */
		return fail(EXIT_STATE, "VM %d/%d: its policy was ejected, or the VM is gone: "
			    "detach, then attach", opt->pid, opt->vm_fd);
	}
	if (log[0]) {
		print_rejection(opt->policy, log, opt->verbose);
		return EXIT_POLICY;
	}
	return fail(EXIT_FAIL, "loading %s: %s", opt->policy, strerror(-err));
}

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

static int cmd_attach(struct options *opt, bool replace)
{
	struct kvmexit_policy *policy;
	struct vm_info vm = {};
	char path[96];
	int ret, fd, err;

	if (!opt->policy)
		return fail(EXIT_USAGE, "which policy? (POLICY.bpf.o)");
	ret = pick_vm(opt, &vm);
	if (ret)
		return ret;
	opt->vm_fd = vm.vm_fd;
	pin_path(path, sizeof(path), vm.pid, vm.vm_fd);
	if (replace && access(path, F_OK))
		return fail(EXIT_STATE, "VM %d/%d has no policy attached by kvmexit", vm.pid,
			    vm.vm_fd);
	ret = open_policy(opt, &policy);
	if (ret)
		return ret;
	ret = take_vm_fd(opt, &fd);
	if (ret) {
		kvmexit_policy_close(policy);
		return ret;
	}
	if (replace)
		err = kvmexit_policy_replace_pinned(path, policy, fd);
	else
		err = kvmexit_policy_attach(policy, fd);
	if (err) {
		ret = load_error(opt, policy, err);
	} else if (!replace) {
		mkdir(PIN_DIR, 0700);
		err = kvmexit_policy_pin(policy, path);
		if (err) {
			ret = fail(EXIT_FAIL, "pinning at %s: %s", path, strerror(-err));
			kvmexit_policy_detach(policy);
		}
	}
	close(fd);
	if (!ret && replace)
		printf("replaced the policy of VM %d/%d with %s (link %s)\n", vm.pid, vm.vm_fd,
		       kvmexit_policy_name(policy), path);
	else if (!ret)
		printf("attached %s to VM %d/%d (link %s)\n", kvmexit_policy_name(policy),
		       vm.pid, vm.vm_fd, path);
	kvmexit_policy_close(policy);
	return ret;
}

/*
 * Detaching needs only the pin: it also cleans up after a VMM that is gone (its VM was
 * destroyed and its policy ejected then; the link stayed pinned).
 */
static int cmd_detach(struct options *opt)
{
	char path[320], prefix[32], found[256] = "";
	int matches = 0, len, link_fd, err;
	struct dirent *d;
	DIR *dp;

	if (!opt->pid)
		return fail(EXIT_USAGE, "--pid is required");
	len = snprintf(prefix, sizeof(prefix), "%d-", opt->pid);
	dp = opendir(PIN_DIR);
	while (dp && (d = readdir(dp))) {
		/* PID-FD is a link; PID-FD_NAME a program or map of its policy. */
		if (strncmp(d->d_name, prefix, len) ||
		    strspn(d->d_name + len, "0123456789") != strlen(d->d_name + len))
			continue;
		if (opt->vm_fd >= 0 && atoi(d->d_name + len) != opt->vm_fd)
			continue;
		snprintf(found, sizeof(found), "%s", d->d_name);
		matches++;
	}
	if (dp)
		closedir(dp);
	if (matches > 1)
		return fail(EXIT_NO_VM, "process %d has %d policies attached: choose with --vm",
			    opt->pid, matches);
	if (!matches) {
		if (kill(opt->pid, 0) && errno == ESRCH)
			return fail(EXIT_NO_VM, "no process %d, and no policy left by it",
				    opt->pid);
		return fail(EXIT_STATE, "VM of process %d: no policy attached by kvmexit",
			    opt->pid);
	}
	snprintf(path, sizeof(path), "%s/%s", PIN_DIR, found);
	/*
	 * Detach before unpinning: the last reference to a link dropped by unpinning is
	 * released from a work item, so the policy would still decide for a moment (and the
	 * VM refuse another) after this command returned.
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
	printf("detached the policy of VM %d/%s%s\n", opt->pid, found + len,
	       kill(opt->pid, 0) && errno == ESRCH ? " (its VMM is gone)" : "");
	return EXIT_OK;
}

static int cmd_console(struct options *opt)
{
	struct console_maps maps;
	struct vm_info vm = {};
	enum console_end ended;
	char path[96], prog_path[128];
	int ret, link_fd, err;

	ret = pick_vm(opt, &vm);
	if (ret)
		return ret;
	pin_path(path, sizeof(path), vm.pid, vm.vm_fd);
	link_fd = bpf_obj_get(path);
	if (link_fd < 0)
		return errno == ENOENT ?
		       fail(EXIT_STATE, "VM %d/%d has no policy attached by kvmexit", vm.pid,
			    vm.vm_fd) :
		       fail(EXIT_FAIL, "opening %s: %s", path, strerror(errno));
	err = find_console_maps(link_fd, &maps);
	close(link_fd);
	if (err == -ENOENT)
		return fail(EXIT_POLICY, "the policy of VM %d/%d has no ring buffer to follow",
			    vm.pid, vm.vm_fd);
	if (err == -ENOTUNIQ)
		return fail(EXIT_POLICY, "the policy of VM %d/%d has several ring buffers of a kind",
			    vm.pid, vm.vm_fd);
	if (err)
		return fail(EXIT_FAIL, "the maps of the policy of VM %d/%d: %s: %s", vm.pid,
			    vm.vm_fd, maps.failed, strerror(-err));
	if (maps.in_fd < 0)
		fprintf(stderr, "kvmexit: the policy takes no input: output only\n");
	snprintf(prog_path, sizeof(prog_path), "%s_%s", path, CONSOLE_INPUT_PROG);
	maps.input_prog_fd = bpf_obj_get(prog_path);
	err = run_console(&maps, vm.pid, vm.vm_fd, &ended);
	close(maps.out_fd);
	if (maps.in_fd >= 0)
		close(maps.in_fd);
	if (maps.input_prog_fd >= 0)
		close(maps.input_prog_fd);
	if (err)
		return fail(EXIT_FAIL, "console of VM %d/%d: %s", vm.pid, vm.vm_fd, strerror(-err));
	if (ended == CONSOLE_REPLACED)
		return fail(EXIT_STATE, "the policy of VM %d/%d was replaced: its console ended "
			    "(run kvmexit console again for the new policy's)", vm.pid, vm.vm_fd);
	if (ended == CONSOLE_EJECTED)
		return fail(EXIT_STATE, "the policy of VM %d/%d was ejected (%s): its console ended",
			    vm.pid, vm.vm_fd, eject_reason(vm_eject_reason(vm.pid, vm.vm_fd)) ?:
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
	struct vm_info *vms, *vm;
	int nr, i, kept;

	catch_interrupts();
	do {
		nr = find_vms(opt->pid, &vms);
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
