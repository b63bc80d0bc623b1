// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for what kvmexit parses from its user, built for the build machine with
 * AddressSanitizer and UBSan: the command line (parse_args()) and --set values
 * (kvmexit_policy_set() on a real policy object, given by KVMEXIT_FUZZ_POLICY).
 *
 * Input: the first byte picks the parser. For the command line, the rest is the arguments
 * after "kvmexit", separated by NUL bytes; for --set, NAME NUL VALUE, where a NAME of one
 * byte from 1 to FUZZ_NAMES picks one of the policy's variables. A crash, a sanitizer
 * report, a leak, or a result that breaks the parser's contract (checked here) is a finding.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "libkvmexit.h"

#define MAX_ARGS	32

/* Variables of tests/bpf/hvc_policy.bpf.c: a u32 array, a u32, ints; and a missing one. */
static const char *const names[] = { "seen", "nr_seen", "bad_reg_ret", "no_such" };
#define FUZZ_NAMES	(sizeof(names) / sizeof(names[0]))

static struct kvmexit_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("KVMEXIT_FUZZ_POLICY");
	int err;

	if (!path) {
		fprintf(stderr, "fuzz_cli: set KVMEXIT_FUZZ_POLICY to a policy object\n");
		exit(2);
	}
	err = kvmexit_policy_open(path, &policy);
	if (err) {
		fprintf(stderr, "fuzz_cli: %s: %s\n", path, strerror(-err));
		exit(2);
	}
	return 0;
}

/* Forget getopt's state from the previous input (it may have stopped mid-argument). */
static void reset_getopt(void)
{
	static char *none[] = { "kvmexit", NULL };

	optind = 0;
	getopt(1, none, "");
}

static void fuzz_args(const char *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2] = { "kvmexit" };
	struct options opt;
	int argc = 1, ret;
	size_t i;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (i = 0; i <= size && argc <= MAX_ARGS; i += strlen(copy + i) + 1)
		argv[argc++] = copy + i;
	argv[argc] = NULL;

	reset_getopt();
	ret = parse_args(argc, argv, &opt);
	if (ret == ARGS_RUN &&
	    (!opt.cmd || opt.pid < 0 || opt.vm_fd < -1 || opt.watch < 0 ||
	     opt.nr_sets >= argc || opt.nr_args >= argc || (opt.policy && opt.policy == opt.cmd)))
		abort();	/* accepted, but not as parse_args() promises */
	if (ret != ARGS_RUN && (ret < EXIT_OK || ret > EXIT_FAIL))
		abort();
	free_args(&opt);
	free(copy);
}

static void fuzz_set(const char *data, size_t size)
{
	char *copy = malloc(size + 2), *name, *value;
	int err;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = 0;
	name = copy;
	value = copy + strlen(copy) + 1;
	if (strlen(name) == 1 && name[0] >= 1 && (unsigned char)name[0] <= FUZZ_NAMES)
		name = (char *)names[name[0] - 1];
	err = kvmexit_policy_set(policy, name, value);
	if (err && err != -ENOENT && err != -EINVAL && err != -ERANGE && err != -ENOMEM)
		abort();	/* an error the CLI cannot explain */
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		fuzz_set((const char *)data + 1, size - 1);
	else
		fuzz_args((const char *)data + 1, size - 1);
	return 0;
}
