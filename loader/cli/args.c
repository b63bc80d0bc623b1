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
#include "json.h"
#include "pins.h"
#include "vms.h"

static const char usage_text[] =
"usage: kvmexit [OPTIONS] COMMAND [OPTIONS] [ARGUMENT]\n"
"\n"
"Attach BPF exit policies (struct kvm_arm_exit_ops) to running KVM VMs.\n"
"\n"
"Each VM's exits go through a chain of at most 8 policies: the host-wide ones, those of\n"
"the cgroups its VMM was in when it created the VM, then the VM's own; an exit goes\n"
"through those with a callback for it, in order, until one answers.\n"
"\n"
"commands:\n"
"  list [--pid PID [--vm FD] | --vm-name NAME] [--watch[=SECONDS]]\n"
"      every VM on the host: VMM pid, VM name (QEMU's -name), start time and command\n"
"      line (control characters escaped: \\x1b), VM fd, KVM's VM id, vCPUs, its\n"
"      policies in order and where each came from (host, cgroup, vm), and what the\n"
"      policies did with each exit (summed over the vCPUs)\n"
"  attach TARGET [PLACE] POLICY [--set NAME=VALUE]... [--verbose]\n"
"      load POLICY for the target and attach it; its link is pinned at\n"
"      " PIN_DIR "/PID-FD-START-VMID/NAME for a VM (NAME: the policy's, START: the\n"
"      VMM's start time, VMID: KVM's id of the VM, which a later VM at the same fd\n"
"      does not share), so it outlives this command, and the policy's syscall\n"
"      programs and maps at NAME-X beside it; the VM's fd, taken from the VMM with\n"
"      pidfd_getfd() (ptrace rights over it needed), is closed; attach, replace and\n"
"      detach lock the target's pins, as rule edits do\n"
"  replace TARGET [--name NAME] POLICY [--set NAME=VALUE]... [--fresh] [--verbose]\n"
"      swap one of the target's policies (NAME, else the one with POLICY's name, else\n"
"      the only one) for POLICY atomically, in its place: no exit goes without one;\n"
"      POLICY keeps the replaced one's state: its maps of the same name and definition\n"
"      (rules, counts, logs), its globals and its parameters by name (but for --set\n"
"      ones); not its timers; --fresh starts POLICY from its own defaults instead\n"
"  detach TARGET [NAME]\n"
"      remove one of the target's policies (NAME, or the only one): the others stay\n"
"  stats [--pid PID [--vm FD] | --vm-name NAME] [--watch[=SECONDS]]\n"
"      the counters only; --watch repeats every SECONDS (1) until interrupted\n"
"  console --pid PID [--vm FD] | --vm-name VM [NAME]\n"
"      the console of a device a policy of the VM emulates (e.g. pl011.bpf.o; NAME, or\n"
"      the one policy with ring buffers): print what it writes to its BPF ring buffer,\n"
"      send stdin to its user ring buffer (and run its program console_input, if it\n"
"      has one, to hand it over now), until the VMM exits, the policy is detached, or\n"
"      Ctrl-] (a terminal is put in raw mode) or a signal (exit code 0); or until the\n"
"      policy is replaced or ejected (exit code 5)\n"
"  params POLICY\n"
"      the parameters POLICY takes with --set: name, type and default, from its BTF\n"
"  rule show|add|del|load TARGET [--name NAME] ...\n"
"      the run-time rules of the target's hypercall filter (policies/hypercall_filter;\n"
"      NAME, else the one named hypercall_filter): show (as load reads it); add\n"
"      ID|FIRST-LAST|NAME ACTION (ACTION allow, deny or forward; NAME an SMCCC\n"
"      function's, e.g. PSCI_CPU_ON for both its ids); del ID|FIRST-LAST|NAME; load\n"
"      FILE, one ID|FIRST-LAST|NAME ACTION a line (# comments), every line checked\n"
"      before any rule is set; ids decimal, or hexadecimal after 0x\n"
"  log TARGET [--name NAME] [--follow]\n"
"      the hypercall filter's audit log: the calls it denied or forwarded (the VM's\n"
"      id and VMM's pid for a cgroup's or the host's filter, vCPU,\n"
"      function id, x1..x6, what became of them), then how many records it dropped\n"
"      (over its log_rate) or lost (log full); each record is read once; --follow\n"
"      reads on until interrupted, the filter is detached or its VMM exits (exit code\n"
"      0), or the filter is replaced or ejected (exit code 5)\n"
"\n"
"POLICY: a path to a policy object (POLICY.bpf.o), or a name: NAME.bpf.o in the\n"
"directories of $KVMEXIT_POLICY_PATH (colon-separated), then in " KVMEXIT_POLICY_DIR "\n"
"\n"
"targets:\n"
"  --pid PID [--vm FD]  a VM: the VMM process, and the VM as an fd number in it (needed\n"
"                     if it has several)\n"
"  --vm-name NAME     the VM QEMU named NAME (-name NAME or -name guest=NAME)\n"
"  --cgroup PATH      every VM created from now on by a process in the cgroup (v2) at\n"
"                     PATH, from its creation (pinned at " PIN_DIR "/cgroup-INODE)\n"
"  --host             every VM (pinned at " PIN_DIR "/host)\n"
"places, among the target's policies (default: last):\n"
"  --first, --before NAME, --after NAME   (NAME: a policy's name, or its id)\n"
"\n"
"options:\n"
"  --set NAME=VALUE   set global variable NAME of the policy before loading it: an\n"
"                     integer (42, 0x2a, -1; 010 is ten) or, for an array,\n"
"                     a comma-separated list (kvmexit's other numbers: decimal, or\n"
"                     0x and hexadecimal)\n"
"  -j, --json         machine-readable output, errors included ({\"error\": ...})\n"
"  -p, --pretty       the same, indented\n"
"  --verbose          on a verifier rejection, print its whole log\n"
"  --version          print kvmexit's version and libkvmexit's, and exit\n"
"\n"
"counters, per exit (mmio nisv ldst64b sea hvc vncr), over the VM's policies: handled,\n"
"to_user, injected, defaulted (every policy asked declined), errors (verdicts the exit\n"
"never allows; 64 get the VM's policy that made them ejected, and 'ejected' says why)\n"
"and refused (verdicts this VM does not take now, such as a forward the VMM did not ask\n"
"for: the next policy is asked, never an ejection)\n"
"\n"
"exit codes: 0 done; 1 bad command line; 2 no such process or VM; 3 no permission\n"
"(ptrace rights over the VMM, or CAP_SYS_ADMIN); 4 the policy, a --set or the\n"
"verifier refused; 5 the target has that policy already, or has none to replace or\n"
"detach, or its chain is full; 6 other failures\n";

