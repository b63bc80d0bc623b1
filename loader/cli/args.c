// SPDX-License-Identifier: GPL-2.0
/* kvmexit's command line. No side effect but output: the fuzz target calls it repeatedly. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "vms.h"

static const char usage_text[] =
"usage: kvmexit COMMAND [OPTIONS]\n"
"\n"
"Attach BPF exit policies (struct kvm_arm_exit_ops) to running KVM VMs.\n"
"\n"
"commands:\n"
"  list [--json]\n"
"      every VM on the host: VMM pid and command line, VM fd, vCPUs, policy,\n"
"      and what the policy did with each exit (summed over the vCPUs)\n"
"  attach --pid PID [--vm FD] POLICY.bpf.o [--set NAME=VALUE]... [--verbose]\n"
"      load POLICY for the VM and attach it; the link is pinned at\n"
"      " PIN_DIR "/PID-FD, so it outlives this command, and the policy's syscall\n"
"      programs and timer maps at PID-FD_NAME; the VM's fd, taken from the VMM with\n"
"      pidfd_getfd() (ptrace rights over it needed), is closed\n"
"  replace --pid PID [--vm FD] POLICY.bpf.o [--set NAME=VALUE]... [--verbose]\n"
"      swap the VM's policy for POLICY atomically: no exit goes without one\n"
"  detach --pid PID [--vm FD]\n"
"      remove the VM's policy (its pinned link)\n"
"  stats [--pid PID] [--vm FD] [--json] [--watch[=SECONDS]]\n"
"      the counters only; --watch repeats every SECONDS (1) until interrupted\n"
"  console --pid PID [--vm FD]\n"
"      the console of a device the VM's policy emulates (e.g. pl011.bpf.o): print\n"
"      what the policy writes to its BPF ring buffer, send stdin to its user ring\n"
"      buffer (and run its program console_input, if it has one, to hand it over\n"
"      now), until the VMM exits, the policy is detached, or Ctrl-] (a terminal\n"
"      is put in raw mode) or a signal (exit code 0); or until the policy is\n"
"      replaced or ejected (exit code 5)\n"
"\n"
"options:\n"
"  --pid PID          the VMM process\n"
"  --vm FD            the VM, as an fd number in the VMM (needed if it has several)\n"
"  --set NAME=VALUE   set global variable NAME of the policy before loading it: an\n"
"                     integer (42, 0x2a, -1) or, for an array, a comma-separated list\n"
"  --json             machine-readable output\n"
"  --verbose          on a verifier rejection, print its whole log\n"
"\n"
"counters, per exit (mmio nisv ldst64b sea hvc vncr): handled, to_user, injected,\n"
"defaulted, errors (verdicts the exit never allows; 64 get a policy ejected, and\n"
"'ejected' says why) and refused (verdicts this VM does not take now, such as a\n"
"forward the VMM did not ask for: KVM's default applies, never an ejection)\n"
"\n"
"exit codes: 0 done; 1 bad command line; 2 no such process or VM; 3 no permission\n"
"(ptrace rights over the VMM, or CAP_SYS_ADMIN); 4 the policy, a --set or the\n"
"verifier refused; 5 the VM already has a policy, or has none; 6 other failures\n";

int fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("kvmexit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return code;
}

/* A decimal number from @min to INT_MAX, all of @s: false for anything else. */
static bool parse_number(const char *s, int min, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < min || v > INT_MAX)
		return false;
	*out = v;
	return true;
}

int parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option long_options[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "vm", required_argument, NULL, 'm' },
		{ "set", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c, pid;

	*opt = (struct options){ .vm_fd = -1 };
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	opt->cmd = argv[1];
	opt->sets = calloc(argc, sizeof(*opt->sets));
	if (!opt->sets)
		return fail(EXIT_FAIL, "out of memory");
	optind = 2;
	while ((c = getopt_long(argc, argv, "p:m:s:jw::vh", long_options, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!parse_number(optarg, 1, &pid))
				return fail(EXIT_USAGE, "--pid %s: not a process id", optarg);
			opt->pid = pid;
			break;
		case 'm':
			if (!parse_number(optarg, 0, &opt->vm_fd))
				return fail(EXIT_USAGE, "--vm %s: not an fd number", optarg);
			break;
		case 's':
			opt->sets[opt->nr_sets++] = optarg;
			break;
		case 'j':
			opt->json = true;
			break;
		case 'w':
			opt->watch = 1;
			if (optarg && !parse_number(optarg, 1, &opt->watch))
				return fail(EXIT_USAGE, "--watch=%s: not a number of seconds", optarg);
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return fail(EXIT_USAGE, "see kvmexit --help");
		}
	}
	if (optind < argc)
		opt->policy = argv[optind++];
	if (optind < argc)
		return fail(EXIT_USAGE, "unexpected argument %s", argv[optind]);
	return ARGS_RUN;
}