int fail(int code, const char *fmt, ...)
{
	struct json_object *obj;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!json_wanted()) {
		fprintf(stderr, "kvmexit: %s\n", msg);
		return code;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, "error", json_text(msg));
	json_object_object_add(obj, "exit_code", json_object_new_int(code));
	json_print(obj);
	return code;
}

bool parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	const char *digits = "0123456789";
	unsigned long long v;
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = "0123456789abcdefABCDEF";
		base = 16;
		s += 2;
	}
	/* Digits alone: strtoull() would take a sign, spaces, and a second 0x. */
	if (!*s || s[strspn(s, digits)])
		return false;
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end || errno || v > max)
		return false;
	*out = v;
	return true;
}

/* A number (see parse_uint()) from @min to INT_MAX: false for anything else. */
static bool parse_number(const char *s, int min, int *out)
{
	unsigned long long v;

	if (!parse_uint(s, INT_MAX, &v) || v < (unsigned long long)min)
		return false;
	*out = v;
	return true;
}

void free_args(struct options *opt)
{
	free(opt->sets);
	free(opt->args);
}

int check_args(const struct options *opt, int max)
{
	if (opt->nr_args > max)
		return fail(EXIT_USAGE, "unexpected argument %s", opt->args[max]);
	return EXIT_OK;
}

int parse_args(int argc, char **argv, struct options *opt)
{
	static const struct option long_options[] = {
		{ "pid", required_argument, NULL, 'P' },
		{ "vm", required_argument, NULL, 'm' },
		{ "set", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "watch", optional_argument, NULL, 'w' },
		{ "follow", no_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "fresh", no_argument, NULL, 'R' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "host", no_argument, NULL, 'H' },
		{ "first", no_argument, NULL, 'f' },
		{ "before", required_argument, NULL, 'b' },
		{ "after", required_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "vm-name", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int c, pid;

	*opt = (struct options){ .vm_fd = -1 };
	opt->sets = calloc(argc, sizeof(*opt->sets));
	opt->args = calloc(argc, sizeof(*opt->args));
	if (!opt->sets || !opt->args)
		return fail(EXIT_FAIL, "out of memory");
	/* JSON before any error is said: the loop below reports bad options as it goes. */
	for (c = 1; c < argc && strcmp(argv[c], "--"); c++) {
		opt->pretty |= !strcmp(argv[c], "-p") || !strcmp(argv[c], "--pretty");
		opt->json |= opt->pretty || !strcmp(argv[c], "-j") || !strcmp(argv[c], "--json");
	}
	json_output(opt->json, opt->pretty);
	/* Options go anywhere: getopt moves the command and its argument to the end. */
	optind = 1;
	while ((c = getopt_long(argc, argv, "P:m:s:jpw::vhVc:Hfb:a:n:N:R", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'P':
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
		case 'p':
			opt->json = opt->pretty = true;
			break;
		case 'w':
			opt->watch = 1;
			if (optarg && !parse_number(optarg, 1, &opt->watch))
				return fail(EXIT_USAGE, "--watch=%s: not a number of seconds", optarg);
			break;
		case 'F':
			opt->follow = true;
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'R':
			opt->fresh = true;
			break;
		case 'c':
			opt->cgroup = optarg;
			break;
		case 'H':
			opt->host = true;
			break;
		case 'f':
			opt->first = true;
			break;
		case 'b':
			opt->before = optarg;
			break;
		case 'a':
			opt->after = optarg;
			break;
		case 'n':
			opt->name = optarg;
			break;
		case 'N':
			opt->vm_name = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			/* Built against that header, running with that library. */
			printf("kvmexit %d.%d (libkvmexit %s)\n", LIBKVMEXIT_MAJOR_VERSION,
			       LIBKVMEXIT_MINOR_VERSION, kvmexit_version());
			return EXIT_OK;
		default:
			return fail(EXIT_USAGE, "see kvmexit --help");
		}
	}
	json_output(opt->json, opt->pretty);	/* -vj and the like */
	if (optind == argc && json_wanted())
		return fail(EXIT_USAGE, "no command (see kvmexit --help)");
	if (optind == argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	opt->cmd = argv[optind++];
	while (optind < argc)
		opt->args[opt->nr_args++] = argv[optind++];
	opt->policy = opt->args[0];
	if (!!opt->pid + !!opt->vm_name + !!opt->cgroup + opt->host > 1)
		return fail(EXIT_USAGE, "one target: --pid, --vm-name, --cgroup or --host");
	if (opt->first + !!opt->before + !!opt->after > 1)
		return fail(EXIT_USAGE, "one place: --first, --before or --after");
	return ARGS_RUN;
}
